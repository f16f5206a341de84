// Readers for request bodies (JSON) and request parameters. Parameters arrive as strings over REST (URL query)
// and as JSON values over WebSocket (the frame's "parameters" object), so the parameter readers accept both.
import { badRequest } from './envelope';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function bodyObject(body: unknown): JsonObject {
  if (!isObject(body)) throw badRequest('the request body must be a JSON object');
  return body;
}

export function reqString(obj: JsonObject, field: string, where = 'body'): string {
  const value = obj[field];
  if (value === undefined || value === null) throw badRequest(`${where}.${field} is required`);
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(`${where}.${field} must be a non-empty string`);
  return value;
}

export function optString(obj: JsonObject, field: string, where = 'body'): string | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${where}.${field} must be a string`);
  return value;
}

export function optBool(obj: JsonObject, field: string, where = 'body'): boolean | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${where}.${field} must be a boolean`);
  return value;
}

export function optInt(obj: JsonObject, field: string, min: number, max: number, where = 'body'): number | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badRequest(`${where}.${field} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function optStringArray(obj: JsonObject, field: string, where = 'body'): string[] | undefined {
  const value = obj[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw badRequest(`${where}.${field} must be an array of non-empty strings`);
  }
  return [...new Set(value as string[])];
}

/** `options: { silent }` of the send and update endpoints. */
export function readSilent(body: JsonObject): boolean {
  const options = body.options;
  if (options === undefined || options === null) return false;
  if (!isObject(options)) throw badRequest('body.options must be an object');
  return optBool(options, 'silent', 'body.options') ?? false;
}

// ---- request parameters ----

export type Params = Record<string, unknown>;

export function paramString(params: Params, name: string, required: true): string;
export function paramString(params: Params, name: string, required?: false): string | undefined;
export function paramString(params: Params, name: string, required = false): string | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw badRequest(`parameter ${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw badRequest(`parameter ${name} must be a string`);
  return value;
}

/** Booleans travel as "true"/"false" in a query string; anything else is a client mistake worth reporting. */
export function paramBool(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw badRequest(`parameter ${name} must be "true" or "false"`);
}

export function paramInt(params: Params, name: string, min: number): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min) throw badRequest(`parameter ${name} must be an integer >= ${min}`);
  return n;
}

/** Comma separated ids ("a,b,c"); an array is accepted too because a WebSocket client may send one. */
export function paramList(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
  if (!items || !items.every((v) => typeof v === 'string')) {
    throw badRequest(`parameter ${name} must be a comma separated list of ids`);
  }
  return (items as string[]).map((v) => v.trim()).filter((v) => v !== '');
}
