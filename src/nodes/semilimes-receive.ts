import type { InboundMessage } from '../semilimes';
import { statusUser, type AccountNode } from './lib/account';
import { matchesFilter, splitList, toFlowMessage, type ReceiveFilter } from './lib/inbound-message';
import { TrackedListeners } from './lib/listeners';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './lib/node-red';
import { StatusView } from './lib/status';

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
  function SemilimesReceiveNode(this: Node, def: ReceiveDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const account = RED.nodes.getNode(def.account) as AccountNode | null;
    const status = new StatusView((s) => node.status(s));
    const listeners = new TrackedListeners();
    const filter: ReceiveFilter = {
      // A kind left undefined (flows saved before the setting existed) listens, as the editor's default does.
      kinds: { p2p: def.p2p !== false, groupchat: def.groupchat !== false, channel: def.channel !== false },
      chatIds: splitList(def.chatIds),
      senderIds: splitList(def.senderIds),
      componentTypes: splitList(def.componentTypes),
      formRefNames: splitList(def.formRefNames),
    };
    const user = statusUser(node.id, status);
    const receivedLabel = RED._('semilimes-receive.status.received');

    if (account) {
      listeners.on(account.events, 'message', (message: InboundMessage) => {
        if (!matchesFilter(message, filter)) return;
        node.send(toFlowMessage(message) as NodeMessage);
        status.succeeded(receivedLabel);
      });
      account.register(user);
    } else {
      status.configProblem(RED._('semilimes-receive.status.noAccount'));
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      listeners.removeAll();
      if (!account) return done();
      account.deregister(user).then(done, done);
    });
  }

  RED.nodes.registerType('semilimes-receive', SemilimesReceiveNode as any);
};
