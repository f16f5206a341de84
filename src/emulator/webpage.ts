// A self-contained page (no external resources) to act as a person: pick an account and a chat, read it, send
// text, fill and submit forms. All message content is written with textContent, never as HTML.
export const WEB_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>semilimes emulator</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 8px 12px; background: #2d6a4f; color: #fff; display: flex; gap: 12px; align-items: center; }
  header select { font: inherit; }
  #log { flex: 1; overflow-y: auto; padding: 12px; background: #f4f4f0; }
  .msg { background: #fff; border-radius: 8px; padding: 6px 10px; margin: 6px 0; max-width: 70%; box-shadow: 0 1px 2px #0002; }
  .mine { margin-left: auto; background: #d8f3dc; }
  .meta { color: #666; font-size: 12px; }
  .reply { color: #555; font-size: 12px; border-left: 3px solid #95d5b2; padding-left: 6px; }
  .html, pre { white-space: pre-wrap; font-family: ui-monospace, monospace; font-size: 12px; }
  .form label { display: block; margin: 6px 0 2px; }
  #composer { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #ccc; }
  #composer input { flex: 1; font: inherit; padding: 6px; }
  #status { font-size: 12px; }
</style>
</head>
<body>
<header>
  <strong>semilimes emulator</strong>
  <label>Act as <select id="account"></select></label>
  <label>Chat <select id="chat"></select></label>
  <span id="status"></span>
</header>
<main id="log"></main>
<form id="composer"><input id="text" placeholder="Type a message" autocomplete="off"><button>Send</button></form>
<script>
'use strict';
const $ = (id) => document.getElementById(id);
const names = new Map();
let chats = [];
const rendered = new Map(); // messageId -> { sig, node }

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

async function api(method, path, body) {
  const res = await fetch('/_emulator' + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || 'HTTP ' + res.status);
  return json;
}

function status(text) { $('status').textContent = text; }
const me = () => $('account').value;
const currentChat = () => chats[Number($('chat').value)];

// GET /chats lists {featureType, title, chat, canPost}: the ids are under chat.
function chatQuery(summary) {
  const chat = summary.chat;
  if (chat.between) return 'between=' + chat.between.map(encodeURIComponent).join(',');
  if (chat.groupChatId) return 'groupChatId=' + encodeURIComponent(chat.groupChatId);
  return 'channelId=' + encodeURIComponent(chat.channelId);
}

function destination(summary) {
  const chat = summary.chat;
  if (chat.between) return { recipientId: chat.between.find((id) => id !== me()) };
  return chat.groupChatId ? { groupChatId: chat.groupChatId } : { channelId: chat.channelId };
}

async function loadAccounts() {
  const accounts = await api('GET', '/accounts');
  const select = $('account');
  select.textContent = '';
  // People first: the bot is what the flow runs as.
  for (const a of accounts.sort((x, y) => (x.role === 'bot') - (y.role === 'bot'))) {
    names.set(a.accountId, a.accountName);
    const option = el('option', null, a.accountName + (a.role === 'bot' ? ' (bot)' : ''));
    option.value = a.accountId;
    select.appendChild(option);
  }
  await loadChats();
}

async function loadChats() {
  chats = await api('GET', '/chats?accountId=' + encodeURIComponent(me()));
  const select = $('chat');
  select.textContent = '';
  chats.forEach((c, i) => {
    const option = el('option', null, c.featureType + ': ' + c.title);
    option.value = String(i);
    select.appendChild(option);
  });
  resetLog();
}

function resetLog() {
  rendered.clear();
  $('log').textContent = '';
  refresh();
}

function inputFor(component) {
  const type = component.formComponentType;
  const value = component.value;
  if (type === 'switch') {
    const box = el('input'); box.type = 'checkbox'; box.checked = value === true;
    return { node: box, read: () => box.checked };
  }
  if (type === 'slider') {
    const n = el('input'); n.type = 'number';
    for (const k of ['min', 'max', 'step']) if (component[k] !== undefined) n[k] = component[k];
    if (value !== undefined && value !== null) n.value = value;
    return { node: n, read: () => (n.value === '' ? null : Number(n.value)) };
  }
  if (type === 'singlechoice' || type === 'buttonlist') {
    const s = el('select');
    s.appendChild(el('option', null, ''));
    for (const o of component.options || []) {
      const option = el('option', null, o.value || o.name); option.value = o.name; s.appendChild(option);
    }
    if (typeof value === 'string') s.value = value;
    return { node: s, read: () => s.value || null };
  }
  if (type === 'multichoice') {
    const box = el('div');
    const checks = (component.options || []).map((o) => {
      const label = el('label'); const c = el('input'); c.type = 'checkbox'; c.value = o.name;
      c.checked = Array.isArray(value) && value.includes(o.name);
      label.appendChild(c); label.appendChild(document.createTextNode(' ' + (o.value || o.name)));
      box.appendChild(label);
      return c;
    });
    return { node: box, read: () => checks.filter((c) => c.checked).map((c) => c.value) };
  }
  if (type === 'eventpicker') {
    // The app shows a calendar; a list of the events with their dates does for a test page. Answers are arrays.
    const s = el('select'); s.multiple = component.multiSelection === true;
    if (!s.multiple) s.appendChild(el('option', null, ''));
    (component.events || []).forEach((e, i) => {
      const option = el('option', null, new Date(e.start).toLocaleString() + ' ' + (e.title || e.id)); option.value = String(i); s.appendChild(option);
    });
    return { node: s, read: () => Array.from(s.selectedOptions).filter((o) => o.value !== '').map((o) => component.events[Number(o.value)]) };
  }
  const kinds = { datepicker: 'date', timepicker: 'time', colorpicker: 'color' };
  const t = el('input'); t.type = kinds[type] || 'text';
  if (typeof value === 'string' || typeof value === 'number') t.value = value;
  return { node: t, read: () => t.value };
}

function renderForm(m, box) {
  const form = el('form', 'form');
  const readers = {};
  for (const c of m.dataComponent.formComponents || []) {
    if (c.formComponentType === 'hiddenvalue') continue;
    form.appendChild(el('label', null, c.title || c.refName));
    // Components that show something but take no answer.
    if (['label', 'gauge', 'callbutton'].includes(c.formComponentType)) continue;
    const input = inputFor(c);
    readers[c.refName] = input.read;
    form.appendChild(input.node);
  }
  if (m.publisherId !== me()) {
    const button = el('button', null, m.dataComponent.submitText || 'Submit');
    form.appendChild(button);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = {};
      for (const [refName, read] of Object.entries(readers)) values[refName] = read();
      try { await api('POST', '/submit-form', { from: me(), messageId: m.messageId, values }); status('form submitted'); }
      catch (err) { status('submit failed: ' + err.message); }
      refresh();
    });
  }
  box.appendChild(form);
}

function renderBody(m, box) {
  const dc = m.dataComponent;
  if (dc.dataComponentType === 'text') box.appendChild(el('div', null, dc.text));
  else if (dc.dataComponentType === 'html') box.appendChild(el('div', 'html', dc.html));
  else if (dc.dataComponentType === 'form') renderForm(m, box);
  else if (dc.dataComponentType === 'formsubmission') {
    box.appendChild(el('div', 'meta', 'form submission' + (dc.replyTo && dc.replyTo.refName ? ' (' + dc.replyTo.refName + ')' : '')));
    for (const c of dc.formComponents || []) {
      if (c.value !== undefined) box.appendChild(el('div', null, (c.title || c.refName) + ': ' + JSON.stringify(c.value)));
    }
  } else box.appendChild(el('pre', null, JSON.stringify(dc, null, 2)));
}

function renderMessage(m, byId) {
  const box = el('div', 'msg' + (m.publisherId === me() ? ' mine' : ''));
  const when = new Date(m.publishedOn * 1000).toLocaleTimeString();
  box.appendChild(el('div', 'meta', (names.get(m.publisherId) || m.publisherName) + ' · ' + when + (m.edits.length ? ' · edited' : '')));
  if (m.replyTo) {
    const cited = byId.get(m.replyTo);
    const text = cited && cited.dataComponent.text ? cited.dataComponent.text : cited ? cited.dataComponent.dataComponentType : 'message';
    box.appendChild(el('div', 'reply', '↪ ' + text));
  }
  renderBody(m, box);
  const reactions = Object.entries(m.messageReactions).map(([r, who]) => r + ' ' + who.length).join('  ');
  if (reactions) box.appendChild(el('div', 'meta', reactions));
  return box;
}

let refreshing = false;
async function refresh() {
  const chat = currentChat();
  if (!chat || refreshing) return;
  refreshing = true;
  try {
    const messages = await api('GET', '/messages?' + chatQuery(chat));
    if (currentChat() !== chat) return; // the chat changed while loading
    const byId = new Map(messages.map((m) => [m.messageId, m]));
    const log = $('log');
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
    for (const m of messages) {
      // Re-render a message only when it changed, so a half-filled form is not wiped by the polling.
      const sig = JSON.stringify([m.updatedOn, m.dataComponent, m.messageReactions, m.edits.length]);
      const known = rendered.get(m.messageId);
      if (known && known.sig === sig) { log.appendChild(known.node); continue; }
      const node = renderMessage(m, byId);
      if (known) known.node.replaceWith(node);
      rendered.set(m.messageId, { sig, node });
      log.appendChild(node);
    }
    if (atBottom) log.scrollTop = log.scrollHeight;
    $('text').disabled = !chat.canPost;
    $('text').placeholder = chat.canPost ? 'Type a message' : 'Only the owner and editors can post here';
  } catch (err) { status('refresh failed: ' + err.message); }
  finally { refreshing = false; }
}

$('account').addEventListener('change', loadChats);
$('chat').addEventListener('change', resetLog);
$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value;
  const chat = currentChat();
  if (!text || !chat) return;
  try {
    await api('POST', '/send', { from: me(), to: destination(chat), dataComponent: { dataComponentType: 'text', text } });
    $('text').value = '';
    status('');
  } catch (err) { status('send failed: ' + err.message); }
  refresh();
});
loadAccounts().catch((err) => status(err.message));
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
