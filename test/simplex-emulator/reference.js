'use strict';
// Reads the SimpleX bot API reference (../shared/reference/simplex-bot-api) into plain data the tests check against:
// the types of TYPES.md, the response and event records of COMMANDS.md and EVENTS.md, and the commands with their
// parameters and JavaScript syntax. Nothing here comes from the emulator.
const fs = require('node:fs');
const path = require('node:path');

const REF_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'simplex-bot-api');
const read = (name) => fs.readFileSync(path.join(REF_DIR, name), 'utf8');

/** Parses a field type such as `[[ChatItem](#chatitem)]?` or `{string : int64}`. */
function parseTypeExpr(text) {
  let t = text.trim();
  let optional = false;
  if (t.endsWith('?')) {
    optional = true;
    t = t.slice(0, -1).trim();
  }
  return { optional, type: parseBare(t) };
}

function parseBare(t) {
  const link = /^\[([A-Za-z0-9_]+)\]\([^)]*\)$/.exec(t);
  if (link) return { kind: 'ref', name: link[1] };
  const map = /^\{string : (.+)\}$/.exec(t);
  if (map) return { kind: 'map', of: parseBare(map[1].trim()) };
  if (t.startsWith('[') && t.endsWith(']')) return { kind: 'array', of: parseBare(t.slice(1, -1)) };
  return { kind: 'prim', name: t };
}

function fieldLines(lines, start) {
  const fields = [];
  let i = start;
  for (; i < lines.length; i++) {
    const m = /^- ([A-Za-z0-9_]+): (.+)$/.exec(lines[i]);
    if (!m) break;
    fields.push({ name: m[1], ...parseTypeExpr(m[2]) });
  }
  return { fields, next: i };
}

function loadTypes() {
  const lines = read('TYPES.md').split('\n');
  const types = {};
  let current = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const h = /^## ([A-Za-z0-9_]+)$/.exec(line);
    if (h) {
      current = { name: h[1] };
      types[h[1]] = current;
      continue;
    }
    if (!current) continue;
    if (line === '**Record type**:') {
      const { fields, next } = fieldLines(lines, i + 1);
      current.kind = 'record';
      current.fields = fields;
      i = next - 1;
    } else if (line === '**Enum type**:') {
      current.kind = 'enum';
      current.values = [];
      for (let j = i + 1; j < lines.length && /^- "/.test(lines[j]); j++)
        current.values.push(JSON.parse(lines[j].slice(2)));
    } else if (line === '**Discriminated union type**:') {
      current.kind = 'union';
      current.variants = {};
    } else if (current.kind === 'union' && /^- type: "/.test(line)) {
      const tag = JSON.parse(line.slice('- type: '.length));
      const { fields, next } = fieldLines(lines, i + 1);
      current.variants[tag] = fields;
      i = next - 1;
    } else if (line === '```javascript' && current) {
      current.jsSyntax = lines[i + 1].replace(/ \/\/ JavaScript$/, '');
    }
  }
  return types;
}

/** `- type: "tag"` blocks of COMMANDS.md and EVENTS.md: tag -> list of field lists (a tag may be defined twice). */
function loadRecords(file) {
  const lines = read(file).split('\n');
  const records = {};
  for (let i = 0; i < lines.length; i++) {
    const m = /^- type: "([A-Za-z0-9_]+)"$/.exec(lines[i]);
    if (!m) continue;
    const { fields, next } = fieldLines(lines, i + 1);
    (records[m[1]] ??= []).push(fields);
    i = next - 1;
  }
  return records;
}

/** The commands of COMMANDS.md: name, parameters, JavaScript syntax and documented response tags. */
function loadCommands() {
  const text = read('COMMANDS.md');
  const sections = text.split(/\n### /).slice(1);
  return sections.map((section) => {
    const lines = section.split('\n');
    const name = lines[0].trim();
    const paramsAt = lines.indexOf('**Parameters**:');
    const params = paramsAt >= 0 ? fieldLines(lines, paramsAt + 1).fields : [];
    const jsAt = lines.indexOf('```javascript');
    const syntaxAt = lines.indexOf('**Syntax**:');
    const js = jsAt >= 0 ? lines[jsAt + 1].replace(/ \/\/ JavaScript$/, '') : null;
    const plain = lines[syntaxAt + 3];
    const responses = [...section.matchAll(/^- type: "([A-Za-z0-9_]+)"$/gm)].map((m) => m[1]);
    const errorsAt = lines.indexOf('**Errors**:');
    const errors = [];
    for (let i = errorsAt + 1; errorsAt >= 0 && /^- [A-Za-z]+:/.test(lines[i] ?? ''); i++)
      errors.push(/^- ([A-Za-z]+):/.exec(lines[i])[1]);
    return { name, params, js, plain, responses, errors };
  });
}

const types = loadTypes();
const responseRecords = loadRecords('COMMANDS.md');
const eventRecords = loadRecords('EVENTS.md');
const commands = loadCommands();

const INT_TYPES = new Set(['int64', 'int', 'word32']);

/** Checks `value` against a type expression; returns a list of "path: problem" strings. */
function check(value, type, where, problems) {
  if (type.kind === 'array') {
    if (!Array.isArray(value)) return problems.push(`${where}: expected an array`);
    value.forEach((v, i) => check(v, type.of, `${where}[${i}]`, problems));
    return;
  }
  if (type.kind === 'map') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return problems.push(`${where}: expected an object map`);
    for (const [k, v] of Object.entries(value)) check(v, type.of, `${where}.${k}`, problems);
    return;
  }
  if (type.kind === 'prim') {
    const ok = INT_TYPES.has(type.name)
      ? Number.isInteger(value)
      : type.name === 'double'
        ? typeof value === 'number'
        : type.name === 'bool'
          ? typeof value === 'boolean'
          : type.name === 'string'
            ? typeof value === 'string'
            : type.name === 'UTCTime'
              ? typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)
              : type.name === 'JSONObject'
                ? typeof value === 'object' && value !== null && !Array.isArray(value)
                : false;
    if (!ok) problems.push(`${where}: expected ${type.name}, got ${JSON.stringify(value)}`);
    return;
  }
  const def = types[type.name];
  // Types the reference names but never defines (MsgSigStatus, SubscriptionStatus...) accept any value.
  if (!def || !def.kind) return;
  if (def.kind === 'enum') {
    if (!def.values.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} is not a ${def.name}`);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return problems.push(`${where}: expected a ${def.name} object`);
  if (def.kind === 'record') return checkFields(value, def.fields, where, problems, def.name);
  const fields = def.variants[value.type];
  if (!fields) return problems.push(`${where}: unknown ${def.name} tag ${JSON.stringify(value.type)}`);
  checkFields(
    value,
    [{ name: 'type', optional: false, type: { kind: 'prim', name: 'string' } }, ...fields],
    where,
    problems,
    `${def.name}.${value.type}`,
  );
}

function checkFields(value, fields, where, problems, typeName) {
  const known = new Set(fields.map((f) => f.name));
  for (const f of fields) {
    const v = value[f.name];
    if (v === undefined || v === null) {
      if (!f.optional) problems.push(`${where}.${f.name}: required by ${typeName}, missing`);
      continue;
    }
    check(v, f.type, `${where}.${f.name}`, problems);
  }
  for (const key of Object.keys(value))
    if (!known.has(key)) problems.push(`${where}.${key}: not a field of ${typeName}`);
}

/** Problems of a reply or event record `resp` against every definition of its tag; [] when one matches. */
function checkRecord(resp, definitions) {
  const defs = definitions[resp.type];
  if (!defs) return [`${resp.type}: not documented`];
  let best = null;
  for (const fields of defs) {
    const problems = [];
    checkFields(
      resp,
      [
        { name: 'type', optional: false, type: { kind: 'prim', name: 'string' } },
        ...fields.filter((f) => f.name !== 'type'),
      ],
      resp.type,
      problems,
      resp.type,
    );
    if (problems.length === 0) return [];
    if (!best || problems.length < best.length) best = problems;
  }
  return best;
}

module.exports = { REF_DIR, types, responseRecords, eventRecords, commands, check, checkRecord, parseTypeExpr };
