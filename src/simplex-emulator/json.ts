// Plain JSON helpers shared by the emulator's modules.

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops the keys whose value is undefined, so optional fields are absent rather than null. */
export function compact<T extends Json>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

export function nowIso(): string {
  return new Date().toISOString();
}
