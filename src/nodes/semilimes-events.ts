import type { StateChange } from '../semilimes';
import type { AccountNode } from './lib/account';
import { NodeHarness } from './lib/harness';
import type { KeyInfo } from './lib/key-lifecycle';
import { daysLeft } from './lib/key-lifecycle';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeConstructor } from './lib/node-red';
import { migrate } from './migrations/migrate';
import { EVENTS_MIGRATION } from './migrations/semilimes-events';

interface EventsDef extends NodeDef {
  account: string;
  /** Which events come out (booleans, default true). */
  connection?: boolean;
  key?: boolean;
  unknown?: boolean;
}

/** The connection states a flow hears of; the steps in between (connecting, closed at a deploy) are not news. */
const REPORTED = new Set(['connected', 'disconnected', 'unauthorized']);

export = function register(RED: NodeAPI) {
  function SemilimesEventsNode(this: Node, saved: EventsDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(EVENTS_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, this, { type: 'semilimes-events', config: def.account });
    const account = harness.connectionOrUndefined;
    if (!account) return;
    const emit = (topic: string, payload: Record<string, unknown>) =>
      harness.emit({ topic, payload } as NodeMessage, harness.t(`status.${topic}`));

    if (def.connection !== false) {
      // What the flow last heard: a deploy that keeps the connection up says nothing; a drop then is news.
      let last: string | undefined;
      try {
        last = account.client().state;
      } catch {
        last = undefined; // the account cannot work at all; its status says why
      }
      harness.listen(account.events, 'state', (change: StateChange) => {
        // Retries during an outage go disconnected -> connecting -> disconnected: one message for the outage.
        if (!REPORTED.has(change.state) || change.state === last) return;
        last = change.state;
        const payload: Record<string, unknown> = { state: change.state };
        if (change.reason) payload.reason = change.reason;
        if (change.retryInMs !== undefined) payload.retryInMs = change.retryInMs;
        if (change.status !== undefined) payload.status = change.status;
        emit('connection', payload);
      });
    }

    if (def.key !== false) {
      harness.listen(account.events, 'key', (info: KeyInfo, warning: boolean) => {
        if (!warning || !info.expireAt) return;
        const { expireAt, id: keyId } = info;
        emit('key', { state: 'expiring', daysLeft: daysLeft(expireAt), expireAt: expireAt.toISOString(), keyId });
      });
    }

    if (def.unknown !== false) {
      harness.listen(account.events, 'unknown', (frame: unknown) => {
        const { eventType, featureType } = (frame ?? {}) as { eventType?: unknown; featureType?: unknown };
        emit('unknown', { eventType, featureType, frame });
      });
    }
  }

  RED.nodes.registerType('semilimes-events', SemilimesEventsNode as unknown as NodeConstructor);
};
