import { EventEmitter } from 'node:events';
import {
  DEFAULT_BASE_URL,
  InvalidInputError,
  SemilimesClient,
  resolveUrls,
  type ClientOptions,
  type InboundMessage,
  type StateChange,
} from '../semilimes';
import { resolveSecret, type AccountNode, type AccountUser } from './lib/account';
import { KeyFileStore, keyDirectory, type KeyFile } from './lib/key-file';
import { KeyLifecycle, daysLeft, type KeyInfo } from './lib/key-lifecycle';
import { registerLookupRoutes } from './lib/lookup-routes';
import type { NodeAPI, NodeDef } from './lib/node-red';

interface AccountDef extends NodeDef {
  baseUrl?: string;
  /** Deliver messages published while the connection was down (on unless false: older flows lack the setting). */
  catchUp?: boolean;
  /** Rotate the key by itself when it has fewer than `rotateDays` days left (off by default). */
  autoRotate?: boolean;
  rotateDays?: number | string;
  /** Lifetime of keys created by a rotation, in days. */
  keyValidityDays?: number | string;
}

/** The documentation's rotation flow acts when a key has less than 5 days left; the status warns from then on. */
const DEFAULT_ROTATE_DAYS = 5;
const DEFAULT_VALIDITY_DAYS = 90;
/** How often a running account checks its key again (and rotates it when automatic rotation is on). */
const KEY_CHECK_SETTING = 'semilimesKeyCheckMs';
const DEFAULT_KEY_CHECK_MS = 12 * 3600 * 1000;

const positive = (value: unknown, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** Test and benchmark hooks: shorter timers than a person would want in production. */
const TUNING_SETTING = 'semilimesClientOptions';
/** Longest wait, on close, for the nodes using the account to finish (below Node-RED's 15 s close timeout). */
const USERS_GONE_LIMIT_MS = 5000;

export = function register(RED: NodeAPI) {
  function SemilimesAccountNode(this: AccountNode, def: AccountDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const events = new EventEmitter();
    events.setMaxListeners(0); // one listener per user node; a big flow may have many
    const users = new Set<AccountUser>();
    const baseUrl = (def.baseUrl || DEFAULT_BASE_URL).trim();
    const label = `[semilimes-account:${def.name || node.id}]`;
    let client: SemilimesClient | undefined;
    let lastState: StateChange = { state: 'idle' };

    const settings = RED.settings as unknown as Record<string, unknown>;
    const configuredKey = resolveSecret(node.credentials?.apiKey);
    const rotateDays = positive(def.rotateDays, DEFAULT_ROTATE_DAYS);
    const keyStore = new KeyFileStore(keyDirectory(settings));
    /** The key to use: a rotated key from the key file while it stands in for the credential, else the credential. */
    function current(): { key: string; file?: KeyFile } {
      try {
        return KeyLifecycle.initialKey(keyStore, node.id, configuredKey);
      } catch (err) {
        node.warn(RED._('semilimes-account.errors.keyFile', { message: (err as Error).message }));
        return { key: configuredKey };
      }
    }
    let keyInfo: KeyInfo | undefined;
    let keyTimer: NodeJS.Timeout | undefined;
    let problem: string | undefined;
    if (!configuredKey) problem = RED._('semilimes-account.status.noKey');
    else {
      try {
        resolveUrls(baseUrl);
      } catch (err) {
        problem = (err as Error).message.includes('loopback')
          ? RED._('semilimes-account.errors.insecureUrl')
          : RED._('semilimes-account.errors.badUrl', { url: baseUrl });
      }
    }
    if (problem) node.warn(problem);

    /** The state in words, from this node's catalogue. */
    const describe = (change: StateChange) =>
      RED._(`semilimes-account.status.${change.state === 'idle' ? 'connecting' : change.state}`);

    const onState = (change: StateChange) => {
      lastState = change;
      const text = describe(change);
      for (const user of users) user.connectionChanged(change, text);
      events.emit('state', change);
    };
    const onMessage = (message: InboundMessage) => events.emit('message', message);

    /** The key's remaining days in words, and whether to warn, for every user node's status. */
    function keyStatus(): { text: string; warning: boolean } | undefined {
      if (!keyInfo?.expireAt) return undefined;
      const days = daysLeft(keyInfo.expireAt);
      const warning = days < rotateDays;
      const text = days < 0 ? RED._('semilimes-account.status.keyExpired') : RED._('semilimes-account.status.keyDays', { days });
      return { text, warning };
    }
    const pushKeyStatus = (user: AccountUser) => {
      const key = keyStatus();
      if (key && user.keyStatus) user.keyStatus(key.text, key.warning);
    };

    const lifecycle = new KeyLifecycle({
      accountNodeId: node.id,
      configuredKey,
      store: keyStore,
      client: () => node.client(),
      validityDays: positive(def.keyValidityDays, DEFAULT_VALIDITY_DAYS),
      keyName: `Node-RED ${def.name || node.id}`,
      onInfo: (info) => {
        keyInfo = info;
        for (const user of users) pushKeyStatus(user);
        events.emit('key', info);
      },
      log: (text) => node.log(text),
      t: (key, subs) => RED._(`semilimes-account.rotation.${key}`, subs),
    });

    /** Checks the key (and rotates it when it is due and automatic rotation is on); never throws. */
    async function checkKey(): Promise<void> {
      try {
        const info = await lifecycle.validate();
        await lifecycle.finishInterrupted(current().file);
        if (def.autoRotate === true && info.expireAt && daysLeft(info.expireAt) < rotateDays) {
          await lifecycle.rotate();
        }
      } catch (err) {
        node.warn(RED._('semilimes-account.errors.keyCheck', { message: (err as Error).message }));
      }
    }

    function startKeyChecks(): void {
      if (keyTimer) return;
      void checkKey();
      const every = positive(settings[KEY_CHECK_SETTING], DEFAULT_KEY_CHECK_MS);
      keyTimer = setInterval(() => void checkKey(), every);
      keyTimer.unref();
    }

    function createClient(): SemilimesClient {
      const tuning = ((RED.settings as unknown as Record<string, unknown>)[TUNING_SETTING] ?? {}) as Partial<ClientOptions>;
      const created = new SemilimesClient({
        ...tuning,
        apiKey: current().key,
        baseUrl,
        catchUp: def.catchUp === false ? false : (tuning.catchUp ?? true),
        logger: {
          debug: (m) => RED.log.debug(`${label} ${m}`),
          info: (m) => RED.log.info(`${label} ${m}`),
          warn: (m) => RED.log.warn(`${label} ${m}`),
          error: (m) => RED.log.error(`${label} ${m}`),
        },
      });
      created.on('state', onState);
      created.on('message', onMessage);
      return created;
    }

    async function closeClient(): Promise<void> {
      clearInterval(keyTimer);
      keyTimer = undefined;
      const closing = client;
      client = undefined;
      if (!closing) return;
      await closing.close();
      closing.off('state', onState);
      closing.off('message', onMessage);
      lastState = { state: 'idle' };
    }

    Object.assign(node, {
      events,
      /** The deployed address, so editor lookups never send this node's key anywhere else. */
      baseUrl,
      get problem() {
        return problem;
      },
      client(): SemilimesClient {
        if (problem) throw new InvalidInputError(problem);
        if (!client) client = createClient();
        return client;
      },
      register(user: AccountUser) {
        users.add(user);
        if (problem) {
          user.configProblem(problem);
          return;
        }
        const active = node.client();
        user.connectionChanged(lastState, describe(lastState));
        pushKeyStatus(user);
        active.connect();
        startKeyChecks();
      },
      /** Rotates the key now, whatever its expiry (the api node's "rotate" operation). */
      rotateKey() {
        if (problem) return Promise.reject(new InvalidInputError(problem));
        return lifecycle.rotate();
      },
      async deregister(user: AccountUser) {
        users.delete(user);
        if (users.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
        // The last user gone: the WebSocket closes; the next registration opens a fresh one.
        if (users.size === 0) await closeClient();
      },
    });

    // An accessor, not a copied value (Object.assign would copy what the getter returns now).
    Object.defineProperty(node, 'keyInfo', { get: () => keyInfo, enumerable: true });

    /**
     * Node-RED stops a config node at the same time as the nodes using it. Waiting (briefly) for them to let go keeps
     * the client alive for their last requests on the way out, e.g. a tunnel node calling "close" on the API.
     */
    const idleWaiters: Array<() => void> = [];
    function usersGone(limitMs: number): Promise<void> {
      if (users.size === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, limitMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }

    node.on('close', (done: () => void) => {
      usersGone(USERS_GONE_LIMIT_MS)
        .then(() => {
          users.clear();
          events.removeAllListeners();
          return closeClient();
        })
        .then(done, done);
    });
  }

  RED.nodes.registerType('semilimes-account', SemilimesAccountNode as any, {
    credentials: { apiKey: { type: 'password' } },
  });
  registerLookupRoutes(RED);
};
