import { DEFAULT_BASE_URL } from '../semilimes';
import { resolveSecret, type AccountNode } from './lib/account';
import { AccountConnection } from './lib/account-connection';
import { AccountKeyWatch } from './lib/account-key-watch';
import { accountProblem } from './lib/account-problem';
import { registerLookupRoutes } from './lib/lookup-routes';
import type { NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { translator } from './lib/translate';
import { ACCOUNT_MIGRATION } from './migrations/semilimes-account';
import { migrate } from './migrations/migrate';

interface AccountDef extends NodeDef {
  baseUrl?: string;
  /** Deliver messages published while the connection was down (on unless false: older flows lack the setting). */
  catchUp?: boolean;
  /** Rotate the key by itself when it has fewer than `rotateDays` days left (off by default). */
  autoRotate?: boolean;
  rotateDays?: number | string;
  /** Lifetime of keys created by a rotation, in days. */
  keyValidityDays?: number | string;
  /** Most messages per second to one conversation; empty or 0: no pacing (also when missing, as in older flows). */
  ratePerChat?: number | string;
  /** Most messages per second over all conversations; empty or 0: no pacing. */
  ratePerAccount?: number | string;
  /** Most messages waiting to be sent; empty: 10,000. */
  maxQueued?: number | string;
  /** "At once": most messages to one chat on their way together; empty: 32, 1 keeps the order through refusals. */
  inFlightPerChat?: number | string;
  /** The account's own proxy URL (no credentials: those are the proxyUsername / proxyPassword credentials). */
  proxy?: string;
}

/** A number from the dialog; empty, missing or not a number gives undefined (the client's default). */
function numberSetting(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export = function register(RED: NodeAPI) {
  function SemilimesAccountNode(this: AccountNode, saved: AccountDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(ACCOUNT_MIGRATION, saved);
    const t = translator(RED, 'semilimes-account');
    const baseUrl = (def.baseUrl || DEFAULT_BASE_URL).trim();
    const configuredKey = resolveSecret(node.credentials?.apiKey);
    const problem = accountProblem(configuredKey, baseUrl, t, def.proxy ?? '');
    if (problem) node.warn(problem);

    const keySettings = { ...def, nodeId: node.id, configuredKey, autoRotate: def.autoRotate === true };
    // The key watch and the connection need each other: the watch validates through the client, and its findings go
    // to every user of the connection.
    const keys: AccountKeyWatch = new AccountKeyWatch(
      RED,
      keySettings,
      t,
      () => connection.client(),
      (info) => connection.keyInfoChanged(info),
      node,
    );
    const label = `[semilimes-account:${def.name || node.id}]`;
    const pacing = {
      perChatPerSecond: numberSetting(def.ratePerChat),
      perAccountPerSecond: numberSetting(def.ratePerAccount),
      perChatInFlight: numberSetting(def.inFlightPerChat),
      maxQueued: numberSetting(def.maxQueued),
    };
    const catchUp = def.catchUp !== false;
    const credentials = (node.credentials ?? {}) as { proxyUsername?: string; proxyPassword?: string };
    const proxy = {
      url: (def.proxy ?? '').trim() || undefined,
      username: credentials.proxyUsername || undefined,
      password: resolveSecret(credentials.proxyPassword) || undefined,
    };
    const connectionSettings = { nodeId: node.id, baseUrl, catchUp, pacing, proxy, label, problem };
    const connection: AccountConnection = new AccountConnection(RED, connectionSettings, t, keys);

    Object.assign(node, {
      events: connection.events,
      replies: connection.replies,
      /** The deployed address, so editor lookups never send this node's key anywhere else. */
      baseUrl,
      problem,
      client: () => connection.client(),
      register: (user) => connection.register(user),
      deregister: (user) => connection.deregister(user),
      rotateKey: () => connection.rotateKey(),
    } satisfies Partial<AccountNode>);
    // An accessor, not a copied value (Object.assign would copy what the getter returns now).
    Object.defineProperty(node, 'keyInfo', { get: () => keys.info, enumerable: true });

    node.on('close', (done: () => void) => {
      connection.close().then(done, done);
    });
  }

  RED.nodes.registerType('semilimes-account', SemilimesAccountNode as unknown as NodeConstructor, {
    credentials: { apiKey: { type: 'password' }, proxyUsername: { type: 'text' }, proxyPassword: { type: 'password' } },
  });
  registerLookupRoutes(RED);
};
