import { PATHS, type Endpoint, type EndpointParam } from '../../semilimes';
import { FlowInputError } from './flow-input';
import { isPlainObject } from './plain-object';

/** One parameter as the api node's dialog stores it: a typed input. */
export interface ConfiguredParam {
  value: string;
  type: string;
}

/** Operations the api node refuses, with the node that does the job properly. */
export const HANDLED_ELSEWHERE: Readonly<Record<string, string>> = {
  [PATHS.fileUpload]: 'semilimes-file',
  [PATHS.fileDownload]: 'semilimes-file',
};

/** The api node's one operation that is not a single endpoint: the documented rotation flow for its own account. */
export const ROTATE_OPERATION = 'rotate-key';

/** A value counts as "not given" when a typed input evaluates to nothing. */
export function isUnset(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** What a parameter must be, as a catalogue key (`semilimes-api.expected.<key>`). */
export type Expected = 'string' | 'integer' | 'number' | 'boolean' | 'list' | 'object' | 'array';

/** A typed value that does not fit its parameter (a flow-input mistake); the node words it from its catalogue. */
export class ParamTypeError extends FlowInputError {
  constructor(
    readonly param: string,
    readonly expected: Expected,
    readonly got: string,
  ) {
    super('badParam', `parameter "${param}" must be ${expected}, got ${got}`);
  }
}

/**
 * Turns an evaluated typed input into the parameter's documented type, or throws a ParamTypeError naming the
 * parameter. Strings from the dialog are accepted where they read unambiguously ("12" for an integer, "true" for a
 * boolean, "a, b" for a list, JSON text for an object).
 */
export function coerceParam(param: EndpointParam, value: unknown): unknown {
  const fail = (expected: Expected): never => {
    const got = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    throw new ParamTypeError(param.name, expected, got);
  };
  switch (param.type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return fail('string');
    case 'integer':
    case 'number': {
      const n = typeof value === 'string' ? Number(value.trim()) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return fail(param.type);
      if (param.type === 'integer' && !Number.isInteger(n)) return fail('integer');
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return fail('boolean');
    case 'string[]':
      if (Array.isArray(value)) return value.map((v) => String(v));
      if (typeof value === 'string') {
        return value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean);
      }
      return fail('list');
    case 'object':
      if (typeof value === 'string') value = parseJson(value) ?? value;
      return isPlainObject(value) ? value : fail('object');
    case 'object[]':
      if (typeof value === 'string') value = parseJson(value) ?? value;
      return Array.isArray(value) ? value : fail('array');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The fields of `msg.payload` the endpoint takes: its documented parameters, or everything for endpoints whose body
 * is a whole component (bucket update). Anything else in the payload (for instance the previous node's output) is
 * left out rather than sent to semilimes. No payload object (see `payloadObject`) supplies nothing.
 */
export function payloadInput(
  endpoint: Endpoint,
  payload: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!payload) return {};
  if (endpoint.openBody) return { ...payload };
  const names = new Set(endpoint.params.map((p) => p.name));
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (names.has(key)) input[key] = value;
  return input;
}
