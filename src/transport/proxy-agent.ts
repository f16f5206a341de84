import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import * as tls from 'node:tls';
import type { ResolvedProxy } from './proxy';

type Callback = (err: Error | null, socket?: Duplex) => void;

/**
 * Opens a tunnel through an HTTP proxy (`CONNECT host:port`) and hands the socket to the caller: the way a WebSocket
 * reaches its server through a proxy. The proxy's credentials go only into the CONNECT request; a refusal names the
 * proxy by its address and the proxy's status, never the credentials.
 */
function openTunnel(proxy: ResolvedProxy, host: string, port: number, timeoutMs: number, callback: Callback): void {
  const headers: Record<string, string> = { host: `${host}:${port}` };
  if (proxy.authorization) headers['proxy-authorization'] = proxy.authorization;
  const request = (proxy.url.protocol === 'https:' ? https : http).request({
    host: proxy.url.hostname,
    port: proxy.url.port || (proxy.url.protocol === 'https:' ? 443 : 80),
    method: 'CONNECT',
    path: `${host}:${port}`,
    headers,
    timeout: timeoutMs,
  });
  let settled = false;
  const finish = (err: Error | null, socket?: Duplex) => {
    if (settled) return;
    settled = true;
    callback(err, socket);
  };
  request.once('connect', (response, socket) => {
    if (response.statusCode === 200) return finish(null, socket);
    socket.destroy();
    finish(new ProxyRefusedError(proxy.label, response.statusCode ?? 0, response.statusMessage ?? ''));
  });
  request.once('timeout', () => {
    request.destroy();
    finish(new Error(`the proxy ${proxy.label} did not answer within ${timeoutMs} ms`));
  });
  request.once('error', (err: NodeJS.ErrnoException) => {
    const failure = new Error(`the proxy ${proxy.label} cannot be reached (${err.code ?? err.message})`);
    (failure as NodeJS.ErrnoException).code = err.code;
    finish(failure);
  });
  request.end();
}

/** The proxy answered CONNECT with something other than 200 (e.g. 407: credentials missing or wrong). */
export class ProxyRefusedError extends Error {
  readonly code = 'PROXY_REFUSED';
  constructor(
    readonly proxy: string,
    readonly status: number,
    statusText: string,
  ) {
    const hint = status === 407 || status === 401 ? ': check the proxy user name and password' : '';
    super(`the proxy ${proxy} refused the connection (${status} ${statusText})${hint}`.replace(' )', ')'));
    this.name = 'ProxyRefusedError';
  }
}

/** Options a WebSocket client passes to its agent's createConnection. */
type ConnectOptions = Omit<tls.ConnectionOptions, 'port'> & { hostname?: string; port?: number | string };

/**
 * An agent for `ws://` and `wss://` connections through a proxy: each connection is a CONNECT tunnel, with TLS to the
 * server inside it for `wss://` (the server's certificate is verified as always).
 */
export function tunnelAgent(proxy: ResolvedProxy, secure: boolean, timeoutMs = 10_000): http.Agent {
  const Base = secure ? https.Agent : http.Agent;
  const agent = new Base({ keepAlive: false });
  const connect = (options: ConnectOptions, callback: Callback) => {
    const host = String(options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port) || (secure ? 443 : 80);
    openTunnel(proxy, host, port, timeoutMs, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'));
      if (!secure) return callback(null, socket);
      // SNI carries host names only, never an address.
      const servername = options.servername ?? (isIP(host) ? undefined : host);
      const secured = tls.connect({ ...options, socket, servername, host: undefined, port: undefined });
      // The socket's own handshake timeout starts only once it has a socket: this stage needs its own limit.
      secured.setTimeout(timeoutMs, () =>
        secured.destroy(new Error(`TLS through the proxy ${proxy.label} did not finish within ${timeoutMs} ms`)),
      );
      secured.once('secureConnect', () => {
        secured.setTimeout(0);
        callback(null, secured);
      });
      secured.once('error', (tlsErr) => callback(tlsErr));
    });
    return undefined;
  };
  (agent as unknown as { createConnection: typeof connect }).createConnection = connect;
  return agent;
}
