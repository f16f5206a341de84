import type { InboundMessage } from '../semilimes';
import type { AccountNode } from './lib/account';
import { NodeHarness } from './lib/harness';
import { AllowList } from './lib/allow-list';
import { matchesFilter, splitList, toFlowMessage, type ReceiveFilter } from './lib/inbound-message';
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeConstructor } from './lib/node-red';
import { RECEIVE_MIGRATION } from './migrations/semilimes-receive';
import { migrate } from './migrations/migrate';
import { OwnMessages } from './lib/own-messages';

interface ReceiveDef extends NodeDef {
  account: string;
  p2p?: boolean;
  groupchat?: boolean;
  channel?: boolean;
  /** Allowed chats and senders: typed inputs (`str`: a fixed comma separated list; env, flow, global). */
  chatIds?: string;
  chatIdsType?: string;
  senderIds?: string;
  senderIdsType?: string;
  /** A second output for messages from senders or chats not allowed. */
  strangers?: boolean;
  componentTypes?: string;
  formRefNames?: string;
  /** The loop guard: messages the account sent itself do not come out. */
  ignoreOwn?: boolean;
}

export = function register(RED: NodeAPI) {
  function SemilimesReceiveNode(this: Node, saved: ReceiveDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(RECEIVE_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, this, { type: 'semilimes-receive', config: def.account });
    const filter: ReceiveFilter = {
      // A kind left undefined (flows saved before the setting existed) listens, as the editor's default does.
      kinds: { p2p: def.p2p !== false, groupchat: def.groupchat !== false, channel: def.channel !== false },
      componentTypes: splitList(def.componentTypes),
      formRefNames: splitList(def.formRefNames),
    };
    const receivedLabel = harness.t('status.received');
    const strangerLabel = harness.t('status.stranger');
    const account = harness.connectionOrUndefined;
    if (!account) return;
    const own = new OwnMessages(
      () => account.client(),
      (err) => this.warn(harness.t('warnings.ownIdUnknown', { cause: err.message })),
    );
    if (def.ignoreOwn !== false) own.prepare();
    const allowed = new AllowList(
      RED,
      this,
      harness.t,
      { value: def.senderIds, type: def.senderIdsType },
      { value: def.chatIds, type: def.chatIdsType },
    );
    /** Where one message goes: nowhere, the first output, or (strangers) the second. */
    const route = async (message: InboundMessage) => {
      if (def.ignoreOwn !== false && (await own.isOwn(message))) return;
      const msg = toFlowMessage(message) as NodeMessage;
      let allows: boolean;
      try {
        allows = await allowed.allows(message);
      } catch (err) {
        // The list cannot be read: nobody is let in, and the message reaches Catch nodes instead of vanishing.
        harness.showFailure(err as Error);
        this.error(err, msg);
        return;
      }
      if (allows) harness.emit(msg, receivedLabel);
      else if (def.strangers === true) harness.emit([null, msg], strangerLabel);
    };
    const failed = (err: Error) => {
      harness.showFailure(err);
      node.error(err);
    };
    const fixedLists = allowed.fixedLists();
    /**
     * The same route, at once, when nothing needs a wait: fixed lists, and the account's id known (or not needed).
     * False when it must go through the chain.
     */
    const routeNow = (message: InboundMessage): boolean => {
      if (!fixedLists) return false;
      if (def.ignoreOwn !== false) {
        const isOwn = own.isOwnNow(message);
        if (isOwn === undefined) return false;
        if (isOwn) return true;
      }
      const msg = toFlowMessage(message) as NodeMessage;
      if (AllowList.allowsBy(message, fixedLists)) harness.emit(msg, receivedLabel);
      else if (def.strangers === true) harness.emit([null, msg], strangerLabel);
      return true;
    };
    // Messages wait for the checks (the account's id, lists from context) in order, so none overtakes another; one
    // goes at once only when no earlier one is still waiting.
    let chain = Promise.resolve();
    let waiting = 0;
    harness.listen(account.events, 'message', (message: InboundMessage) => {
      if (!matchesFilter(message, filter)) return;
      if (waiting === 0) {
        try {
          if (routeNow(message)) return;
        } catch (err) {
          failed(err as Error);
          return;
        }
      }
      // A failure with one message (e.g. one Node-RED cannot copy) is reported and never stops the ones after it.
      waiting += 1;
      chain = chain
        .then(() => route(message))
        .catch(failed)
        .finally(() => {
          waiting -= 1;
        });
    });
  }

  RED.nodes.registerType('semilimes-receive', SemilimesReceiveNode as unknown as NodeConstructor);
};
