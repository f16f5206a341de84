import { FlowInputError } from './flow-input';
import type { Translate } from './translate';

/** Bounds of a per-message request timeout, ms: long enough for a slow line, short enough not to hold a flow. */
export const TIMEOUT_BOUNDS_MS = { min: 1000, max: 120_000 } as const;

/** Set at all: undefined, null and an empty string mean "not set here". */
export const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

/**
 * `silent` from a message or a typed input: a boolean, or the words `true` / `false`. Anything else is a mistake in
 * the flow, named with the property it came from. Keys are relative to the send node's catalogue.
 */
export function silentFrom(value: unknown, property: string, t: Translate): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new FlowInputError('badSilent', t('errors.badSilent', { property, got: describe(value) }), property);
}

/** A request timeout in ms (a number or a numeric string) within {@link TIMEOUT_BOUNDS_MS}. */
export function timeoutFrom(value: unknown, property: string, t: Translate): number {
  const ms = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < TIMEOUT_BOUNDS_MS.min || ms > TIMEOUT_BOUNDS_MS.max) {
    const args = { property, got: describe(value), ...TIMEOUT_BOUNDS_MS };
    throw new FlowInputError('badTimeout', t('errors.badTimeout', args), property);
  }
  return Math.round(ms);
}

/** The refName of a component of the message reacted to: a non-blank string. */
export function refNameFrom(value: unknown, property: string, t: Translate): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new FlowInputError('badRefName', t('errors.badRefName', { property, got: describe(value) }), property);
}

/** A value in a few words for an error: never the whole of a long or nested value. */
function describe(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}..."` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}
