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
import type { NodeAPI, NodeDef } from './lib/node-red';

interface AccountDef extends NodeDef {
  baseUrl?: string;
}

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

    const apiKey = resolveSecret(node.credentials?.apiKey);
    let problem: string | undefined;
    if (!apiKey) problem = RED._('semilimes-account.status.noKey');
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

    function createClient(): SemilimesClient {
      const tuning = ((RED.settings as unknown as Record<string, unknown>)[TUNING_SETTING] ?? {}) as Partial<ClientOptions>;
      const created = new SemilimesClient({
        ...tuning,
        apiKey,
        baseUrl,
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
        active.connect();
      },
      async deregister(user: AccountUser) {
        users.delete(user);
        if (users.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
        // The last user gone: the WebSocket closes; the next registration opens a fresh one.
        if (users.size === 0) await closeClient();
      },
    });

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
};
