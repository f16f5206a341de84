import {
  HostKeyChangedError,
  TunnelKeeper,
  generateTunnelKeyPair,
  publicKeyOf,
  publicKeyIdentity,
  type BackoffOptions,
  type SshKeyPair,
  type TunnelStatus,
} from '../semilimes';
import type { AccountNode, AccountUser } from './lib/account';
import type { DoneFn, FlowMessage, Node, NodeAPI, NodeDef, SendFn } from './lib/node-red';
import { FlowInputError, isNonEmpty } from './lib/outbound';
import { TunnelStateStore, tunnelStateDirectory, type TunnelState } from './lib/tunnel-state';

type TunnelAction = 'start' | 'stop' | 'status' | 'list' | 'create' | 'open' | 'close' | 'delete';
const ACTIONS: readonly TunnelAction[] = ['start', 'stop', 'status', 'list', 'create', 'open', 'close', 'delete'];

interface TunnelCredentials {
  /** OpenSSH ed25519 private key: a `password` credential, never sent back to the editor. */
  privateKey?: string;
  publicKey?: string;
  /** Pinned host key fingerprint of the tunnel server. */
  hostKey?: string;
  /** The tunnel this node created, so a redeploy reuses it. */
  tunnelId?: string;
}

interface TunnelDef extends NodeDef {
  account: string;
  tunnelName: string;
  description: string;
  localHost: string;
  localPort: number | string;
  clientPath: string;
  sshPort: number | string;
  autoStart: boolean;
  /** Set anew by "forget" in the editor: a pin stored in the state file under another value is dropped. */
  hostKeyReset?: string;
}

/** Test hook (settings.semilimesTunnelOptions): shorter backoff and keepalive than a person would want. */
const TUNING_SETTING = 'semilimesTunnelOptions';
interface Tuning {
  backoff?: Partial<BackoffOptions>;
  keepaliveIntervalMs?: number;
  readyTimeoutMs?: number;
}

/** Admin route that makes a key pair for the editor, so a new node's key is saved with the deploy that adds it. */
const KEYPAIR_ROUTE = '/semilimes-tunnel/keypair';

export = function register(RED: NodeAPI) {
  function SemilimesTunnelNode(this: Node<TunnelCredentials>, def: TunnelDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const account = RED.nodes.getNode(def.account) as AccountNode | null;
    const t = (key: string, subs?: Record<string, string | number>) => RED._(key, subs);
    const localHost = (def.localHost || '127.0.0.1').trim();
    const localPort = Number(def.localPort);
    const sshPort = def.sshPort === undefined || def.sshPort === '' ? 22 : Number(def.sshPort);
    let problem: string | undefined;
    let keeper: TunnelKeeper | undefined;

    // Learned values go to a state file at once (credentials are written only by a deploy, so a restart before the
    // next deploy would lose them) and into the in-memory credentials, so the editor shows them and a deploy saves
    // them too. Precedence: a credential that holds a value wins (it came from a deploy); otherwise the state file.
    const settings = RED.settings as unknown as Record<string, unknown>;
    const stateStore = new TunnelStateStore(tunnelStateDirectory(settings), node.id);
    const hostKeyReset = def.hostKeyReset ?? '';
    let state: TunnelState = { version: 1 };
    try {
      state = stateStore.read();
    } catch (err) {
      // The path and the file system's reason only (see PrivateFileStore): the content, possibly a private key, never.
      node.warn(t('semilimes-tunnel.warnings.stateFile', { message: (err as Error).message }));
    }
    const persist = () =>
      stateStore.save(state, (err) => node.warn(t('semilimes-tunnel.warnings.stateFile', { message: err.message })));

    /** Merges into this node's in-memory credentials (written to the credentials file by the next deploy). */
    function remember(changes: Partial<TunnelCredentials>) {
      const stored = { ...(RED.nodes.getCredentials(node.id) ?? {}) } as Record<string, unknown>;
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete stored[key];
        else stored[key] = value;
      }
      void RED.nodes.addCredentials(node.id, stored);
    }

    /** Remembers a learned value in the credentials and, durably, in the state file. */
    function learn(changes: { hostKey?: string; tunnelId?: string | undefined }, keyPair: SshKeyPair) {
      remember(changes);
      if ('hostKey' in changes) {
        state.hostKey = changes.hostKey;
        state.hostKeyReset = hostKeyReset;
      }
      if ('tunnelId' in changes) {
        state.tunnelId = changes.tunnelId;
        state.tunnelKey = changes.tunnelId ? publicKeyIdentity(keyPair.publicKey) : undefined;
      }
      void persist();
    }

    function loadKeys(): SshKeyPair {
      const creds = node.credentials ?? {};
      if (creds.privateKey) {
        if (state.privateKey && state.privateKey !== creds.privateKey) {
          // A deployed key replaced the one made at run time: the old private key is not kept lying around.
          state.privateKey = undefined;
          state.publicKey = undefined;
          void persist();
        }
        const derived = publicKeyOf(creds.privateKey);
        // The stored public half must match the private key; rebuild it when it is missing or wrong.
        if (!creds.publicKey || publicKeyIdentity(creds.publicKey) !== publicKeyIdentity(derived)) {
          remember({ publicKey: derived });
          return { privateKey: creds.privateKey, publicKey: derived };
        }
        return { privateKey: creds.privateKey, publicKey: creds.publicKey };
      }
      if (state.privateKey) {
        // Made at an earlier start of a flow that came without a key, and not deployed since: the same key again,
        // so the same tunnel is found instead of a new one created.
        const pair = { privateKey: state.privateKey, publicKey: publicKeyOf(state.privateKey) };
        remember({ privateKey: pair.privateKey, publicKey: pair.publicKey });
        return pair;
      }
      // A flow that arrived without a key (imported, or written by hand): make one now and keep it in the state file
      // (and in memory, for the next deploy); the editor makes the key when the node is added instead.
      const pair = generateTunnelKeyPair();
      remember({ privateKey: pair.privateKey, publicKey: pair.publicKey, tunnelId: undefined, hostKey: undefined });
      state = { version: 1, privateKey: pair.privateKey, publicKey: pair.publicKey };
      void persist();
      node.warn(t('semilimes-tunnel.warnings.keyGenerated'));
      return pair;
    }

    /** The pin: from the credentials, else from the state file unless "forget" was deployed since it was stored. */
    function pinnedHostKey(): string | undefined {
      if (node.credentials?.hostKey) return node.credentials.hostKey;
      if (state.hostKey && (state.hostKeyReset ?? '') === hostKeyReset) {
        remember({ hostKey: state.hostKey });
        return state.hostKey;
      }
      return undefined;
    }

    /** The tunnel id: from the credentials, else from the state file when it was made for this key. */
    function knownTunnelId(keyPair: SshKeyPair): string | undefined {
      if (node.credentials?.tunnelId) return node.credentials.tunnelId;
      if (state.tunnelId && state.tunnelKey === publicKeyIdentity(keyPair.publicKey)) {
        remember({ tunnelId: state.tunnelId });
        return state.tunnelId;
      }
      return undefined;
    }

    if (!account) problem = t('semilimes-tunnel.errors.noAccount');
    else if (!Number.isInteger(localPort) || localPort < 1 || localPort > 65535) problem = t('semilimes-tunnel.errors.badLocalPort');
    else if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535) problem = t('semilimes-tunnel.errors.badSshPort');

    let keys: SshKeyPair | undefined;
    if (!problem) {
      try {
        keys = loadKeys();
      } catch {
        problem = t('semilimes-tunnel.errors.badKey');
      }
    }

    function show(s: TunnelStatus) {
      switch (s.state) {
        case 'up':
          node.status({ fill: 'green', shape: 'dot', text: s.tunnelUrl || t('semilimes-tunnel.status.up') });
          break;
        case 'preparing':
        case 'connecting':
          node.status({ fill: 'yellow', shape: 'ring', text: t('semilimes-tunnel.status.connecting') });
          break;
        case 'down': {
          const seconds = Math.max(1, Math.round((s.retryInMs ?? 0) / 1000));
          node.status({ fill: 'red', shape: 'ring', text: t('semilimes-tunnel.status.down', { seconds, reason: short(s.error?.message) }) });
          break;
        }
        case 'failed': {
          const text =
            s.error instanceof HostKeyChangedError ? t('semilimes-tunnel.status.hostKeyChanged') : t('semilimes-tunnel.status.failed', { reason: short(s.error?.message) });
          node.status({ fill: 'red', shape: 'dot', text });
          break;
        }
        default:
          node.status({ fill: 'grey', shape: 'ring', text: t('semilimes-tunnel.status.stopped') });
      }
    }

    const user: AccountUser = {
      id: node.id,
      // The tunnel's own state says more than the WebSocket's; only a refused key is worth showing here.
      connectionChanged: (change) => {
        if (change.state === 'unauthorized') node.status({ fill: 'red', shape: 'ring', text: t('semilimes-tunnel.status.unauthorized') });
      },
      configProblem: (text) => {
        problem = text;
        node.status({ fill: 'red', shape: 'ring', text });
      },
    };

    if (account) account.register(user);
    if (problem) node.status({ fill: 'red', shape: 'ring', text: problem });
    else {
      const tuning = ((RED.settings as unknown as Record<string, unknown>)[TUNING_SETTING] ?? {}) as Tuning;
      const label = `[semilimes-tunnel:${def.name || node.id}]`;
      keeper = new TunnelKeeper({
        ...tuning,
        api: account!.client(),
        keys: keys!,
        name: (def.tunnelName || def.name || 'node-red').trim(),
        description: def.description ?? '',
        clientPort: localPort,
        clientPath: def.clientPath ?? '',
        localHost,
        localPort,
        sshPort,
        tunnelId: knownTunnelId(keys!),
        hostKey: pinnedHostKey(),
        logger: {
          debug: (m) => RED.log.debug(`${label} ${m}`),
          info: (m) => RED.log.info(`${label} ${m}`),
          warn: (m) => RED.log.warn(`${label} ${m}`),
          error: (m) => RED.log.error(`${label} ${m}`),
        },
      });
      keeper.on('tunnelId', (tunnelId: string | undefined) => learn({ tunnelId }, keys!));
      keeper.on('hostKey', (hostKey: string) => learn({ hostKey }, keys!));
      keeper.on('status', (s: TunnelStatus) => {
        show(s);
        if (s.state === 'up') {
          // One message each time the tunnel comes up (flows post the link, or filter repeats with an rbe node).
          node.send({ topic: 'up', payload: s.tunnelUrl, tunnel: { state: 'up', tunnelId: s.tunnelId, tunnelUrl: s.tunnelUrl } });
        } else if (s.state === 'failed') {
          node.error(s.error?.message ?? t('semilimes-tunnel.status.failed', { reason: '' }));
        }
      });
      if (def.autoStart !== false) keeper.start();
      else show({ state: 'stopped' });
    }

    function actionOf(msg: FlowMessage): TunnelAction {
      const chosen = msg.action ?? (typeof msg.payload === 'string' && ACTIONS.includes(msg.payload as TunnelAction) ? msg.payload : 'status');
      if (!ACTIONS.includes(chosen as TunnelAction)) {
        throw new FlowInputError('badAction', t('semilimes-tunnel.errors.badAction', { action: String(chosen) }));
      }
      return chosen as TunnelAction;
    }

    /** Another tunnel named by msg.tunnelId, or undefined for this node's own tunnel. */
    function otherTunnel(msg: FlowMessage): string | undefined {
      if (!isNonEmpty(msg.tunnelId)) return undefined;
      const id = String(msg.tunnelId).trim();
      return id === keeper?.id ? undefined : id;
    }

    function describe(): Record<string, unknown> {
      const s = keeper!.status;
      return { state: s.state === 'idle' ? 'stopped' : s.state, tunnelId: keeper!.id, tunnelUrl: s.state === 'up' ? s.tunnelUrl : undefined, error: s.error?.message };
    }

    /** Set by the close handler: an action still running then ends with an error, never with a send. */
    let closing = false;
    /** The "start" actions waiting for an outcome, released by the close handler. */
    const waiting = new Set<() => void>();

    /** Waits for the tunnel to come up or fail, for a "start" that answers once the outcome is known. */
    function settled(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const check = (s: TunnelStatus) => {
          if (s.state === 'up' || s.state === 'failed' || s.state === 'down') finish();
        };
        const finish = () => {
          clearTimeout(timer);
          keeper!.off('status', check);
          waiting.delete(finish);
          resolve();
        };
        waiting.add(finish);
        const timer = setTimeout(finish, ms);
        keeper!.on('status', check);
        if (keeper!.status.state === 'up') finish();
      });
    }

    async function perform(act: TunnelAction, msg: FlowMessage): Promise<unknown> {
      if (problem || !keeper || !account) throw new FlowInputError('notReady', problem ?? t('semilimes-tunnel.errors.noAccount'));
      const client = account.client();
      const other = otherTunnel(msg);
      switch (act) {
        case 'list':
          return client.call('/service/tunnel');
        case 'status':
          return describe();
        case 'start':
          keeper.start();
          await settled(30_000);
          return describe();
        case 'stop':
          await keeper.stop(true);
          return describe();
        case 'create':
          return { tunnelId: await keeper.ensureTunnel() };
        case 'open':
          return client.call('/service/tunnel/open', { tunnelId: other ?? (await keeper.ensureTunnel()) });
        case 'close':
          if (other) return client.call('/service/tunnel/close', { tunnelId: other });
          await keeper.stop(false);
          return keeper.id ? client.call('/service/tunnel/close', { tunnelId: keeper.id }) : {};
        case 'delete': {
          if (other) return client.call('/service/tunnel/delete', { tunnelId: other });
          await keeper.stop(true);
          const id = keeper.id;
          if (!id) return {};
          const data = await client.call('/service/tunnel/delete', { tunnelId: id });
          // The next start creates a fresh tunnel for this key.
          learn({ tunnelId: undefined }, keys!);
          keeper.forget();
          return data;
        }
      }
    }

    node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => {
      let act: TunnelAction;
      try {
        act = actionOf(msg);
      } catch (err) {
        done(err as Error);
        return;
      }
      perform(act, msg).then(
        (data) => {
          if (closing) {
            // The flow is being stopped: the message fails (Catch nodes see why) rather than leave a closed node.
            done(new FlowInputError('closed', t('semilimes-tunnel.errors.closed')));
            return;
          }
          msg.payload = data;
          if (keeper) msg.tunnel = describe();
          send(msg);
          done();
        },
        (err: Error) => {
          node.status({ fill: 'red', shape: 'dot', text: t('semilimes-tunnel.status.failed', { reason: short(err.message) }) });
          done(err);
        },
      );
    });

    node.on('close', (removed: boolean, done: () => void) => {
      // A waiting "start" answers now, not up to 30 s later on a stopped node (its status listener goes below).
      closing = true;
      for (const finish of [...waiting]) finish();
      // SSH first, then "close" on the API (as documented), then let the account go.
      const stopping = keeper ? keeper.stop(true) : Promise.resolve();
      keeper?.removeAllListeners();
      stopping
        .catch(() => undefined)
        // A removed node's state goes with it (as its credentials do); otherwise pending writes finish first.
        .then(() => (removed ? stateStore.remove() : stateStore.flushed()))
        .then(() => (account ? account.deregister(user) : undefined))
        .then(() => done(), () => done());
    });
  }

  RED.nodes.registerType('semilimes-tunnel', SemilimesTunnelNode as any, {
    credentials: {
      privateKey: { type: 'password' },
      publicKey: { type: 'text' },
      hostKey: { type: 'text' },
      tunnelId: { type: 'text' },
    },
  });

  // The editor asks for a key pair when a tunnel node is added, so the key is saved (encrypted, with the other
  // credentials) by the same deploy. Needs the right to change tunnel nodes; the answer is never logged.
  RED.httpAdmin.post(KEYPAIR_ROUTE, RED.auth.needsPermission('semilimes-tunnel.write'), (_req: unknown, res: any) => {
    const pair = generateTunnelKeyPair();
    res.set('Cache-Control', 'no-store');
    res.json(pair);
  });
};

function short(message: string | undefined): string {
  const text = message ?? '';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
