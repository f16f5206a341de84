import type { InboundMessage } from '../semilimes';
import type { AccountNode } from './lib/account';
import { NodeHarness } from './lib/harness';
import { matchesFilter, splitList, toFlowMessage, type ReceiveFilter } from './lib/inbound-message';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeConstructor } from './lib/node-red';
import { RECEIVE_MIGRATION } from './migrations/semilimes-receive';
import { migrate } from './migrations/migrate';

interface ReceiveDef extends NodeDef {
  account: string;
  p2p?: boolean;
  groupchat?: boolean;
  channel?: boolean;
  chatIds?: string;
  senderIds?: string;
  componentTypes?: string;
  formRefNames?: string;
}

export = function register(RED: NodeAPI) {
  function SemilimesReceiveNode(this: Node, saved: ReceiveDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(RECEIVE_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, this, { type: 'semilimes-receive', config: def.account });
    const filter: ReceiveFilter = {
      // A kind left undefined (flows saved before the setting existed) listens, as the editor's default does.
      kinds: { p2p: def.p2p !== false, groupchat: def.groupchat !== false, channel: def.channel !== false },
      chatIds: splitList(def.chatIds),
      senderIds: splitList(def.senderIds),
      componentTypes: splitList(def.componentTypes),
      formRefNames: splitList(def.formRefNames),
    };
    const receivedLabel = harness.t('status.received');
    const account = harness.connectionOrUndefined;
    if (!account) return;
    harness.listen(account.events, 'message', (message: InboundMessage) => {
      if (matchesFilter(message, filter)) harness.emit(toFlowMessage(message) as NodeMessage, receivedLabel);
    });
  }

  RED.nodes.registerType('semilimes-receive', SemilimesReceiveNode as unknown as NodeConstructor);
};
