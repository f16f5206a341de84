import type { Endpoint } from './endpoints';
import { InvalidInputError } from './errors';

/** A request split the way the API takes it: URL parameters (query or path) and a JSON body. */
export interface RequestParts {
  parameters: Record<string, unknown>;
  body: Record<string, unknown>;
}

/**
 * Splits one flat object of inputs into URL parameters and body fields according to the endpoint table, so callers
 * (and users of the api node) never need to know which is which. Checks required parameters before anything is sent.
 */
export function splitInput(endpoint: Endpoint, input: Record<string, unknown> = {}): RequestParts {
  const parameters: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  const urlParams = urlParamsOf(endpoint);
  for (const key in input) {
    if (!Object.prototype.hasOwnProperty.call(input, key)) continue;
    const value = input[key];
    if (value === undefined) continue;
    if (urlParams.has(key)) parameters[key] = value;
    else body[key] = value;
  }
  for (const param of endpoint.params) {
    if (!param.required) continue;
    const value = param.in === 'body' ? body[param.name] : parameters[param.name];
    if (value === undefined || value === null || value === '') {
      throw new InvalidInputError(`${endpoint.path} needs "${param.name}" (${param.description})`, endpoint.path);
    }
  }
  return { parameters, body };
}

/** The names of an endpoint's URL parameters, worked out once per endpoint (every message asks). */
const URL_PARAMS = new WeakMap<Endpoint, ReadonlySet<string>>();
function urlParamsOf(endpoint: Endpoint): ReadonlySet<string> {
  let names = URL_PARAMS.get(endpoint);
  if (!names) {
    names = new Set(endpoint.params.filter((p) => p.in !== 'body').map((p) => p.name));
    URL_PARAMS.set(endpoint, names);
  }
  return names;
}

/** Renders URL parameters: path placeholders filled in, the rest as a URL-encoded query string. */
export function buildUrlPath(endpoint: Endpoint, parameters: Record<string, unknown>): string {
  let path = endpoint.path;
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined || value === null || value === '') continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    if (path.includes(`{${key}}`)) path = path.replace(`{${key}}`, encodeURIComponent(text));
    else query.append(key, text);
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
