// The WebSocket port of one emulated CLI (`-p PORT`). Like the real server (design file F1, F2, F4):
// - commands of a connection run strictly one after another;
// - while two commands wait behind a running one, the socket is not read, so pings go unanswered too;
// - every event goes to exactly one connected socket (the device's output queue picks it);
// - a frame that is not a request gets an error with no corrId; a command that does not parse, one with its corrId.
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { RawData, WebSocket, WebSocketServer } from 'ws';
import { execute } from './commands';
import { Device } from './device';
import { frames } from './dialect';
import { isObject, Json } from './json';
import { EventSink } from './output-queue';

interface Connection {
  id: number;
  ws: WebSocket;
  socket: Duplex;
  waiting: Array<{ data: RawData; isBinary: boolean; at: number }>;
  busy: boolean;
  paused: boolean;
  sink: EventSink;
  openedAt: number;
  pingsReceived: number;
}

const INVALID_REQUEST: Json = {
  type: 'chatCmdError',
  chatError: { type: 'error', errorType: { type: 'commandError', message: 'invalid request' } },
};

export interface ConnectionSummary {
  id: number;
  openedAt: number;
  waiting: number;
  busy: boolean;
  reading: boolean;
  pingsReceived: number;
}

export class DeviceSocketServer {
  private server?: Server;
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false, clientTracking: false });
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  private heldReplies?: { size: number; frames: Array<{ conn: Connection; texts: string[] }> };
  port = 0;

  constructor(
    readonly device: Device,
    readonly host: string,
    port: number,
  ) {
    this.port = port;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `ws://${host}:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'Content-Type': 'text/plain' });
      res.end('this port speaks WebSocket only\n');
    });
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port and every connection; the device and its queued events stay. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropSockets();
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Ends every connection abruptly (no close frame), as a crashed process or a network cut would. */
  dropSockets(): number {
    const n = this.connections.size;
    for (const conn of [...this.connections]) {
      conn.ws.terminate();
      this.forget(conn);
    }
    return n;
  }

  summary(): ConnectionSummary[] {
    return [...this.connections].map((c) => ({
      id: c.id,
      openedAt: c.openedAt,
      waiting: c.waiting.length,
      busy: c.busy,
      reading: !c.paused,
      pingsReceived: c.pingsReceived,
    }));
  }

  /** Writes a raw frame to every connection (text, or binary when `binary`). */
  inject(text: string, binary: boolean): number {
    for (const conn of this.connections) conn.ws.send(binary ? Buffer.from(text) : text, { binary });
    return this.connections.size;
  }

  /** Writes replies held by the reorder fault at once, in their order (used when faults are reset). */
  releaseHeldReplies(): void {
    const held = this.heldReplies;
    this.heldReplies = undefined;
    for (const f of held?.frames ?? []) for (const text of f.texts) this.write(f.conn, text);
  }

  /** Applies the stop-reading fault to open connections at once. */
  refreshReading(): void {
    for (const conn of this.connections) this.updateReading(conn);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: Connection = {
        id: this.nextConnectionId++,
        ws,
        socket,
        waiting: [],
        busy: false,
        paused: false,
        openedAt: Date.now(),
        pingsReceived: 0,
        sink: {
          deliver: (event) => {
            for (const text of frames(event, undefined, this.device.faults.dialect)) this.write(conn, text);
          },
        },
      };
      this.connections.add(conn);
      ws.on('ping', (data) => {
        conn.pingsReceived++;
        if (this.device.faults.pongs) ws.pong(data);
      });
      ws.on('message', (data, isBinary) => {
        conn.waiting.push({ data, isBinary, at: Date.now() });
        this.updateReading(conn);
        void this.processLoop(conn);
      });
      ws.on('close', () => this.forget(conn));
      ws.on('error', () => ws.terminate());
      this.updateReading(conn);
      // The backlog queued while nobody was connected goes to this socket (F3).
      this.device.output.addSink(conn.sink);
    });
  }

  private forget(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.device.output.removeSink(conn.sink);
  }

  private updateReading(conn: Connection): void {
    const pause = this.device.faults.stopReading || conn.waiting.length >= 2;
    const socket = conn.socket as Socket;
    if (pause && !conn.paused) socket.pause();
    if (!pause && conn.paused) socket.resume();
    conn.paused = pause;
  }

  private write(conn: Connection, text: string): void {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(text);
  }

  private async processLoop(conn: Connection): Promise<void> {
    if (conn.busy) return;
    conn.busy = true;
    try {
      while (conn.waiting.length > 0 && this.connections.has(conn)) {
        const frame = conn.waiting.shift() as { data: RawData; isBinary: boolean; at: number };
        this.updateReading(conn);
        await this.handle(conn, frame.data, frame.isBinary, frame.at);
      }
    } finally {
      conn.busy = false;
    }
  }

  private async handle(conn: Connection, data: RawData, isBinary: boolean, at: number): Promise<void> {
    const faults = this.device.faults;
    let request: unknown;
    try {
      request = isBinary ? undefined : JSON.parse(rawText(data));
    } catch {
      request = undefined;
    }
    if (!isObject(request) || typeof request.corrId !== 'string' || typeof request.cmd !== 'string') {
      faults.record({
        corrId: isObject(request) ? request.corrId : undefined,
        cmd: isObject(request) ? request.cmd : undefined,
        at,
        replied: 'invalid request',
        connection: conn.id,
      });
      this.reply(conn, INVALID_REQUEST, undefined);
      return;
    }
    const { corrId, cmd } = request;
    const entry = { corrId, cmd, at, connection: conn.id } as {
      corrId: string;
      cmd: string;
      at: number;
      connection: number;
      replied?: string;
    };
    faults.record(entry);
    const delay = faults.takeDelay(cmd);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const injected = faults.takeFailure(cmd);
    const resp = injected ? { type: 'chatCmdError', chatError: injected } : execute(this.device, cmd);
    entry.replied = resp.type as string;
    this.reply(conn, resp, corrId);
  }

  private reply(conn: Connection, resp: Json, corrId: string | undefined): void {
    const faults = this.device.faults;
    const texts = frames(resp, corrId, faults.dialect);
    if (!this.heldReplies && faults.reorder > 1) {
      this.heldReplies = { size: faults.reorder, frames: [] };
      faults.reorder = 0;
    }
    const held = this.heldReplies;
    if (!held) {
      for (const text of texts) this.write(conn, text);
      return;
    }
    held.frames.push({ conn, texts });
    if (held.frames.length < held.size) return;
    this.heldReplies = undefined;
    for (const f of held.frames.reverse()) for (const text of f.texts) this.write(f.conn, text);
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
