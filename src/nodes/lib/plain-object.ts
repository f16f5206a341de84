import { FlowInputError } from './flow-input';

/**
 * A plain object: made by `{}`, JSON or `Object.create(null)`; not an array, Buffer, Date, Map or other class. A
 * function node runs in its own realm, whose `Object.prototype` is another object: any prototype that is the root of
 * its chain counts.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (Object.prototype.toString.call(value) !== '[object Object]') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** What a value is, in a few words for an error: "a Buffer of 10485760 bytes", "an array", "a Map". */
export function kindOf(value: unknown): string {
  if (Buffer.isBuffer(value)) return `a Buffer of ${value.length} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'object' && value !== null) {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name ? `a ${name.slice(0, 40)}` : 'an object';
  }
  return typeof value;
}

/**
 * `msg.payload` as a node's `{name: value}` input: a plain object is used, a plain value (an inject's timestamp, a
 * text) supplies nothing, and any other object is a mistake in the flow that the person should hear about at once
 * rather than have the node walk a 10 MB Buffer byte by byte. `error(kind)` words the error from the node's catalogue.
 */
export function payloadObject(payload: unknown, error: (kind: string) => string): Record<string, unknown> | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  if (isPlainObject(payload)) return payload;
  throw new FlowInputError('payloadNotObject', error(kindOf(payload)), 'payload');
}
