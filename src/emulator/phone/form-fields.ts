// One real input per documented form component type. Each field reads back the value a submission carries.
import { api, fileUrl } from './api.js';
import { h } from './dom.js';
import { dayLabel, clock, size } from './format.js';
import { gauge } from './gauge.js';
import { type Json, type JsonObject, type RenderContext, bool, isObject, num, objects, str } from './types.js';

export interface Field {
  node: HTMLElement | null;
  /** The value to submit; undefined when the component takes no answer (label, gauge, call button). */
  read(): Json | undefined;
}

export interface FieldOptions {
  component: JsonObject;
  /** The value to start from: the form's own, or the last submitted one when the form retains its status. */
  value: Json | undefined;
  disabled: boolean;
  ctx: RenderContext;
  /** Called when the person changed the value (forms without a submit button send right away). */
  changed(): void;
}

/** Google's icon names that forms use most, drawn as emoji since the page loads no icon font. */
const ICONS: Record<string, string> = {
  emoji_emotions: '😊',
  thumb_up: '👍',
  thumb_down: '👎',
  favorite: '❤️',
  lightbulb: '💡',
  power_settings_new: '⏻',
  home: '🏠',
  check: '✔️',
  close: '✖️',
  done: '✔️',
  star: '⭐',
  settings: '⚙️',
  lock: '🔒',
  lock_open: '🔓',
  light_mode: '☀️',
  dark_mode: '🌙',
  thermostat: '🌡️',
  call: '📞',
  schedule: '🕒',
  event: '📅',
  delete: '🗑️',
  add: '➕',
  remove: '➖',
  play_arrow: '▶️',
  pause: '⏸️',
  stop: '⏹️',
  warning: '⚠️',
  info: 'ℹ️',
  help: '❓',
};

let uid = 0;
const nextId = (): string => `field-${++uid}`;

function titleOf(c: JsonObject): HTMLElement {
  const title = str(c, 'title') || str(c, 'refName');
  return h('div', 'field-title', title, bool(c, 'requiredSelection', false) ? h('span', 'required', ' *') : null);
}

function wrap(c: JsonObject, ...children: Array<Node | null>): HTMLElement {
  const node = h('div', `field field-${str(c, 'formComponentType')}`, ...children);
  node.dataset.refName = str(c, 'refName');
  return node;
}

const fields: Record<string, (o: FieldOptions) => Field> = {
  label: ({ component: c }) => ({
    node: wrap(
      c,
      h('div', 'label-title', str(c, 'title')),
      typeof c.value === 'string' ? h('div', 'label-text', c.value) : null,
    ),
    read: () => undefined,
  }),
  gauge: ({ component: c }) => ({ node: wrap(c, gauge(c)), read: () => undefined }),
  hiddenvalue: ({ component: c }) => ({ node: null, read: () => c.value ?? null }),
  textbox: textbox,
  switch: switchField,
  slider: slider,
  buttonlist: buttonList,
  singlechoice: singleChoice,
  multichoice: multiChoice,
  datepicker: (o) => nativePicker(o, 'date'),
  timepicker: (o) => nativePicker(o, 'time'),
  colorpicker: colorPicker,
  locationpicker: locationPicker,
  photopicker: (o) => filePicker(o, true),
  filepicker: (o) => filePicker(o, false),
  contactpicker: contactPicker,
  bucketpicker: bucketPicker,
  eventpicker: eventPicker,
  callbutton: callButton,
  qrcodescanner: (o) => scanner(o, 'QR / barcode scanner', 'the code the camera would read'),
  nfcreader: (o) => scanner(o, 'NFC reader', 'the content of the tag'),
};

export function field(o: FieldOptions): Field {
  const make = fields[str(o.component, 'formComponentType')];
  if (make) return make(o);
  return {
    node: wrap(
      o.component,
      h('div', 'field-unknown', `${str(o.component, 'formComponentType')} is not shown by this app`),
    ),
    read: () => undefined,
  };
}

function textbox({ component: c, value, disabled, changed }: FieldOptions): Field {
  const id = nextId();
  const input = h('input', {
    id,
    type: 'text',
    class: 'text-input',
    value: typeof value === 'string' ? value : '',
    disabled,
  });
  input.addEventListener('change', changed);
  const title = titleOf(c);
  title.setAttribute('id', `${id}-t`);
  input.setAttribute('aria-labelledby', `${id}-t`);
  return { node: wrap(c, title, input), read: () => input.value };
}

function switchField({ component: c, value, disabled, changed }: FieldOptions): Field {
  const input = h('input', { type: 'checkbox', role: 'switch', class: 'switch-input', disabled });
  input.checked = value === true;
  input.addEventListener('change', changed);
  const label = h(
    'label',
    'switch-row',
    h('span', 'field-title', str(c, 'title') || str(c, 'refName')),
    input,
    h('span', 'switch-track', h('span', 'switch-thumb')),
  );
  return { node: wrap(c, label), read: () => input.checked };
}

function slider({ component: c, value, disabled, changed }: FieldOptions): Field {
  const min = num(c, 'min', 0);
  const max = num(c, 'max', 100);
  const step = num(c, 'step', 1);
  const start = typeof value === 'number' ? value : min;
  const input = h('input', {
    type: 'range',
    class: 'slider-input',
    min,
    max,
    step,
    value: start,
    disabled,
    'aria-label': str(c, 'title') || str(c, 'refName'),
  });
  const readout = h('span', 'slider-value', String(start));
  input.addEventListener('input', () => (readout.textContent = input.value));
  input.addEventListener('change', changed);
  const scale = h('div', 'slider-scale', h('span', '', String(min)), h('span', '', String(max)));
  return { node: wrap(c, h('div', 'field-head', titleOf(c), readout), input, scale), read: () => Number(input.value) };
}

function optionLabel(o: JsonObject): Node {
  const icon = isObject(o.icon) ? str(o.icon, 'name') : '';
  if (icon) return document.createTextNode(ICONS[icon] ?? icon.replace(/_/g, ' '));
  return document.createTextNode(str(o, 'value') || str(o, 'name'));
}

function buttonList({ component: c, value, disabled, changed }: FieldOptions): Field {
  let selected = typeof value === 'string' ? value : null;
  const line = str(c, 'lineSize', 'flexible');
  const grid = h('div', `button-grid${bool(c, 'verticalList', false) ? ' vertical' : ''}`);
  if (/^[1-6]$/.test(line)) grid.style.gridTemplateColumns = `repeat(${line}, minmax(0, 1fr))`;
  else grid.classList.add('flexible');
  const buttons = objects(c.options).map((o) => {
    const name = str(o, 'name');
    const button = h(
      'button',
      { type: 'button', class: 'choice-button', 'aria-pressed': String(name === selected), disabled },
      optionLabel(o),
    );
    button.addEventListener('click', () => {
      selected = name;
      for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
      changed();
    });
    grid.appendChild(button);
    return button;
  });
  return { node: wrap(c, titleOf(c), grid), read: () => selected };
}

function singleChoice({ component: c, value, disabled, changed }: FieldOptions): Field {
  const options = objects(c.options);
  if (str(c, 'mode', 'list') === 'dropdown') {
    const select = h(
      'select',
      { class: 'select-input', disabled, 'aria-label': str(c, 'title') || str(c, 'refName') },
      h('option', { value: '' }, 'Choose…'),
    );
    for (const o of options)
      select.appendChild(h('option', { value: str(o, 'name') }, str(o, 'value') || str(o, 'name')));
    select.value = typeof value === 'string' ? value : '';
    select.addEventListener('change', changed);
    return { node: wrap(c, titleOf(c), select), read: () => select.value || null };
  }
  const group = nextId();
  const radios = options.map((o) => {
    const radio = h('input', { type: 'radio', name: group, value: str(o, 'name'), disabled });
    radio.checked = value === str(o, 'name');
    radio.addEventListener('change', changed);
    return { radio, row: h('label', 'choice-row', radio, h('span', '', str(o, 'value') || str(o, 'name'))) };
  });
  return {
    node: wrap(c, titleOf(c), h('div', 'choice-list', ...radios.map((r) => r.row))),
    read: () => radios.find((r) => r.radio.checked)?.radio.value ?? null,
  };
}

function multiChoice({ component: c, value, disabled, changed }: FieldOptions): Field {
  const chosen = Array.isArray(value) ? value : [];
  const boxes = objects(c.options).map((o) => {
    const box = h('input', { type: 'checkbox', value: str(o, 'name'), disabled });
    box.checked = chosen.includes(str(o, 'name'));
    box.addEventListener('change', changed);
    return { box, row: h('label', 'choice-row', box, h('span', '', str(o, 'value') || str(o, 'name'))) };
  });
  return {
    node: wrap(c, titleOf(c), h('div', 'choice-list', ...boxes.map((b) => b.row))),
    read: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value),
  };
}

function nativePicker({ component: c, value, disabled, changed }: FieldOptions, type: 'date' | 'time'): Field {
  const input = h('input', {
    type,
    class: 'text-input',
    value: typeof value === 'string' ? value : '',
    disabled,
    'aria-label': str(c, 'actionButtonTitle') || str(c, 'title'),
  });
  input.addEventListener('change', changed);
  const hint = str(c, 'actionButtonTitle') ? h('span', 'field-hint', str(c, 'actionButtonTitle')) : null;
  return { node: wrap(c, h('div', 'field-head', titleOf(c), hint), input), read: () => input.value };
}

function colorPicker({ component: c, value, disabled, changed }: FieldOptions): Field {
  let chosen = typeof value === 'string' ? value : '';
  const input = h('input', {
    type: 'color',
    class: 'color-input',
    value: /^#[0-9a-f]{6}$/i.test(chosen) ? chosen : '#2f9e75',
    disabled,
  });
  const label = h('span', 'color-label', chosen || str(c, 'actionButtonTitle', 'Select Color'));
  input.addEventListener('input', () => (label.textContent = input.value));
  input.addEventListener('change', () => {
    chosen = input.value;
    changed();
  });
  return { node: wrap(c, titleOf(c), h('label', 'color-row', input, label)), read: () => chosen };
}

function locationPicker({ component: c, value, disabled, changed }: FieldOptions): Field {
  const v = isObject(value) ? value : null;
  const lat = h('input', {
    type: 'number',
    class: 'text-input',
    step: 'any',
    min: -90,
    max: 90,
    placeholder: 'Latitude',
    'aria-label': 'Latitude',
    disabled,
  });
  const lon = h('input', {
    type: 'number',
    class: 'text-input',
    step: 'any',
    min: -180,
    max: 180,
    placeholder: 'Longitude',
    'aria-label': 'Longitude',
    disabled,
  });
  const name = h('input', {
    type: 'text',
    class: 'text-input',
    placeholder: 'Place name (optional)',
    'aria-label': 'Place name',
    disabled,
  });
  if (v) {
    lat.value = String(num(v, 'latitude', 0));
    lon.value = String(num(v, 'longitude', 0));
    name.value = str(v, 'locationName');
  }
  for (const input of [lat, lon, name]) input.addEventListener('change', changed);
  const note = bool(c, 'currentLocationOnly', false)
    ? 'Only your current location can be sent. Stand-in: the emulator has no GPS, type where you are.'
    : 'Type the coordinates the map would give.';
  const panel = h(
    'div',
    'location-panel',
    h(
      'div',
      'mini-map small',
      h('span', 'map-street s1'),
      h('span', 'map-street s2'),
      h('span', 'map-park'),
      h('span', 'map-pin', '📍'),
    ),
    h('div', 'location-inputs', lat, lon, name),
    h('div', 'field-hint', note),
  );
  return {
    node: wrap(
      c,
      h('div', 'field-head', titleOf(c), h('span', 'field-hint', str(c, 'actionButtonTitle', 'Select Location'))),
      panel,
    ),
    read: () => {
      if (lat.value === '' || lon.value === '') return null;
      const out: JsonObject = { latitude: Number(lat.value), longitude: Number(lon.value) };
      if (name.value.trim() !== '') out.locationName = name.value.trim();
      return out;
    },
  };
}

function filePicker({ component: c, value, disabled, ctx, changed }: FieldOptions, photos: boolean): Field {
  const multiple = bool(c, 'multiSelection', false);
  let picked: JsonObject[] = objects(value);
  const list = h('ul', 'picked-files');
  const show = (): void => {
    list.textContent = '';
    for (const f of picked) {
      const thumb = /^image\//.test(str(f, 'fileType'))
        ? h('img', { class: 'picked-thumb', src: fileUrl(str(f, 'fileID')), alt: '' })
        : '📄 ';
      list.appendChild(h('li', '', thumb, `${str(f, 'fileName')} · ${size(num(f, 'fileSize', 0))}`));
    }
  };
  show();
  const input = h('input', {
    type: 'file',
    class: 'file-input',
    accept: photos ? 'image/*' : undefined,
    multiple,
    disabled,
    'aria-label': str(c, 'actionButtonTitle') || str(c, 'title'),
  });
  const button = h(
    'label',
    'picker-button',
    photos ? '🖼️ ' : '📎 ',
    str(c, 'actionButtonTitle', photos ? 'Select Photos' : 'Select Files'),
    input,
  );
  input.addEventListener('change', () => {
    const files = Array.from(input.files ?? []);
    if (files.length === 0) return;
    button.classList.add('busy');
    Promise.all(
      files.map((f) =>
        api.upload(ctx.me, f).then((up) => ({
          fileType: f.type || 'application/octet-stream',
          fileID: up.fileId,
          fileName: up.title,
          fileSize: up.size,
        })),
      ),
    )
      .then((uploaded) => {
        picked = multiple ? [...picked, ...uploaded] : uploaded.slice(0, 1);
        show();
        changed();
      })
      .catch((err: Error) => ctx.toast(`Upload failed: ${err.message}`))
      .finally(() => button.classList.remove('busy'));
  });
  return { node: wrap(c, titleOf(c), button, list), read: () => picked };
}

function checkList(
  items: Array<{ value: Json; label: string; key: string }>,
  chosen: (v: Json) => boolean,
  multiple: boolean,
  disabled: boolean,
  changed: () => void,
) {
  const group = nextId();
  const rows = items.map((item) => {
    const input = h('input', { type: multiple ? 'checkbox' : 'radio', name: group, disabled });
    input.checked = chosen(item.value);
    input.addEventListener('change', changed);
    return { item, input, row: h('label', 'choice-row', input, h('span', '', item.label)) };
  });
  return {
    node: h('div', 'choice-list', ...rows.map((r) => r.row)),
    read: (): Json[] => rows.filter((r) => r.input.checked).map((r) => r.item.value),
  };
}

function contactPicker({ component: c, value, disabled, ctx, changed }: FieldOptions): Field {
  const people = ctx.chats.filter((chat) => 'between' in chat.chat);
  const chosen = Array.isArray(value) ? value : [];
  const items = people.map((p) => {
    const id = 'between' in p.chat ? (p.chat.between.find((x) => x !== ctx.me) ?? '') : '';
    return { value: id, label: p.title, key: id };
  });
  const list = checkList(items, (v) => chosen.includes(v), bool(c, 'multiSelection', false), disabled, changed);
  return {
    node: wrap(
      c,
      h('div', 'field-head', titleOf(c), h('span', 'field-hint', str(c, 'actionButtonTitle', 'Select Contacts'))),
      list.node,
    ),
    read: list.read,
  };
}

function bucketPicker({ component: c, value, disabled, ctx, changed }: FieldOptions): Field {
  const types =
    isObject(c.filter) && Array.isArray(c.filter.types) ? c.filter.types.map(String) : ['groupchat', 'channel'];
  const chosen = objects(value).map((v) => str(v, 'id'));
  const items = ctx.chats
    .filter((chat) => chat.featureType !== 'p2p' && types.includes(chat.featureType))
    .map((chat) => {
      const id =
        'groupChatId' in chat.chat ? chat.chat.groupChatId : 'channelId' in chat.chat ? chat.chat.channelId : '';
      return {
        value: { id, featureType: chat.featureType } as Json,
        label: `${chat.featureType === 'channel' ? '📣' : '👥'} ${chat.title}`,
        key: id,
      };
    });
  const list = checkList(
    items,
    (v) => isObject(v) && chosen.includes(str(v, 'id')),
    bool(c, 'multiSelection', false),
    disabled,
    changed,
  );
  const node = wrap(
    c,
    h('div', 'field-head', titleOf(c), h('span', 'field-hint', str(c, 'actionButtonTitle', 'Select Bucket'))),
    list.node,
  );
  if (items.length === 0) node.appendChild(h('div', 'field-hint', 'Nothing of these kinds to pick.'));
  if (types.some((t) => t === 'post' || t === 'profile'))
    node.appendChild(h('div', 'field-hint', 'Posts and profiles are not listed by this app.'));
  return { node, read: list.read };
}

/** Events by day, like the app's calendar: pick a day, then one of its events (as a list or as buttons). */
function eventPicker({ component: c, value, disabled, changed }: FieldOptions): Field {
  const multiple = bool(c, 'multiSelection', false);
  const events = objects(c.events)
    .slice()
    .sort((a, b) => num(a, 'start', 0) - num(b, 'start', 0));
  const chosen = new Set(objects(value).map((e) => str(e, 'id')));
  const asButtons = str(c, 'eventsDisplayMode', 'list') === 'buttons';
  const days = new Map<string, JsonObject[]>();
  for (const e of events) {
    const key = new Date(num(e, 'start', 0)).toDateString();
    days.set(key, [...(days.get(key) ?? []), e]);
  }
  const strip = h('div', 'day-strip');
  const panel = h('div', 'day-events');
  let currentDay: string | undefined =
    [...days.keys()].find((k) => (days.get(k) ?? []).some((e) => chosen.has(str(e, 'id')))) ?? [...days.keys()][0];
  const showDay = (key: string | undefined): void => {
    currentDay = key;
    panel.textContent = '';
    for (const chip of Array.from(strip.children))
      chip.setAttribute('aria-pressed', String((chip as HTMLElement).dataset.day === key));
    for (const e of key ? (days.get(key) ?? []) : []) {
      const id = str(e, 'id');
      const label = [h('span', 'event-time', clock(num(e, 'start', 0))), h('span', 'event-title', str(e, 'title', id))];
      const description = str(e, 'description') ? h('span', 'event-description', str(e, 'description')) : null;
      const button = h(
        'button',
        {
          type: 'button',
          class: asButtons ? 'choice-button event-button' : 'event-row',
          'aria-pressed': String(chosen.has(id)),
          disabled,
        },
        ...label,
        asButtons ? null : description,
      );
      button.addEventListener('click', () => {
        if (!multiple) chosen.clear();
        if (button.getAttribute('aria-pressed') === 'true' && multiple) chosen.delete(id);
        else chosen.add(id);
        showDay(currentDay);
        changed();
      });
      panel.appendChild(button);
    }
  };
  for (const [key, list] of days) {
    const start = num(list[0] ?? {}, 'start', 0);
    const d = new Date(start);
    const chip = h(
      'button',
      { type: 'button', class: 'day-chip', disabled },
      h('span', 'day-name', d.toLocaleDateString([], { weekday: 'short' })),
      h('span', 'day-number', String(d.getDate())),
      h('span', 'day-month', d.toLocaleDateString([], { month: 'short' })),
    );
    chip.dataset.day = key;
    chip.title = dayLabel(start / 1000);
    chip.addEventListener('click', () => showDay(key));
    strip.appendChild(chip);
  }
  showDay(currentDay);
  if (events.length === 0) panel.appendChild(h('div', 'field-hint', 'No dates offered.'));
  return { node: wrap(c, titleOf(c), strip, panel), read: () => events.filter((e) => chosen.has(str(e, 'id'))) };
}

function callButton({ component: c, ctx }: FieldOptions): Field {
  const button = h(
    'button',
    { type: 'button', class: 'picker-button call' },
    '📞 ',
    str(c, 'actionButtonTitle', 'Call'),
  );
  button.addEventListener('click', () => ctx.toast('Stand-in: the emulator places no calls.'));
  return {
    node: wrap(c, titleOf(c), button, h('div', 'field-hint', 'Stand-in: calls are not part of the emulator.')),
    read: () => undefined,
  };
}

function scanner({ component: c, value, disabled, changed }: FieldOptions, what: string, reads: string): Field {
  const input = h('input', {
    type: 'text',
    class: 'text-input',
    placeholder: `Type ${reads}`,
    value: typeof value === 'string' ? value : '',
    disabled,
    'aria-label': `${what} stand-in`,
  });
  input.hidden = input.value === '';
  const button = h(
    'button',
    { type: 'button', class: 'picker-button', disabled },
    c.formComponentType === 'nfcreader' ? '📶 ' : '▦ ',
    str(c, 'actionButtonTitle', 'Scan'),
  );
  button.addEventListener('click', () => {
    input.hidden = false;
    input.focus();
  });
  input.addEventListener('change', changed);
  const mode = c.formComponentType === 'qrcodescanner' ? ` (${str(c, 'mode', 'auto')})` : '';
  const hint = h(
    'div',
    'field-hint',
    `Stand-in for the ${what}${mode}: the emulator has no camera or NFC, type ${reads}.`,
  );
  return { node: wrap(c, titleOf(c), button, input, hint), read: () => input.value };
}
