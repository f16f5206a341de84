import { TunnelKeeper, type BackoffOptions, type TunnelStatus } from '../semilimes';
import type { AccountNode } from './lib/account';
import { FlowInputError } from './lib/flow-input';
import { NodeHarness } from './lib/harness';
import { rememberCredentials } from './lib/runtime-credentials';
import type { Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { actionOf, performTunnelAction, summarize, type TunnelActionTarget } from './lib/tunnel-actions';
import { TunnelFailureLog } from './lib/tunnel-failure-log';
import { TunnelIdentity, type TunnelCredentials } from './lib/tunnel-identity';
import { registerKeyPairRoute, tunnelKeyType } from './lib/tunnel-keypair-route';
import { TunnelOutcomeWait } from './lib/tunnel-outcome';
import { TunnelStateStore, tunnelStateDirectory } from './lib/tunnel-state';
import { showTunnelStatus, tunnelAccountUser } from './lib/tunnel-status';
import type { Translate } from './lib/translate';
import { migrate } from './migrations/migrate';
import { TUNNEL_MIGRATION } from './migrations/semilimes-tunnel';

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
  /** The type of a key made for this node: 'rsa' (absent: saved before the setting existed) or 'ed25519'. */
  keyType?: string;
}

/** Test hook (settings.semilimesTunnelOptions): shorter backoff and keepalive than a person would want. */
const TUNING_SETTING = 'semilimesTunnelOptions';
interface Tuning {
  backoff?: Partial<BackoffOptions>;
  keepaliveIntervalMs?: number;
  readyTimeoutMs?: number;
}

/** How long a "start" waits for the tunnel to come up (or fail) before it answers with the state it is in. */
const START_WAIT_MS = 30_000;

const isPort = (port: number) => Number.isInteger(port) && port >= 1 && port <= 65535;
const sshPortOf = (def: TunnelDef) => (def.sshPort === undefined || def.sshPort === '' ? 22 : Number(def.sshPort));

/** What keeps the node from working at all, in words, or undefined. */
function settingsProblem(def: TunnelDef, account: AccountNode | null, t: Translate): string | undefined {
  if (!account) return t('errors.noAccount');
  if (!isPort(Number(def.localPort))) return t('errors.badLocalPort');
  if (!isPort(sshPortOf(def))) return t('errors.badSshPort');
  return undefined;
}

/** The node's identity; a learned value is kept in the in-memory credentials too (the next deploy saves them). */
function identityOf(RED: NodeAPI, node: Node<TunnelCredentials>, def: TunnelDef, t: Translate): TunnelIdentity {
  return new TunnelIdentity({
    store: new TunnelStateStore(tunnelStateDirectory(RED.settings as unknown as Record<string, unknown>), node.id),
    credentials: { ...(node.credentials ?? {}) },
    remember: (changes) => rememberCredentials(RED, node.id, changes),
    hostKeyReset: def.hostKeyReset ?? '',
    keyType: tunnelKeyType(def.keyType),
    // The path and the file system's reason only: the content, possibly a private key, never.
    onStateFileError: (err) => node.warn(t('warnings.stateFile', { message: err.message })),
  });
}

function keeperFor(RED: NodeAPI, node: Node, def: TunnelDef, account: AccountNode, identity: TunnelIdentity) {
  const label = `[semilimes-tunnel:${def.name || node.id}]`;
  const tuning = ((RED.settings as unknown as Record<string, unknown>)[TUNING_SETTING] ?? {}) as Tuning;
  const keeper = new TunnelKeeper({
    ...tuning,
    api: account.client(),
    keys: identity.keys,
    name: (def.tunnelName || def.name || 'node-red').trim(),
    description: def.description ?? '',
    clientPort: Number(def.localPort),
    clientPath: def.clientPath ?? '',
    localHost: (def.localHost || '127.0.0.1').trim(),
    localPort: Number(def.localPort),
    sshPort: sshPortOf(def),
    tunnelId: identity.tunnelId,
    hostKey: identity.hostKey,
    logger: {
      debug: (m) => RED.log.debug(`${label} ${m}`),
      info: (m) => RED.log.info(`${label} ${m}`),
      warn: (m) => RED.log.warn(`${label} ${m}`),
      error: (m) => RED.log.error(`${label} ${m}`),
    },
  });
  keeper.on('tunnelId', (tunnelId: string | undefined) => identity.learnTunnelId(tunnelId));
  keeper.on('hostKey', (hostKey: string) => identity.learnHostKey(hostKey));
  return keeper;
}

/** The tunnel's state on the status line, its failures in the log (once per cause), "up" as a message. */
function report(node: Node, harness: NodeHarness, keeper: TunnelKeeper): void {
  const failures = new TunnelFailureLog();
  keeper.on('status', (s: TunnelStatus) => {
    showTunnelStatus(harness.status, s, harness.t);
    const cause = failures.toLog(s);
    if (cause !== undefined && s.state === 'failed') node.error(cause);
    else if (cause !== undefined) node.warn(harness.t('warnings.down', { reason: cause }));
    // One message each time the tunnel comes up (flows post the link, or filter repeats with a filter node).
    if (s.state === 'up' && !harness.closed) {
      const tunnel = { state: 'up', tunnelId: s.tunnelId, tunnelUrl: s.tunnelUrl };
      node.send({ topic: 'up', payload: s.tunnelUrl, tunnel });
    }
  });
}

/** Everything the node's actions work on, or a problem that keeps the node from working, in words. */
function prepare(
  RED: NodeAPI,
  node: Node<TunnelCredentials>,
  def: TunnelDef,
  t: Translate,
  account: AccountNode | null,
) {
  const problem = settingsProblem(def, account, t) ?? account?.problem;
  if (!account || problem) return { problem };
  let identity: TunnelIdentity;
  try {
    identity = identityOf(RED, node, def, t);
  } catch {
    return { problem: t('errors.badKey') };
  }
  if (identity.keyGenerated) node.warn(t('warnings.keyGenerated'));
  const keeper = keeperFor(RED, node, def, account, identity);
  const outcome = new TunnelOutcomeWait(keeper, START_WAIT_MS);
  return { target: { keeper, identity, api: account.client(), outcome } as TunnelActionTarget };
}

/** SSH first, then "close" on the API (as documented), then the state file: removed with the node, else flushed. */
async function shutDown(target: TunnelActionTarget, removed: boolean): Promise<void> {
  target.outcome.release();
  await target.keeper.stop(true).catch(() => undefined);
  target.keeper.removeAllListeners();
  await (removed ? target.identity.remove() : target.identity.flushed());
}

function createTunnelNode(RED: NodeAPI, node: Node<TunnelCredentials>, def: TunnelDef): void {
  const harness = new NodeHarness(RED, node, { type: 'semilimes-tunnel', failedLabel: 'status.actionFailed' });
  const t = harness.t;
  const account = RED.nodes.getNode(def.account) as AccountNode | null;
  const user = tunnelAccountUser(node.id, harness.status, t);
  if (account) account.register(user);
  const { target, problem } = prepare(RED, node, def, t, account);
  if (problem) harness.status.configProblem(problem);
  if (target) {
    report(node, harness, target.keeper);
    if (def.autoStart !== false) target.keeper.start();
    else showTunnelStatus(harness.status, { state: 'stopped' }, t);
  }

  harness.onInput(async (msg, { signal }) => {
    const action = actionOf(msg, t);
    if (!target) throw new FlowInputError('notReady', problem ?? t('errors.noAccount'));
    // A "start" waiting for the outcome answers at once when the node closes, not up to 30 s later.
    const release = () => target.outcome.release();
    signal.addEventListener('abort', release, { once: true });
    try {
      msg.payload = await performTunnelAction(action, msg, target);
    } finally {
      signal.removeEventListener('abort', release);
    }
    msg.tunnel = summarize(target.keeper);
    return { msg, status: t('status.answered', { action }) };
  });

  let removed = false;
  node.on('close', (isRemoved: boolean, done: () => void) => {
    removed = isRemoved;
    done();
  });
  harness.onClose(async () => {
    if (target) await shutDown(target, removed);
    if (account) await account.deregister(user);
  });
}

export = function register(RED: NodeAPI) {
  function SemilimesTunnelNode(this: Node<TunnelCredentials>, saved: TunnelDef) {
    RED.nodes.createNode(this, saved);
    createTunnelNode(RED, this, migrate(TUNNEL_MIGRATION, saved));
  }
  RED.nodes.registerType('semilimes-tunnel', SemilimesTunnelNode as unknown as NodeConstructor, {
    credentials: {
      privateKey: { type: 'password' },
      publicKey: { type: 'text' },
      hostKey: { type: 'text' },
      tunnelId: { type: 'text' },
    },
  });
  registerKeyPairRoute(RED);
};
