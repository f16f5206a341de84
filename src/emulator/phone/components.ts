// Data components as the semilimes app shows them, one renderer per documented type.
import { fileUrl, api } from './api.js';
import { avatar, h } from './dom.js';
import { fullDate, size, toDate, clock } from './format.js';
import { gauge } from './gauge.js';
import { sanitizedHtml } from './sanitize.js';
import { type JsonObject, type Message, type RenderContext, bool, isObject, num, objects, str } from './types.js';

type Renderer = (dc: JsonObject, ctx: RenderContext, message: Message | null) => HTMLElement;

const renderers: Record<string, Renderer> = {
  text: (dc) => h('div', 'text', str(dc, 'text')),
  html: (dc) => {
    const box = h('div', 'html');
    box.appendChild(sanitizedHtml(str(dc, 'html')));
    return box;
  },
  gauge: (dc) => gauge(dc),
  file: fileComponent,
  contact: contactComponent,
  location: locationComponent,
  appointment: appointmentComponent,
  webview: webviewComponent,
  channel: channelComponent,
  tunnel: tunnelComponent,
  bucket: bucketComponent,
  formsubmission: submissionComponent,
};

/** Renders any data component except forms (forms.ts handles those: they need the message to submit to). */
export function dataComponent(dc: JsonObject, ctx: RenderContext, message: Message | null): HTMLElement {
  const render = renderers[str(dc, 'dataComponentType')];
  if (render) return render(dc, ctx, message);
  return h(
    'div',
    'card unknown',
    `This message type (${str(dc, 'dataComponentType', 'unknown')}) is not shown by this app.`,
  );
}

function isImage(contentType: string): boolean {
  return /^image\/(png|jpe?g|gif|webp|bmp|svg\+xml)$/i.test(contentType);
}

function fileComponent(dc: JsonObject, ctx: RenderContext): HTMLElement {
  const ids = Array.isArray(dc.fileIds) ? dc.fileIds.filter((v): v is string => typeof v === 'string') : [];
  const box = h('div', 'files');
  for (const id of ids) {
    const info = ctx.references.files[id];
    if (!info) {
      box.appendChild(
        h('div', 'file-row missing', h('span', 'file-icon', '⚠️'), h('span', 'file-name', 'File no longer available')),
      );
      continue;
    }
    if (isImage(info.contentType)) {
      const src = ctx.service.fileUrl(ctx.me, id, false);
      const img = h('img', { class: 'file-preview', src, alt: info.title, loading: 'lazy' });
      box.appendChild(h('a', { href: src, target: '_blank', rel: 'noopener', class: 'file-preview-link' }, img));
    }
    box.appendChild(
      h(
        'div',
        'file-row',
        h('span', 'file-icon', isImage(info.contentType) ? '🖼️' : '📄'),
        h('span', 'file-meta', h('span', 'file-name', info.title), h('span', 'file-size', size(info.size))),
        h(
          'a',
          {
            class: 'file-download',
            href: ctx.service.fileUrl(ctx.me, id, true),
            download: info.title,
            title: `Download ${info.title}`,
          },
          'Download',
        ),
      ),
    );
  }
  // A SimpleX file or picture can carry a caption.
  const caption = str(dc, 'text');
  if (caption !== '') box.appendChild(h('div', 'text file-caption', caption));
  return box;
}

function contactComponent(dc: JsonObject, ctx: RenderContext): HTMLElement {
  const ids = Array.isArray(dc.contactIds) ? dc.contactIds.filter((v): v is string => typeof v === 'string') : [];
  const box = h('div', 'contacts');
  for (const id of ids) {
    const name = ctx.references.accounts[id] ?? 'Unknown account';
    const known = ctx.chats.find((c) => 'between' in c.chat && c.chat.between.includes(id));
    const button = h('button', { type: 'button', class: 'card-action' }, id === ctx.me ? 'You' : 'Message');
    if (id === ctx.me) button.disabled = true;
    button.addEventListener('click', () => ctx.openChat(known ? known.chat : { between: [ctx.me, id] }));
    box.appendChild(
      h(
        'div',
        'card contact-card',
        avatar(name),
        h('div', 'card-body', h('div', 'card-title', name), h('div', 'card-sub', 'Contact')),
        button,
      ),
    );
  }
  return box;
}

function osmLink(lat: number, lon: number): string {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

/** A drawn map tile (no map service is loaded): streets, a park, the pin. */
function miniMap(): HTMLElement {
  return h(
    'div',
    'mini-map',
    h('span', 'map-street s1'),
    h('span', 'map-street s2'),
    h('span', 'map-street s3'),
    h('span', 'map-park'),
    h('span', 'map-pin', '📍'),
  );
}

function locationComponent(dc: JsonObject): HTMLElement {
  const lat = num(dc, 'latitude', 0);
  const lon = num(dc, 'longitude', 0);
  return h(
    'a',
    { class: 'card location-card', href: osmLink(lat, lon), target: '_blank', rel: 'noopener noreferrer' },
    miniMap(),
    h(
      'div',
      'card-body',
      h('div', 'card-title', str(dc, 'locationName', 'Location')),
      h('div', 'card-sub', `${lat.toFixed(5)}, ${lon.toFixed(5)}`),
    ),
  );
}

/** An .ics file for "Add to calendar". */
function icsFor(dc: JsonObject): string {
  const stamp = (epoch: number): string =>
    toDate(epoch)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const escape = (s: string): string => s.replace(/([,;\\])/g, '\\$1').replace(/\n/g, '\\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//semilimes emulator//phone page//EN',
    'BEGIN:VEVENT',
    `UID:${Date.now()}@semilimes-emulator`,
    `DTSTAMP:${stamp(Date.now())}`,
    `DTSTART:${stamp(num(dc, 'start', 0))}`,
    `DTEND:${stamp(num(dc, 'end', 0))}`,
    `SUMMARY:${escape(str(dc, 'title'))}`,
  ];
  if (str(dc, 'description')) lines.push(`DESCRIPTION:${escape(str(dc, 'description'))}`);
  if (isObject(dc.location)) lines.push(`GEO:${num(dc.location, 'latitude', 0)};${num(dc.location, 'longitude', 0)}`);
  lines.push('END:VEVENT', 'END:VCALENDAR');
  return lines.join('\r\n');
}

function appointmentComponent(dc: JsonObject): HTMLElement {
  const start = num(dc, 'start', 0);
  const end = num(dc, 'end', start);
  const allDay = bool(dc, 'allDay', false);
  const day = toDate(start);
  const sameDay = toDate(end).toDateString() === day.toDateString();
  const when = allDay
    ? `${fullDate(start, false)}${sameDay ? '' : ` – ${fullDate(end, false)}`} · All day`
    : sameDay
      ? `${fullDate(start, false)} · ${clock(start)} – ${clock(end)}`
      : `${fullDate(start, true)} – ${fullDate(end, true)}`;
  const leaf = h(
    'div',
    'cal-leaf',
    h('span', 'cal-month', day.toLocaleDateString([], { month: 'short' }).toUpperCase()),
    h('span', 'cal-day', String(day.getDate())),
  );
  const body = h(
    'div',
    'card-body',
    h('div', 'card-title', str(dc, 'title')),
    h('div', 'card-sub appointment-when', when),
  );
  if (str(dc, 'description')) body.appendChild(h('div', 'card-text', str(dc, 'description')));
  if (isObject(dc.location)) {
    const lat = num(dc.location, 'latitude', 0);
    const lon = num(dc.location, 'longitude', 0);
    body.appendChild(
      h(
        'a',
        { class: 'card-link', href: osmLink(lat, lon), target: '_blank', rel: 'noopener noreferrer' },
        '📍 Show the place',
      ),
    );
  }
  const ics = URL.createObjectURL(new Blob([icsFor(dc)], { type: 'text/calendar' }));
  body.appendChild(
    h('a', { class: 'card-action', href: ics, download: `${str(dc, 'title', 'appointment')}.ics` }, 'Add to calendar'),
  );
  return h('div', 'card appointment-card', leaf, body);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function safeHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined;
}

function webviewComponent(dc: JsonObject): HTMLElement {
  const url = str(dc, 'url');
  const mode = str(dc, 'displayMode', 'link');
  const href = safeHref(url);
  const name = str(dc, 'linkDisplayName') || url;
  if (mode === 'link') {
    return h(
      'a',
      { class: 'card webview-link', href, target: '_blank', rel: 'noopener noreferrer' },
      h('span', 'web-icon', '🌐'),
      h('span', 'card-title', name),
    );
  }
  // Thumbnails and live views need the page itself; this page loads nothing from elsewhere, so it shows the
  // frame the app would fill, and opens the page on tap.
  const [w, hgt] = (
    str(dc, 'viewSize', '3:2')
      .match(/^(\d):(\d)$/)
      ?.slice(1) ?? ['3', '2']
  ).map(Number);
  const frame = h(
    'div',
    'web-frame',
    h('span', 'web-host', hostOf(url)),
    h('span', 'web-hint', mode === 'liveweb' ? 'Live web view · tap to open' : 'Preview · tap to open'),
  );
  if (mode === 'liveweb') frame.style.aspectRatio = `${w} / ${hgt}`;
  const body = h('div', 'card-body', h('div', 'card-title', name));
  if (mode === 'liveweb' && bool(dc, 'enableFullScreenView', false))
    body.appendChild(h('div', 'card-sub', 'Opens full screen'));
  const card = h(
    'a',
    { class: `card webview-${mode}`, href, target: '_blank', rel: 'noopener noreferrer' },
    frame,
    body,
  );
  return card;
}

function channelComponent(dc: JsonObject, ctx: RenderContext): HTMLElement {
  const channelId = str(dc, 'channelId');
  const info = ctx.references.channels[channelId];
  if (!info)
    return h(
      'div',
      'card',
      h('span', 'web-icon', '📣'),
      h('div', 'card-body', h('div', 'card-title', 'Channel not available')),
    );
  const picture =
    info.avatar && ctx.references.files[info.avatar]
      ? h('img', { class: 'avatar avatar-img', src: fileUrl(info.avatar), alt: '' })
      : avatar(info.title, 'channel');
  const button = h('button', { type: 'button', class: 'card-action' }, info.role ? 'Open' : 'Subscribe');
  button.addEventListener('click', () => {
    if (info.role) return ctx.openChat({ channelId });
    api.subscribe(ctx.me, channelId, true).then(
      () => {
        ctx.toast(`Subscribed to ${info.title}`);
        ctx.refresh();
      },
      (err: Error) => ctx.toast(err.message),
    );
  });
  const count = `${info.subscriberCount} ${info.subscriberCount === 1 ? 'subscriber' : 'subscribers'}`;
  return h(
    'div',
    'card channel-card',
    picture,
    h(
      'div',
      'card-body',
      h('div', 'card-title', info.title),
      h('div', 'card-sub', `Channel by ${info.ownerName} · ${count}`),
    ),
    button,
  );
}

function tunnelComponent(dc: JsonObject, ctx: RenderContext): HTMLElement {
  const info = ctx.references.tunnels[str(dc, 'tunnelId')];
  if (!info)
    return h(
      'div',
      'card',
      h('span', 'web-icon', '🔒'),
      h('div', 'card-body', h('div', 'card-title', 'Tunnel not available')),
    );
  const body = h(
    'div',
    'card-body',
    h('div', 'card-title', info.name),
    info.description ? h('div', 'card-sub', info.description) : null,
  );
  const href = info.tunnelUrl ? safeHref(info.tunnelUrl) : undefined;
  const action = href
    ? h('a', { class: 'card-action', href, target: '_blank', rel: 'noopener noreferrer' }, 'Open')
    : h('span', 'card-badge', 'Closed');
  return h('div', 'card tunnel-card', h('span', 'web-icon', '🔒'), body, action);
}

function bucketComponent(dc: JsonObject, ctx: RenderContext, message: Message | null): HTMLElement {
  const info = ctx.references.buckets[str(dc, 'bucketId')];
  if (!info)
    return h(
      'div',
      'card',
      h('span', 'web-icon', '🗂️'),
      h('div', 'card-body', h('div', 'card-title', 'Bucket not available')),
    );
  const head = h(
    'div',
    'bucket-head',
    info.avatar && ctx.references.files[info.avatar]
      ? h('img', { class: 'avatar avatar-img', src: fileUrl(info.avatar), alt: '' })
      : avatar(info.title, 'group'),
    h('div', 'card-body', h('div', 'card-title', info.title || 'Bucket'), h('div', 'card-sub', `by ${info.ownerName}`)),
  );
  const box = h('div', 'card bucket-card', head);
  if (info.description) box.appendChild(h('div', 'card-text', info.description));
  const children = h('div', 'bucket-children');
  for (const child of info.dataComponents) {
    // A child bucket reference is shown as a line, not opened: buckets can nest deeply.
    if (str(child, 'dataComponentType') === 'bucket') {
      const nested = ctx.references.buckets[str(child, 'bucketId')];
      children.appendChild(h('div', 'bucket-ref', '🗂️ ', nested?.title ?? 'Bucket'));
    } else if (str(child, 'dataComponentType') !== 'form') {
      children.appendChild(dataComponent(child, ctx, message));
    }
  }
  if (children.childElementCount > 0) box.appendChild(children);
  if (info.enableReactions) box.appendChild(h('div', 'card-sub bucket-likes', `♥ ${info.likeCount}`));
  return box;
}

/** A submitted value as a person reads it. */
export function describeValue(component: JsonObject, value: unknown, ctx: RenderContext): string {
  const type = str(component, 'formComponentType');
  const optionLabel = (name: unknown): string => {
    const option = objects(component.options).find((o) => o.name === name);
    return option ? str(option, 'value') || str(option, 'name') : String(name);
  };
  if (value === null || value === undefined || value === '') return '—';
  if (type === 'switch') return value === true ? 'On' : 'Off';
  if (type === 'singlechoice' || type === 'buttonlist') return optionLabel(value);
  if (type === 'multichoice' && Array.isArray(value)) return value.map(optionLabel).join(', ') || '—';
  if (type === 'contactpicker' && Array.isArray(value))
    return value.map((id) => ctx.references.accounts[String(id)] ?? String(id)).join(', ') || '—';
  if ((type === 'photopicker' || type === 'filepicker') && Array.isArray(value)) {
    return value.map((f) => (isObject(f) ? str(f, 'fileName', 'file') : 'file')).join(', ') || '—';
  }
  if (type === 'eventpicker' && Array.isArray(value)) {
    return (
      value
        .map((e) => (isObject(e) ? `${str(e, 'title', str(e, 'id'))} (${fullDate(num(e, 'start', 0), true)})` : ''))
        .join(', ') || '—'
    );
  }
  if (type === 'bucketpicker' && Array.isArray(value)) {
    return value
      .map((b) => {
        if (!isObject(b)) return '';
        const chat = ctx.chats.find(
          (c) =>
            ('groupChatId' in c.chat && c.chat.groupChatId === b.id) ||
            ('channelId' in c.chat && c.chat.channelId === b.id),
        );
        return chat ? chat.title : str(b, 'id');
      })
      .join(', ');
  }
  if (type === 'locationpicker' && isObject(value as never)) {
    const v = value as JsonObject;
    return str(v, 'locationName') || `${num(v, 'latitude', 0).toFixed(4)}, ${num(v, 'longitude', 0).toFixed(4)}`;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function submissionComponent(dc: JsonObject, ctx: RenderContext): HTMLElement {
  const submitter =
    str(dc, 'submitterId') === ctx.me ? 'You' : (ctx.references.accounts[str(dc, 'submitterId')] ?? 'Someone');
  const refName = isObject(dc.replyTo) ? str(dc.replyTo, 'refName') : '';
  const rows = h('dl', 'answers');
  for (const c of objects(dc.formComponents)) {
    const type = str(c, 'formComponentType');
    if (['label', 'gauge', 'hiddenvalue', 'callbutton'].includes(type) || c.value === undefined) continue;
    rows.appendChild(h('dt', '', str(c, 'title') || str(c, 'refName')));
    rows.appendChild(h('dd', '', describeValue(c, c.value, ctx)));
  }
  return h(
    'div',
    'card submission-card',
    h('div', 'card-sub', `📝 ${submitter} answered${refName ? ` “${refName}”` : ' a form'}`),
    rows,
  );
}
