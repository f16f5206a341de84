import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { Client as SshClient, type ClientChannel } from 'ssh2';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { PATHS } from './endpoints';
import { ApiError, InvalidInputError, UnauthorizedError } from './errors';
import { SILENT_LOGGER, type Logger } from './logger';
import { fingerprint, publicKeyIdentity, type SshKeyPair } from './ssh-keys';

/** What the keeper needs from a client: calling documented endpoints. */
export interface TunnelApi {
  call(path: string, input?: Record<string, unknown>, options?: { timeoutMs?: number }): Promise<unknown>;
}

/** The "close" on the way out is bounded: a redeploy must finish within Node-RED's 15 s close timeout. */
const CLOSE_TIMEOUT_MS = 5000;

/** A tunnel as "Get tunnels" lists it. */
export interface TunnelInfo {
  tunnelId: string;
  name?: string;
  description?: string;
  clientPort?: number;
  clientPath?: string;
  publicKey?: string;
  host?: string | null;
  username?: string | null;
  port?: number | null;
  tunnelUrl?: string | null;
}

/** What "Open tunnel" answers: where to connect and which remote port to forward. */
export interface OpenedTunnel {
  tunnelId: string;
  host: string;
  username: string;
  port: number;
  tunnelUrl: string;
}

export type TunnelState = 'idle' | 'preparing' | 'connecting' | 'up' | 'down' | 'failed' | 'stopped';

export interface TunnelStatus {
  state: TunnelState;
  tunnelId?: string;
  tunnelUrl?: string;
  /** Why it is down or failed. */
  error?: Error;
  /** When it is down: the delay before the next attempt. */
  retryInMs?: number;
}

export interface TunnelKeeperOptions {
  api: TunnelApi;
  keys: SshKeyPair;
  /** Tunnel settings sent on create. */
  name: string;
  description?: string;
  clientPort: number;
  clientPath?: string;
  /** The local service the tunnel exposes. */
  localHost: string;
  localPort: number;
  /** The tunnel provider's SSH port (the documentation connects to port 22). */
  sshPort?: number;
  /** A tunnel created earlier by this keeper's key; found by the key in the list when absent. */
  tunnelId?: string;
  /** The pinned host key fingerprint (`SHA256:...`); pinned on the first connection when absent. */
  hostKey?: string;
  backoff?: Partial<BackoffOptions>;
  /** SSH keepalive interval, ms (default 15 s); three unanswered keepalives end the connection. */
  keepaliveIntervalMs?: number;
  /** Limit for the SSH handshake, ms (default 20 s). */
  readyTimeoutMs?: number;
  logger?: Logger;
}

/** The tunnel server presented a different host key than the one pinned: possibly someone in the middle. */
export class HostKeyChangedError extends Error {
  readonly code = 'HOST_KEY_CHANGED';

  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `the tunnel server's host key changed (pinned ${expected}, offered ${actual}); refusing to connect. ` +
        'If the provider really changed its key, clear the pinned host key of the tunnel node and deploy.',
    );
    this.name = 'HostKeyChangedError';
  }
}

/**
 * Keeps one semilimes tunnel running: finds or creates the tunnel for its key, opens it, and holds an SSH reverse
 * port forward from the provider to a local service, reconnecting with backoff when the connection drops.
 *
 * Events: `status` (TunnelStatus), `tunnelId` (string | undefined) when the tunnel is created, found or forgotten,
 * `hostKey` (string) when a host key is pinned on the first connection.
 */
export class TunnelKeeper extends EventEmitter {
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  private tunnelId: string | undefined;
  private hostKey: string | undefined;
  private running = false;
  private ssh: SshClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private opened: OpenedTunnel | undefined;
  /** An "open" call still under way: a stop must wait for it, or the tunnel would stay open on the API. */
  private opening: Promise<OpenedTunnel | undefined> | undefined;
  private readonly bridges = new Set<Socket | ClientChannel>();
  private current: TunnelStatus = { state: 'idle' };
  /** Bumps on every start/stop, so an attempt that outlives a stop does nothing. */
  private generation = 0;

  constructor(private readonly options: TunnelKeeperOptions) {
    super();
    this.tunnelId = options.tunnelId || undefined;
    this.hostKey = options.hostKey || undefined;
    this.backoff = new Backoff({ ...DEFAULT_BACKOFF, ...options.backoff });
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  get status(): TunnelStatus {
    return this.current;
  }

  get id(): string | undefined {
    return this.tunnelId;
  }

  /** Forgets the tunnel id (after the tunnel was deleted): the next start finds or creates one again. */
  forget(): void {
    this.tunnelId = undefined;
  }

  /** Starts keeping the tunnel up; does nothing when it already runs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation += 1;
    this.backoff.reset();
    void this.attempt(this.generation);
  }

  /**
   * Ends the SSH session, then (when `closeOnApi`) calls "close" on the API, as the documentation asks: close after
   * the client has disconnected. Resolves when both are done; API errors are logged, not thrown, so a redeploy
   * never hangs on an unreachable server.
   */
  async stop(closeOnApi = true): Promise<void> {
    const wasRunning = this.running;
    // Taken before anything is awaited: an open that answers meanwhile is no longer tracked by its attempt.
    const opening = this.opening;
    this.running = false;
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.disconnect();
    let opened = this.opened;
    this.opened = undefined;
    if (!opened && opening && closeOnApi && wasRunning) {
      // Bounded like the close itself; an open answering later still gets its close, without holding up the stop.
      const late = Symbol('late');
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        opening,
        new Promise<typeof late>((r) => (timer = setTimeout(() => r(late), CLOSE_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      if (result === late) {
        void opening.then((o) => (o ? this.closeOnApi(o.tunnelId) : undefined));
      } else {
        opened = result;
      }
    }
    const tunnelId = opened?.tunnelId ?? this.tunnelId;
    if (closeOnApi && wasRunning && opened && tunnelId) await this.closeOnApi(tunnelId);
    if (wasRunning) this.setStatus({ state: 'stopped', tunnelId });
  }

  /** "close" on the API; errors are logged, not thrown (a stop must not fail on an unreachable server). */
  private async closeOnApi(tunnelId: string): Promise<void> {
    try {
      await this.options.api.call(PATHS.tunnelClose, { tunnelId }, { timeoutMs: CLOSE_TIMEOUT_MS });
    } catch (err) {
      this.logger.warn(`tunnel ${tunnelId}: close failed: ${(err as Error).message}`);
    }
  }

  /** The tunnel for this keeper's key: the remembered one, one listed with the same public key, or a new one. */
  async ensureTunnel(): Promise<string> {
    if (this.tunnelId) return this.tunnelId;
    const mine = publicKeyIdentity(this.options.keys.publicKey);
    const listed = await this.options.api.call(PATHS.tunnels);
    const found = Array.isArray(listed)
      ? (listed as TunnelInfo[]).find(
          (t) => typeof t?.publicKey === 'string' && publicKeyIdentity(t.publicKey) === mine,
        )
      : undefined;
    let tunnelId = found?.tunnelId;
    if (!tunnelId) {
      const created = (await this.options.api.call(PATHS.tunnelCreate, {
        name: this.options.name,
        description: this.options.description ?? '',
        clientPort: this.options.clientPort,
        clientPath: this.options.clientPath ?? '',
        publicKey: this.options.keys.publicKey,
      })) as { tunnelId?: unknown } | null;
      if (typeof created?.tunnelId !== 'string' || !created.tunnelId) {
        throw new ApiError(PATHS.tunnelCreate, undefined, 'the answer has no tunnelId');
      }
      tunnelId = created.tunnelId;
      this.logger.info(`tunnel ${tunnelId} created`);
    }
    this.tunnelId = tunnelId;
    this.emit('tunnelId', tunnelId);
    return tunnelId;
  }

  private async openTunnel(): Promise<OpenedTunnel> {
    let tunnelId = await this.ensureTunnel();
    let data: unknown;
    try {
      data = await this.options.api.call(PATHS.tunnelOpen, { tunnelId });
    } catch (err) {
      // The remembered tunnel was deleted elsewhere: forget it and find or create the tunnel again, once.
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      this.tunnelId = undefined;
      this.emit('tunnelId', undefined);
      tunnelId = await this.ensureTunnel();
      data = await this.options.api.call(PATHS.tunnelOpen, { tunnelId });
    }
    const d = (data ?? {}) as Record<string, unknown>;
    if (typeof d.host !== 'string' || !d.host || typeof d.username !== 'string' || !Number.isInteger(d.port)) {
      throw new ApiError(PATHS.tunnelOpen, undefined, 'the answer lacks host, username or port');
    }
    return {
      tunnelId,
      host: d.host,
      username: d.username,
      port: d.port as number,
      tunnelUrl: typeof d.tunnelUrl === 'string' ? d.tunnelUrl : '',
    };
  }

  private async attempt(generation: number): Promise<void> {
    if (!this.running || generation !== this.generation) return;
    this.setStatus({ state: 'preparing', tunnelId: this.tunnelId });
    let opened: OpenedTunnel;
    const pending = this.openTunnel();
    const tracked = pending.catch(() => undefined);
    this.opening = tracked;
    try {
      opened = await pending;
    } catch (err) {
      if (generation !== this.generation) return;
      this.retryLater(err as Error, generation);
      return;
    } finally {
      if (this.opening === tracked) this.opening = undefined;
    }
    if (!this.running || generation !== this.generation) return;
    this.opened = opened;
    this.connect(opened, generation);
  }

  private connect(opened: OpenedTunnel, generation: number): void {
    this.setStatus({ state: 'connecting', tunnelId: opened.tunnelId });
    const ssh = new SshClient();
    this.ssh = ssh;
    let lastError: Error | undefined;
    let refused: HostKeyChangedError | undefined;
    let up = false;

    ssh.on('ready', () => {
      ssh.forwardIn('localhost', opened.port, (err) => {
        if (err) {
          lastError = new Error(`the tunnel server refused to forward port ${opened.port}: ${err.message}`);
          ssh.end();
          return;
        }
        up = true;
        this.backoff.connected();
        this.logger.info(`tunnel ${opened.tunnelId} up: ${opened.tunnelUrl}`);
        this.setStatus({ state: 'up', tunnelId: opened.tunnelId, tunnelUrl: opened.tunnelUrl });
      });
    });
    ssh.on('tcp connection', (_info, accept, reject) => this.bridge(accept, reject));
    ssh.on('error', (err: Error) => {
      lastError = refused ?? err;
    });
    ssh.on('close', () => {
      if (this.ssh === ssh) this.ssh = undefined;
      this.closeBridges();
      if (up) this.backoff.disconnected();
      if (!this.running || generation !== this.generation) return;
      if (refused) {
        // Not retried: connecting again would offer our session to the same unknown server.
        this.running = false;
        this.setStatus({ state: 'failed', tunnelId: opened.tunnelId, error: refused });
        return;
      }
      this.retryLater(lastError ?? new Error('the SSH connection closed'), generation);
    });

    try {
      ssh.connect({
        host: opened.host,
        port: this.options.sshPort ?? 22,
        username: opened.username,
        privateKey: this.options.keys.privateKey,
        keepaliveInterval: this.options.keepaliveIntervalMs ?? 15_000,
        keepaliveCountMax: 3,
        readyTimeout: this.options.readyTimeoutMs ?? 20_000,
        hostVerifier: (key: Buffer) => {
          const offered = fingerprint(key);
          if (!this.hostKey) {
            // Trust on first use: remember this server's key; every later connection must show the same.
            this.hostKey = offered;
            this.emit('hostKey', offered);
            return true;
          }
          if (offered === this.hostKey) return true;
          refused = new HostKeyChangedError(this.hostKey, offered);
          return false;
        },
      });
    } catch (err) {
      // Invalid connection settings are thrown synchronously by ssh2 (e.g. an unreadable key).
      this.ssh = undefined;
      this.running = false;
      this.setStatus({ state: 'failed', tunnelId: opened.tunnelId, error: err as Error });
    }
  }

  /** Joins one connection arriving at the provider's forwarded port to a new connection to the local service. */
  private bridge(accept: () => ClientChannel, reject: () => void): void {
    const local = netConnect({ host: this.options.localHost, port: this.options.localPort });
    let remote: ClientChannel | undefined;
    local.once('error', (err) => {
      this.logger.debug(`tunnel: local service ${this.options.localHost}:${this.options.localPort}: ${err.message}`);
      if (remote) remote.destroy();
      else reject();
      this.bridges.delete(local);
    });
    local.once('connect', () => {
      remote = accept();
      this.bridges.add(remote);
      remote.on('error', () => local.destroy());
      remote.on('close', () => {
        local.destroy();
        this.bridges.delete(remote as ClientChannel);
      });
      local.on('close', () => {
        remote?.destroy();
        this.bridges.delete(local);
      });
      remote.pipe(local);
      local.pipe(remote);
    });
    this.bridges.add(local);
  }

  private closeBridges(): void {
    for (const s of this.bridges) s.destroy();
    this.bridges.clear();
  }

  private disconnect(): Promise<void> {
    const ssh = this.ssh;
    this.ssh = undefined;
    this.closeBridges();
    if (!ssh) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ssh.destroy();
        resolve();
      }, 2000);
      ssh.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      ssh.end();
    });
  }

  private retryLater(error: Error, generation: number): void {
    if (!this.running || generation !== this.generation) return;
    if (error instanceof InvalidInputError) {
      this.running = false;
      this.setStatus({ state: 'failed', tunnelId: this.tunnelId, error });
      return;
    }
    // A refused API key will not fix itself quickly: wait the longest delay rather than hammering the API.
    const retryInMs =
      error instanceof UnauthorizedError ? (this.options.backoff?.maxMs ?? DEFAULT_BACKOFF.maxMs) : this.backoff.next();
    this.logger.debug(`tunnel: ${error.message}; retrying in ${retryInMs} ms`);
    this.setStatus({ state: 'down', tunnelId: this.tunnelId, error, retryInMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.attempt(generation);
    }, retryInMs);
  }

  private setStatus(status: TunnelStatus): void {
    this.current = status;
    this.emit('status', status);
  }
}
