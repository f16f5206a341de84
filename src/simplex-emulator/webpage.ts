// A self-contained page (no external resources) to act as a person talking to the bot: pick a person and a chat,
// read it, send text and files, reply, react, receive files, join groups. It uses the control API only. Message
// content is written with textContent, never as HTML; images show only as `data:image/` previews.
export const WEB_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SimpleX emulator</title>
<style>
  body { font: 14px system-ui, sans-serif; margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 8px 12px; background: #1d3557; color: #fff; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header select, header button { font: inherit; }
  #log { flex: 1; overflow-y: auto; padding: 12px; background: #f1f4f8; }
  .msg { background: #fff; border-radius: 8px; padding: 6px 10px; margin: 6px 0; max-width: 70%; box-shadow: 0 1px 2px #0002; }
  .mine { margin-left: auto; background: #dbeafe; }
  .service { color: #666; font-style: italic; background: none; box-shadow: none; }
  .meta { color: #666; font-size: 12px; }
  .quote { color: #555; font-size: 12px; border-left: 3px solid #93c5fd; padding-left: 6px; }
  .msg img { max-width: 200px; display: block; }
  .actions button { border: none; background: none; cursor: pointer; padding: 0 2px; }
  #composer { display: flex; gap: 8px; padding: 8px 12px; border-top: 1px solid #ccc; align-items: center; }
  #composer #text { flex: 1; font: inherit; padding: 6px; }
  #status, #replying { font-size: 12px; }
</style>
</head>
<body>
<header>
  <strong>SimpleX emulator</strong>
  <label>Act as <select id="person"></select></label>
  <label>Chat <select id="chat"></select></label>
  <button id="connect" type="button" hidden>Connect to the bot</button>
  <button id="join" type="button" hidden>Join group</button>
  <span id="status"></span>
</header>
<main id="log"></main>
<form id="composer">
  <span id="replying"></span>
  <input id="text" placeholder="Type a message" autocomplete="off">
  <input id="file" type="file">
  <button>Send</button>
</form>
<script>
'use strict';
const $ = (id) => document.getElementById(id);
const EMOJIS = ['👍', '👎', '😀', '😂', '😢', '❤', '🚀', '✅'];
let devices = [];
let replyTo = null;
let shown = '';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

async function api(method, path, body) {
  const res = await fetch('/_simplex' + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error || 'HTTP ' + res.status);
  return json;
}

function status(text) { $('status').textContent = text; }
const person = () => $('person').value;
const me = () => devices.find((d) => d.name === person());

/** The selected chat as the control API names it: {to} for a contact, {group} for a group. */
function chat() {
  const v = $('chat').value;
  if (!v) return null;
  return v.startsWith('#') ? { group: v.slice(1) } : { to: v };
}

async function loadDevices() {
  devices = await api('GET', '/devices');
  const people = devices.filter((d) => !d.bot);
  const keep = person();
  $('person').replaceChildren(...people.map((d) => { const o = el('option', '', d.name); o.value = d.name; return o; }));
  if (people.some((d) => d.name === keep)) $('person').value = keep;
  fillChats();
}

function fillChats() {
  const d = me();
  const keep = $('chat').value;
  const options = [];
  for (const c of d ? d.contacts : []) { const o = el('option', '', c.name); o.value = c.name; options.push(o); }
  for (const g of d ? d.groups : []) { const o = el('option', '', '#' + g.name + (g.memberStatus === 'invited' ? ' (invited)' : '')); o.value = '#' + g.name; options.push(o); }
  $('chat').replaceChildren(...options);
  if (options.some((o) => o.value === keep)) $('chat').value = keep;
  const bot = devices.find((x) => x.bot);
  const hasBot = d && bot && d.contacts.some((c) => c.name === (bot.user && bot.user.displayName));
  $('connect').hidden = !d || !!hasBot;
  const g = d && d.groups.find((x) => '#' + x.name === $('chat').value);
  $('join').hidden = !(g && g.memberStatus === 'invited');
}

function render(messages) {
  const sig = JSON.stringify(messages);
  if (sig === shown) return;
  shown = sig;
  const log = $('log');
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 20;
  log.replaceChildren(...messages.map(renderMessage));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

function renderMessage(m) {
  if (!m.msgContent) return el('div', 'msg service', m.contentType);
  const box = el('div', 'msg' + (m.direction === 'snd' ? ' mine' : ''));
  box.dataset.itemId = m.itemId;
  box.append(el('div', 'meta', (m.sender || '') + (m.edited ? ' · edited' : '') + (m.deleted ? ' · deleted' : '')));
  if (m.quotedText !== null) box.append(el('div', 'quote', m.quotedText));
  const image = m.msgContent.image;
  if (typeof image === 'string' && image.startsWith('data:image/')) { const img = el('img'); img.src = image; img.alt = 'preview'; box.append(img); }
  if (m.text) box.append(el('div', 'text', m.text));
  if (m.file) {
    const f = el('div', 'file', '📎 ' + m.file.fileName + ' (' + m.file.fileSize + ' bytes, ' + m.file.status + ')');
    if (m.direction === 'rcv' && m.file.status !== 'rcvComplete' && m.file.status !== 'rcvAccepted' && m.file.status !== 'rcvTransfer') {
      const b = el('button', 'receive', 'Receive');
      b.type = 'button';
      b.onclick = () => act(() => api('POST', '/accept-file', { person: person(), fileId: m.file.fileId }), 'file received');
      f.append(' ', b);
    }
    box.append(f);
  }
  if (m.reactions.length) box.append(el('div', 'meta', m.reactions.join(' ')));
  if (m.direction === 'rcv' && !m.deleted) {
    const actions = el('div', 'actions');
    for (const emoji of EMOJIS) {
      const b = el('button', 'react', emoji);
      b.type = 'button';
      b.title = 'React ' + emoji;
      b.onclick = () => act(() => api('POST', '/react', { person: person(), ...chat(), itemId: m.itemId, emoji }), 'reacted');
      actions.append(b);
    }
    const r = el('button', 'reply', '↩ Reply');
    r.type = 'button';
    r.onclick = () => { replyTo = m; $('replying').textContent = 'replying to: ' + (m.text || m.file?.fileName || ''); $('text').focus(); };
    actions.append(r);
    box.append(actions);
  }
  return box;
}

async function act(fn, done) {
  try { await fn(); status(done); await refresh(); } catch (err) { status(err.message); }
}

async function refresh() {
  try {
    await loadDevices();
    const c = $('chat').value;
    if (!person() || !c) { render([]); return; }
    render(await api('GET', '/messages?person=' + encodeURIComponent(person()) + '&chat=' + encodeURIComponent(c)));
  } catch (err) { status(err.message); }
}

function readFile(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

$('composer').onsubmit = async (e) => {
  e.preventDefault();
  const target = chat();
  if (!target) return status('pick a chat first');
  const body = { from: person(), ...target, text: $('text').value };
  const file = $('file').files[0];
  if (!file && !body.text) return;
  if (replyTo) body.quotedItemId = replyTo.itemId;
  // The composer is cleared before sending, so what is typed meanwhile belongs to the next message.
  $('text').value = '';
  $('file').value = '';
  replyTo = null;
  $('replying').textContent = '';
  try {
    if (file) body.file = { name: file.name, base64: await readFile(file) };
    await api('POST', '/send', body);
    status('sent');
  } catch (err) {
    status(err.message);
    if (!$('text').value) $('text').value = body.text;
  }
  await refresh();
};
$('person').onchange = () => { shown = ''; fillChats(); refresh(); };
$('chat').onchange = () => { shown = ''; fillChats(); refresh(); };
$('connect').onclick = () => act(() => api('POST', '/connect', { person: person() }), 'connected');
$('join').onclick = () => act(() => api('POST', '/join', { person: person(), group: $('chat').value.slice(1) }), 'joined');
refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
