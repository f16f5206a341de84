// The semilimes emulator: an in-memory server implementing the documented semilimes API (REST + WebSocket),
// with a control API to act as people and inject faults. Written from the documentation only.
import { rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { EmulatorAccount, EmulatorControl } from './control';
import { createCore, TunnelSshSettings } from './core';
import { applySeed, type DemoIds, SeedName } from './seed';
import { createEmulatorServer } from './server';
import { WS_PATH } from './websocket';

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; loopback by default because the control API has no authentication. */
  host?: string;
  /** 'demo' (default): bot, Alice, Bob, the "Family" group chat and the "Home news" channel. 'empty': nothing. */
  seed?: SeedName;
  /** accountId -> API key for seeded accounts (otherwise random keys per start). */
  apiKeys?: Record<string, string>;
  /** Other ids for the demo seed's accounts, group chat and channel (DEMO_IDS by default). */
  ids?: DemoIds;
  /** Keep uploaded files in this directory instead of memory (large files; the directory must exist). */
  filesDir?: string;
  /** Most bytes of file content in one upload (default 256 MiB in memory, unlimited with filesDir). */
  maxUploadBytes?: number;
  /**
   * A real SSH server to act as the tunnel provider: tunnel "open" answers with its host, port and username and a
   * free remote port to forward, and the public keys that "create" received are written to `authorizedKeysFile`
   * (point the server's AuthorizedKeysFile at it). Without it, "open" answers placeholder values.
   */
  tunnelSsh?: TunnelSshSettings;
  /**
   * The control API of a SimpleX CLI emulator (e.g. http://127.0.0.1:5226/_simplex): the phone page then lets one be
   * its people too, through /_emulator/simplex/ on this server.
   */
  simplexControlUrl?: string;
  /**
   * Accept connections only from these addresses (e.g. a proxy that connects from its own loopback address): a
   * firewall for tests that must prove nothing reaches the service directly. Others are closed at once.
   */
  acceptFrom?: string[];
  /**
   * Offer permessage-deflate on the WebSocket and compress every frame for a client that accepts it, as servers built
   * on libraries that compress by default do (default false).
   */
  compress?: boolean;
}

export interface RunningEmulator {
  /** REST base, e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** WebSocket endpoint, e.g. ws://127.0.0.1:PORT/service/ws */
  readonly wsUrl: string;
  readonly host: string;
  readonly port: number;
  /** The accounts with their current keys (the seeded ones first, in seed order). */
  readonly accounts: EmulatorAccount[];
  readonly control: EmulatorControl;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 'demo';
  if (seed !== 'demo' && seed !== 'empty') throw new Error(`unknown seed "${String(seed)}" (use "demo" or "empty")`);
  const core = createCore({ filesDir: options.filesDir, maxBytes: options.maxUploadBytes }, options.tunnelSsh);
  applySeed(core.store, seed, options.apiKeys, options.ids);
  const control = new EmulatorControl(core);
  const { server, transport } = createEmulatorServer(
    core,
    control,
    options.simplexControlUrl,
    options.compress === true,
  );
  if (options.acceptFrom) {
    const allowed = new Set(options.acceptFrom);
    server.on('connection', (socket) => {
      const from = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      if (!allowed.has(from)) socket.destroy();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | null = null;

  return {
    url: `http://${hostInUrl}:${port}`,
    wsUrl: `ws://${hostInUrl}:${port}${WS_PATH}`,
    host,
    port,
    get accounts() {
      return control.accounts();
    },
    control,
    close() {
      closed ??= new Promise<void>((resolve) => {
        core.hub.terminate();
        transport.close();
        // Uploads kept on disk were written by this emulator: remove them (the directory is the caller's).
        for (const file of core.store.files.values()) if (file.path) rmSync(file.path, { force: true });
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

export { DEMO_IDS } from './seed';
export type { TunnelSshSettings } from './core';
export type { DemoIds, SeedName } from './seed';
export { EmulatorControl } from './control';
export type {
  ChatFilter,
  ChatSummary,
  ConnectionSummary,
  CreateAccountInput,
  Destination,
  EmulatorAccount,
  MessageRecord,
  SendAsInput,
} from './control';
export type { SubmitFormInput } from './forms';
export type { FailNextOptions, LoggedRequest, PendingFailure, Transport } from './faults';
export type { ChatRef, TypingSignal } from './store';
export { ApiError } from './envelope';
export { DATA_COMPONENT_TYPES } from './components';
export { ROUTES } from './api/routes';
export { WS_PATH } from './websocket';
