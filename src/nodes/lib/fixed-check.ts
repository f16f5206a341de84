import {
  DATA_COMPONENTS,
  FORM_COMPONENTS,
  buildDataComponent,
  buildForm,
  buildFormComponent,
  type DataComponentType,
  type FieldSpec,
  type FormComponentType,
} from '../../semilimes';
import { isUnset, toKind, type FieldEntries } from './component-fields';
import type { NodeAPI } from './node-red';

/** Typed-input types whose value is in the node itself, so the editor can know it before any message arrives. */
const FIXED_TYPES = ['str', 'sel', 'num', 'bool', 'json'];

/** One broken rule of a fixed value: which row (form components, from 0) or the settings (null), and why. */
export interface FixedProblem {
  row: number | null;
  message: string;
}

/** What the editor posts: a form node's settings and rows, or a component node's type and fields. */
export interface FixedCheckRequest {
  settings?: unknown;
  components?: unknown;
  componentType?: unknown;
  bucketMode?: unknown;
  fields?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The values of fields that are all fixed (or undefined when one comes from a message or context: then only the
 * runtime, with the message in hand, can judge the rules that span fields). Evaluated as the runtime does.
 */
function fixedValues(
  RED: NodeAPI,
  fields: Readonly<Record<string, FieldSpec>>,
  entries: unknown,
): Record<string, unknown> | undefined {
  const saved = (isObject(entries) ? entries : {}) as FieldEntries;
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(fields)) {
    const entry = saved[name];
    if (!entry || typeof entry.v !== 'string' || isUnset(spec, entry)) continue;
    if (!FIXED_TYPES.includes(entry.t)) return undefined;
    try {
      out[name] = toKind(spec, RED.util.evaluateNodeProperty(entry.v, entry.t === 'sel' ? 'str' : entry.t, null as never, {}));
    } catch {
      // Bad JSON: the dialog marks that field by itself.
      return undefined;
    }
  }
  return out;
}

function attempt(problems: FixedProblem[], row: number | null, build: () => unknown): unknown {
  try {
    return build();
  } catch (err) {
    problems.push({ row, message: (err as Error).message });
    return undefined;
  }
}

/**
 * The documented rules a node's fixed values break, checked by the same builders the runtime runs for every message
 * (ranges, slider min < max, gauge segments, colours, required fields, ...). Rows with a value from the message are
 * left to the runtime.
 */
export function checkFixedValues(RED: NodeAPI, request: FixedCheckRequest): FixedProblem[] {
  const problems: FixedProblem[] = [];
  if (typeof request.componentType === 'string') {
    const type = request.componentType as Exclude<DataComponentType, 'form'>;
    if (!(type in DATA_COMPONENTS) || (type as string) === 'form') return problems;
    // A bucket reference is only its id, which may come from the message.
    if (type === 'bucket' && request.bucketMode === 'reference') return problems;
    const values = fixedValues(RED, DATA_COMPONENTS[type].fields, request.fields);
    if (values) attempt(problems, null, () => buildDataComponent(type, values as never));
    return problems;
  }
  const rows = Array.isArray(request.components) ? request.components : [];
  const built: unknown[] = [];
  rows.forEach((row: unknown, index) => {
    if (!isObject(row) || typeof row.type !== 'string' || !(row.type in FORM_COMPONENTS)) return;
    const type = row.type as FormComponentType;
    const values = fixedValues(RED, FORM_COMPONENTS[type].fields, row.fields);
    const refName = typeof row.refName === 'string' ? row.refName : '';
    if (values) built.push(attempt(problems, index, () => buildFormComponent(type, refName, values as never)));
  });
  const { receiver: _receiver, formComponents: _components, ...settingFields } = DATA_COMPONENTS.form.fields;
  const settings = fixedValues(RED, settingFields, request.settings);
  const complete = built.length === rows.length && built.every((c) => c !== undefined);
  if (settings && complete) attempt(problems, null, () => buildForm(settings as never, built as never));
  return problems;
}
