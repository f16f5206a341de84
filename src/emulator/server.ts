// The HTTP server: API routes, the control API under /_emulator/, and WebSocket upgrades at /service/ws.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { EmulatorControl } from './control';
import { CONTROL_PREFIX, handleControl } from './control-http';
import { Core } from './core';
import { errorEnvelope } from './envelope';
import { sendJson } from './http-util';
import { handleRest } from './rest';
import { WebSocketTransport } from './websocket';

export interface EmulatorServer {
  server: Server;
  transport: WebSocketTransport;
}

/**
 * `simplexControlUrl`: a SimpleX CLI emulator's control API, reached by the phone page through this server.
 * `compress`: offer permessage-deflate on the WebSocket and compress every frame a client lets it.
 */
export function createEmulatorServer(
  core: Core,
  control: EmulatorControl,
  simplexControlUrl?: string,
  compress = false,
): EmulatorServer {
  const transport = new WebSocketTransport(core, compress);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const isControl = url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`);
    const work = isControl ? handleControl(control, req, res, url, simplexControlUrl) : handleRest(core, req, res, url);
    work.catch((err: unknown) => {
      console.error('[semilimes-emulator] request failure', err);
      if (!res.headersSent) sendJson(res, 500, errorEnvelope(500, 'internal emulator error'));
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => transport.handleUpgrade(req, socket, head));
  return { server, transport };
}
