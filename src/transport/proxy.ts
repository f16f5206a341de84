/**
 * Which proxy a connection to a URL goes through: the one a caller names, or the environment's (`HTTPS_PROXY` for
 * https and wss, `HTTP_PROXY` for http and ws, lower case first, as curl reads them; `NO_PROXY` names hosts reached
 * directly). Credentials are kept apart from the address, so the address can be logged and shown.
 */
export interface ProxySettings {
  /** A proxy URL to use for every connection, whatever the environment says; empty: the environment decides. */
  url?: string;
  /** Credentials for the proxy (basic auth), when they are not in the URL. */
  username?: string;
  password?: string;
}

export interface ResolvedProxy {
  /** The proxy's address, without credentials. */
  url: URL;
  /** `Basic ...` when the proxy needs credentials. */
  authorization?: string;
  /** The address for logs and errors: scheme, host and port only. */
  label: string;
}

type Env = Record<string, string | undefined>;

/** The proxy for a connection to `target`, or undefined to connect directly. Throws on a malformed proxy URL. */
export function proxyFor(
  target: string | URL,
  settings: ProxySettings = {},
  env: Env = process.env,
): ResolvedProxy | undefined {
  const to = typeof target === 'string' ? new URL(target) : target;
  const explicit = settings.url?.trim();
  if (explicit) return resolve(explicit, settings);
  const secure = to.protocol === 'https:' || to.protocol === 'wss:';
  const fromEnv = secure ? (env.https_proxy ?? env.HTTPS_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!fromEnv?.trim()) return undefined;
  if (bypassed(to, env.no_proxy ?? env.NO_PROXY ?? '')) return undefined;
  return resolve(fromEnv.trim(), {});
}

function resolve(text: string, settings: ProxySettings): ResolvedProxy {
  let url: URL;
  try {
    // "proxy.example.com:3128" without a scheme means http, as curl takes it.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new Error('the proxy address is not a URL (expected e.g. http://proxy.example.com:3128)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`proxies with ${url.protocol.replace(':', '')}:// are not supported (use http:// or https://)`);
  }
  const username = settings.username || decodeURIComponent(url.username);
  const password = settings.password || decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const resolved: ResolvedProxy = { url, label: `${url.protocol}//${url.hostname}:${port}` };
  if (username || password) {
    resolved.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  return resolved;
}

/**
 * Whether NO_PROXY sends `target` directly: `*` for every host; otherwise names separated by commas or spaces, each
 * matching the host and its subdomains (`example.com`, `.example.com`, `*.example.com`), an address exactly, and with
 * `:port` only that port. Address ranges (CIDR) are not read.
 */
export function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const found = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''));
    const name = (found?.[1] ?? entry).replace(/^\*?\./, '');
    const onlyPort = found?.[2];
    if (onlyPort && onlyPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}
