import { FlowInputError } from './flow-input';
import type { FieldSpec } from '../../semilimes';
import type { FlowMessage, Node, NodeAPI } from './node-red';
import { isPlainObject, kindOf } from './plain-object';
import type { Translate } from './translate';
import { evaluateTypedInput } from './typed-input';

/**
 * One field as the editor saves it: the typed input's text and type. `sel` is the editor's own type for a choice
 * among documented values; it is a plain string at run time.
 */
export interface FieldEntry {
  v: string;
  t: string;
}

export type FieldEntries = Record<string, FieldEntry | undefined>;

/** An empty text means "not set" unless the field is free text, where "" is a value (an empty submit text). */
export function isUnset(spec: FieldSpec, entry: FieldEntry): boolean {
  if (entry.v !== '') return false;
  if (entry.t === 'str') {
    if (spec.kind === 'any') return false;
    return spec.kind !== 'string' || spec.enum !== undefined || spec.format !== undefined;
  }
  return ['sel', 'num', 'bool', 'json', 'date'].includes(entry.t);
}

/**
 * Typed inputs that read a message or context may yield text where the documentation wants a number or a boolean
 * (an HTTP query, an MQTT payload); such text is converted. Anything else is left for validation to judge.
 */
export function toKind(spec: FieldSpec, value: unknown): unknown {
  if (spec.kind === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  if (spec.kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if (spec.kind === 'string' && typeof value === 'number') return String(value);
  return value;
}

/**
 * Evaluates the saved fields of one component for one message, in the definition's order. Fields the editor did not
 * save, or left empty, are left out (the builders then fill the documented defaults).
 */
export async function evaluateFields(
  RED: NodeAPI,
  node: Node,
  fields: Readonly<Record<string, FieldSpec>>,
  entries: FieldEntries | undefined,
  msg: FlowMessage,
  where: string,
  t: Translate,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const entry = entries?.[name];
    if (!entry || typeof entry.v !== 'string' || isUnset(spec, entry)) continue;
    let value: unknown;
    try {
      value = await evaluateTypedInput(RED, node, entry.v, entry.t === 'sel' ? 'str' : entry.t, msg);
    } catch (err) {
      // A field's typed input could not be evaluated (bad JSON, a JSONata error): the message says which field.
      const what = `${where}: ${name} (${entry.t} ${JSON.stringify(entry.v)})`;
      throw new FlowInputError('badField', `${what} could not be evaluated: ${(err as Error).message}`);
    }
    if (value === undefined) continue;
    // A field holds JSON: a Buffer or class instance read from the message is a mistake in the flow, said at once
    // (validating or quoting a 10 MB Buffer would walk every byte).
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isPlainObject(value)) {
      throw new FlowInputError('fieldNotValue', t('errors.fieldNotValue', { where, field: name, kind: kindOf(value) }));
    }
    out[name] = toKind(spec, value);
  }
  return out;
}
