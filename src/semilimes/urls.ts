import { InvalidInputError } from './errors';

export const DEFAULT_BASE_URL = 'https://api.semilimes.net';

/** True for addresses that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks the REST base and derives the WebSocket address (`/service/ws` under the same host). Plain http/ws is
 * accepted only for loopback addresses (the local emulator): anything else must be TLS, so the API key never
 * crosses a network in clear.
 */
export function resolveUrls(baseUrl = DEFAULT_BASE_URL, wsUrl?: string): { baseUrl: string; wsUrl: string } {
  const base = parseUrl(baseUrl, ['https:', 'http:']);
  const ws = wsUrl ? parseUrl(wsUrl, ['wss:', 'ws:']) : deriveWsUrl(base);
  return { baseUrl: base.toString().replace(/\/+$/, ''), wsUrl: ws.toString() };
}

function deriveWsUrl(base: URL): URL {
  const ws = new URL(base.toString());
  ws.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  ws.pathname = `${base.pathname.replace(/\/+$/, '')}/service/ws`;
  return ws;
}

function parseUrl(text: string, protocols: [secure: string, plain: string]): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidInputError(`invalid URL: ${text}`);
  }
  const [secure, plain] = protocols;
  if (url.protocol === secure) return url;
  if (url.protocol === plain) {
    if (isLoopbackHost(url.hostname)) return url;
    throw new InvalidInputError(`${plain}// is only allowed for a loopback address; use ${secure}// for ${url.host}`);
  }
  throw new InvalidInputError(`unsupported URL scheme ${url.protocol} in ${text}`);
}
