// The WebSocket transport: authenticated upgrade at /service/ws, request/response frames, heartbeat pongs.
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { ApiContext } from './api/context';
import { findWsRoute } from './api/routes';
import { authenticate } from './auth';
import { Core, logRequest } from './core';
import { ApiError, errorEnvelope, statusText, wsResponse } from './envelope';
import { failureMessage } from './faults';
import { Connection } from './sockets';
import { isObject } from './validate';

export const WS_PATH = '/service/ws';

/** Refuses an upgrade with a plain HTTP response on the raw socket (no WebSocket handshake happens). */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorEnvelope(status, message));
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${statusText(status)}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}

export class WebSocketTransport {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly core: Core,
    compress = false,
  ) {
    // autoPong off: pings are answered by hand so setPongs(false) can simulate a half-open connection.
    // With `compress`, every frame is compressed (threshold 0) for a client that accepts permessage-deflate.
    const perMessageDeflate = compress ? { threshold: 0 } : false;
    this.wss = new WebSocketServer({ noServer: true, autoPong: false, clientTracking: false, perMessageDeflate });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    if (path !== WS_PATH) return refuseUpgrade(socket, 404, `no WebSocket endpoint at ${path} (use ${WS_PATH})`);
    if (this.core.faults.offline) return refuseUpgrade(socket, 503, 'service unavailable (the emulator is offline)');
    const auth = authenticate(this.core, req);
    if (!auth.ok) return refuseUpgrade(socket, 401, `Unauthorized: ${auth.reason}`);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = {
        socket: ws,
        accountId: auth.account.accountId,
        apiKey: auth.apiKey.key,
        openedAt: Date.now(),
      };
      this.core.hub.add(connection);
      ws.on('ping', (data) => {
        this.core.hub.countersOf(connection.accountId).pingsReceived++;
        if (this.core.faults.pongs) ws.pong(data);
      });
      ws.on('message', (data, isBinary) => void this.onFrame(connection, data, isBinary));
      ws.on('error', () => ws.terminate());
    });
  }

  private async onFrame(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    let frame: unknown;
    try {
      if (isBinary) throw new Error('binary frame');
      frame = JSON.parse(rawText(data));
    } catch {
      // Not JSON: a real server would drop it; count it so tests can see the client sent garbage.
      this.core.hub.countersOf(connection.accountId).nonJsonFrames++;
      return;
    }
    const answer = this.answer(connection, frame);
    await this.core.faults.delay();
    if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(JSON.stringify(answer));
  }

  private answer(connection: Connection, frame: unknown) {
    if (!isObject(frame)) return wsResponse(null, false, 'a request frame must be a JSON object', null);
    const requestId = frame.requestId;
    const fail = (message: string) => wsResponse(requestId, false, message, null);
    if (typeof frame.requestType !== 'string' || frame.requestType === '') return fail('requestType is required');
    const requestType = frame.requestType;
    const parameters = frame.parameters ?? {};
    const body = frame.body ?? null;

    const account = this.core.store.accounts.get(connection.accountId);
    const apiKey = this.core.store.usableKey(connection.apiKey);
    if (!account || !apiKey) return fail('Unauthorized: invalid, expired or revoked API key');
    logRequest(this.core, {
      transport: 'ws',
      method: 'WS',
      path: requestType,
      query: isObject(parameters) ? parameters : {},
      body,
      accountId: account.accountId,
      at: Date.now(),
      requestId,
    });

    const failure = this.core.faults.takeFailure('ws', requestType);
    if (failure) return fail(failureMessage(failure.status, failure.retryAfter));
    if (typeof requestId !== 'string' || requestId === '')
      return fail('requestId is required (a string chosen by the client)');
    if (frame.version !== '2') return fail('version must be "2"');
    if (!isObject(parameters)) return fail('parameters must be a JSON object when present');
    if (body !== null && !isObject(body)) return fail('body must be a JSON object when present');
    const route = findWsRoute(requestType);
    if (!route) return fail(`requestType ${requestType} is unknown or not supported over WebSocket (use REST)`);

    const ctx: ApiContext = {
      core: this.core,
      account,
      apiKey,
      query: parameters,
      body,
      files: [],
      pathParams: {},
      transport: 'ws',
    };
    try {
      return wsResponse(requestId, true, null, route.handler(ctx));
    } catch (err) {
      if (err instanceof ApiError) return fail(err.message);
      console.error('[semilimes-emulator] handler failure', err);
      return fail(`internal emulator error: ${(err as Error).message}`);
    }
  }

  close(): void {
    this.wss.close();
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
