import { EventEmitter } from 'node:events';
import {
  DEFAULT_BASE_URL,
  InvalidInputError,
  type InboundMessage,
  type SemilimesClient,
  type StateChange,
} from '../semilimes';
import { createAccountClient } from './lib/account-client';
import { AccountKeyWatch } from './lib/account-key-watch';
import { accountProblem } from './lib/account-problem';
import { resolveSecret, type AccountNode, type AccountUser } from './lib/account';
import { ConnectionUsers } from './lib/connection-users';
import type { KeyInfo } from './lib/key-lifecycle';
import { registerLookupRoutes } from './lib/lookup-routes';
import type { NodeAPI, NodeDef } from './lib/node-red';
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
}

/** Longest wait, on close, for the nodes using the account to finish (below Node-RED's 15 s close timeout). */
const USERS_GONE_LIMIT_MS = 5000;

export = function register(RED: NodeAPI) {
  function SemilimesAccountNode(this: AccountNode, saved: AccountDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(ACCOUNT_MIGRATION, saved);
    const t = translator(RED, 'semilimes-account');
    // One listener per user node; a big flow may have many.
    const events = new EventEmitter().setMaxListeners(0);
    const users = new ConnectionUsers();
    const baseUrl = (def.baseUrl || DEFAULT_BASE_URL).trim();
    const configuredKey = resolveSecret(node.credentials?.apiKey);
    const problem = accountProblem(configuredKey, baseUrl, t);
    if (problem) node.warn(problem);
    let client: SemilimesClient | undefined;
    let lastState: StateChange = { state: 'idle' };

    /** The state in words, from this node's catalogue. */
    const describe = (change: StateChange) => t(`status.${change.state === 'idle' ? 'connecting' : change.state}`);
    const pushKeyStatus = (user: AccountUser) => {
      const key = keys.status();
      if (key && user.keyStatus) user.keyStatus(key.text, key.warning);
    };
    const keySettings = { ...def, nodeId: node.id, configuredKey, autoRotate: def.autoRotate === true };
    const keys = new AccountKeyWatch(RED, keySettings, t, () => node.client(), onKeyInfo, node);

    function onKeyInfo(info: KeyInfo): void {
      users.forEach(pushKeyStatus);
      events.emit('key', info);
    }
    const onState = (change: StateChange) => {
      lastState = change;
      users.connectionChanged(change, describe(change));
      events.emit('state', change);
    };
    const onMessage = (message: InboundMessage) => events.emit('message', message);

    function createClient(): SemilimesClient {
      const label = `[semilimes-account:${def.name || node.id}]`;
      const apiKey = keys.current().key;
      const created = createAccountClient(RED, { apiKey, baseUrl, catchUp: def.catchUp !== false, label });
      created.on('state', onState);
      created.on('message', onMessage);
      return created;
    }

    async function closeClient(): Promise<void> {
      keys.stop();
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
      problem,
      client(): SemilimesClient {
        if (problem) throw new InvalidInputError(problem);
        if (!client) client = createClient();
        return client;
      },
      register(user: AccountUser) {
        users.add(user);
        if (problem) return user.configProblem(problem);
        const active = node.client();
        user.connectionChanged(lastState, describe(lastState));
        pushKeyStatus(user);
        active.connect();
        keys.start();
      },
      /** Rotates the key now, whatever its expiry (the api node's "rotate" operation). */
      rotateKey() {
        if (problem) return Promise.reject(new InvalidInputError(problem));
        return keys.rotate();
      },
      async deregister(user: AccountUser) {
        // The last user gone: the WebSocket closes; the next registration opens a fresh one.
        if (users.remove(user)) await closeClient();
      },
    });
    // An accessor, not a copied value (Object.assign would copy what the getter returns now).
    Object.defineProperty(node, 'keyInfo', { get: () => keys.info, enumerable: true });

    node.on('close', (done: () => void) => {
      users
        .whenEmpty(USERS_GONE_LIMIT_MS)
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
