// The documented rules for gauges and form components, as the emulator enforces them. Written from the
// documentation's "Data Components" and "Form Components" sections, on purpose without looking at or importing the
// client's definitions: if both got a rule wrong the same way, the tests comparing them would not notice.
import { badRequest } from './envelope';
import { isObject, JsonObject } from './validate';

const present = (v: unknown) => v !== undefined && v !== null;

/** `#` followed by six hex digits: the documentation's `#[0-F][0-F][0-F][0-F][0-F][0-F]`. */
export function isColor(v: unknown): boolean {
  return (
    typeof v === 'string' &&
    v.length === 7 &&
    v[0] === '#' &&
    [...v.slice(1)].every((ch) => '0123456789abcdefABCDEF'.includes(ch))
  );
}

export function inRange(obj: JsonObject, field: string, low: number, high: number, where: string): void {
  const v = obj[field];
  if (!present(v)) return;
  if (typeof v !== 'number' || Number.isNaN(v)) throw badRequest(`${where}.${field} must be a number`);
  if (v < low || v > high) throw badRequest(`${where}.${field} is ${v}; allowed values: ${low}-${high}`);
}

export function oneOf(obj: JsonObject, field: string, allowed: readonly string[], where: string): void {
  const v = obj[field];
  if (present(v) && !allowed.includes(v as string)) {
    throw badRequest(`${where}.${field} is ${JSON.stringify(v)}; allowed values: ${allowed.join(' | ')}`);
  }
}

function color(obj: JsonObject, field: string, where: string): void {
  if (present(obj[field]) && !isColor(obj[field]))
    throw badRequest(`${where}.${field} is ${JSON.stringify(obj[field])}; expected an RGB string #RRGGBB`);
}

function bool(obj: JsonObject, field: string, where: string): void {
  if (present(obj[field]) && typeof obj[field] !== 'boolean') throw badRequest(`${where}.${field} must be a boolean`);
}

function text(obj: JsonObject, field: string, where: string): void {
  if (present(obj[field]) && typeof obj[field] !== 'string') throw badRequest(`${where}.${field} must be a string`);
}

/**
 * Gauge (data component and form component alike). Segments: each `from` 0-99, `to` 1-100, `to` > `from`; the set
 * must not overlap and must cover 0-100. The documented example joins 0-20 and 21-40, so a segment may begin where
 * the previous ended or one unit after it.
 */
export function checkGauge(g: JsonObject, where: string): void {
  inRange(g, 'thickness', 10, 100, where);
  inRange(g, 'degrees', 30, 360, where);
  inRange(g, 'spacing', 0, 20, where);
  inRange(g, 'fontSize', 8, 48, where);
  inRange(g, 'value', 0, 100, where);
  oneOf(g, 'pointer', ['none', 'triangle', 'circle', 'needle'], where);
  oneOf(g, 'progressBar', ['none', 'basic', 'rounded'], where);
  color(g, 'pointerColor', where);
  color(g, 'progressBarColor', where);
  if (!present(g.segments)) return;
  if (!Array.isArray(g.segments)) throw badRequest(`${where}.segments must be an array`);
  const list = g.segments as unknown[];
  list.forEach((s, i) => {
    const at = `${where}.segments[${i}]`;
    if (!isObject(s)) throw badRequest(`${at} must be an object`);
    if (typeof s.from !== 'number') throw badRequest(`${at}.from must be a number`);
    if (typeof s.to !== 'number') throw badRequest(`${at}.to must be a number`);
    inRange(s, 'from', 0, 99, at);
    inRange(s, 'to', 1, 100, at);
    if (s.to <= s.from) throw badRequest(`${at}: to (${s.to}) must be greater than from (${s.from})`);
    if (!isColor(s.color))
      throw badRequest(`${at}.color is ${JSON.stringify(s.color)}; expected an RGB string #RRGGBB`);
  });
  if (list.length === 0) return;
  const sorted = (list as Array<{ from: number; to: number }>).slice().sort((a, b) => a.from - b.from);
  let reached = -1;
  for (const s of sorted) {
    if (reached >= 0 && s.from < reached)
      throw badRequest(`${where}.segments overlap: ${s.from}-${s.to} starts before ${reached}`);
    if (s.from > reached + 1)
      throw badRequest(`${where}.segments must cover 0-100; nothing covers ${reached + 1}-${s.from - 1}`);
    reached = s.to;
  }
  if (reached !== 100) throw badRequest(`${where}.segments must cover 0-100; they stop at ${reached}`);
}

/** Options of button lists and choices: named, names unique. */
function checkOptions(c: JsonObject, where: string): void {
  if (!Array.isArray(c.options) || c.options.length === 0)
    throw badRequest(`${where}.options must be a non-empty array`);
  const names: string[] = [];
  c.options.forEach((o: unknown, i: number) => {
    const at = `${where}.options[${i}]`;
    if (!isObject(o) || typeof o.name !== 'string' || o.name === '')
      throw badRequest(`${at}.name must be a non-empty string`);
    if (names.includes(o.name)) throw badRequest(`${at}.name "${o.name}" is used by another option`);
    names.push(o.name);
    text(o, 'value', at);
    oneOf(o, 'type', ['text', 'icon'], at);
  });
}

function arrayValue(c: JsonObject, where: string): void {
  if (present(c.value) && !Array.isArray(c.value)) throw badRequest(`${where}.value must be an array`);
}

const PICKERS_WITH_TEXT_VALUE = ['textbox', 'datepicker', 'timepicker', 'colorpicker', 'qrcodescanner', 'nfcreader'];
const PICKERS_WITH_ARRAY_VALUE = ['photopicker', 'filepicker', 'contactpicker', 'bucketpicker'];
const KNOWN = [
  'label',
  'textbox',
  'gauge',
  'buttonlist',
  'singlechoice',
  'multichoice',
  'switch',
  'slider',
  'datepicker',
  'timepicker',
  'locationpicker',
  'photopicker',
  'filepicker',
  'contactpicker',
  'colorpicker',
  'bucketpicker',
  'eventpicker',
  'hiddenvalue',
  'callbutton',
  'qrcodescanner',
  'nfcreader',
];

/** One form component, by its formComponentType. */
export function checkFormComponent(c: JsonObject, where: string): void {
  const type = c.formComponentType as string;
  if (!KNOWN.includes(type))
    throw badRequest(`${where}.formComponentType "${type}" is not a documented form component`);
  text(c, 'title', where);
  text(c, 'actionButtonTitle', where);
  bool(c, 'requiredSelection', where);
  bool(c, 'multiSelection', where);
  if (PICKERS_WITH_TEXT_VALUE.includes(type)) text(c, 'value', where);
  if (PICKERS_WITH_ARRAY_VALUE.includes(type)) arrayValue(c, where);
  switch (type) {
    case 'gauge':
      checkGauge(c, where);
      break;
    case 'buttonlist':
      checkOptions(c, where);
      bool(c, 'verticalList', where);
      oneOf(c, 'lineSize', ['flexible', '1', '2', '3', '4', '5', '6'], where);
      break;
    case 'singlechoice':
      checkOptions(c, where);
      oneOf(c, 'mode', ['list', 'dropdown'], where);
      text(c, 'value', where);
      break;
    case 'multichoice':
      checkOptions(c, where);
      arrayValue(c, where);
      break;
    case 'switch':
      bool(c, 'value', where);
      break;
    case 'slider': {
      const min = present(c.min) ? c.min : 0;
      const max = present(c.max) ? c.max : 100;
      for (const f of ['min', 'max', 'step', 'value'])
        if (present(c[f]) && typeof c[f] !== 'number') throw badRequest(`${where}.${f} must be a number`);
      if ((min as number) >= (max as number))
        throw badRequest(`${where}: min (${String(min)}) must be less than max (${String(max)})`);
      if (present(c.step) && (c.step as number) <= 0) throw badRequest(`${where}.step must be greater than 0`);
      if (present(c.value)) inRange(c, 'value', min as number, max as number, where);
      break;
    }
    case 'locationpicker':
      bool(c, 'currentLocationOnly', where);
      break;
    case 'bucketpicker':
      if (present(c.filter)) {
        if (!isObject(c.filter) || !Array.isArray(c.filter.types))
          throw badRequest(`${where}.filter must be {types: [...]}`);
        for (const t of c.filter.types) {
          if (!['post', 'profile', 'groupchat', 'channel'].includes(t))
            throw badRequest(
              `${where}.filter.types contains ${JSON.stringify(t)}; allowed: post | profile | groupchat | channel`,
            );
        }
      }
      break;
    case 'eventpicker': {
      oneOf(c, 'eventsDisplayMode', ['list', 'buttons'], where);
      if (!Array.isArray(c.events)) throw badRequest(`${where}.events must be an array`);
      const ids = new Set<unknown>();
      c.events.forEach((e: unknown, i: number) => {
        const at = `${where}.events[${i}]`;
        if (!isObject(e)) throw badRequest(`${at} must be an object`);
        if (typeof e.id !== 'string' || e.id === '') throw badRequest(`${at}.id must be a non-empty string`);
        if (ids.has(e.id)) throw badRequest(`${at}.id "${e.id}" is not unique`);
        ids.add(e.id);
        if (typeof e.start !== 'number') throw badRequest(`${at}.start must be an epoch number (milliseconds)`);
      });
      arrayValue(c, where);
      break;
    }
    case 'qrcodescanner':
      oneOf(c, 'mode', ['auto', 'qrcode', 'barcode'], where);
      break;
  }
}
