import { CHAT_KINDS, type ChatKind, type MessageAction, type MessageResult, type SemilimesClient } from '../semilimes';
import type { AccountNode } from './lib/account';
import { FlowInputError, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext } from './lib/harness';
import { SEND_MIGRATION } from './migrations/semilimes-send';
import { migrate } from './migrations/migrate';
import type { FlowMessage, NodeAPI, NodeDef, Node } from './lib/node-red';
import { ACTIONS, payloadToComponent, routeFromMessage } from './lib/outbound';
import { evaluateTypedInput } from './lib/typed-input';

interface SendDef extends NodeDef {
  account: string;
  action: MessageAction | 'msg';
  /** The kind of chat of the node's own destination, or 'auto': the message's reply route only. */
  chatKind: ChatKind | 'auto';
  chatId: string;
  chatIdType: string;
  /** The message to update, reply or react to: a typed input, msg.messageId by default. */
  messageId: string;
  messageIdType: string;
  reaction: string;
  reactionType: string;
  silent: boolean;
}

/** Status label per action, relative to the catalogue. */
const STATUS_KEY: Record<MessageAction, string> = {
  send: 'status.sent',
  update: 'status.updated',
  reply: 'status.replied',
  react: 'status.reacted',
  unreact: 'status.unreacted',
  typing: 'status.typing',
};

export = function register(RED: NodeAPI) {
  function SemilimesSendNode(this: Node, saved: SendDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(SEND_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, node, { type: 'semilimes-send', config: def.account });
    const t = harness.t;
    // Translated once: i18n lookups are a measurable share of each message's cost.
    const doneLabel = Object.fromEntries(ACTIONS.map((a) => [a, t(STATUS_KEY[a])])) as Record<MessageAction, string>;
    const typed = (value: string | undefined, type: string | undefined, msg: FlowMessage) =>
      evaluateTypedInput(RED, node, value, type, msg);

    /** Which conversation: the message's reply route first, then the node's own setting. */
    async function destination(msg: FlowMessage): Promise<{ kind: ChatKind; id: string }> {
      const fromMessage = routeFromMessage(msg, t);
      if (fromMessage) return fromMessage;
      if (CHAT_KINDS.includes(def.chatKind as ChatKind)) {
        const id = await typed(def.chatId, def.chatIdType, msg);
        if (isNonEmpty(id)) return { kind: def.chatKind as ChatKind, id: String(id).trim() };
      }
      throw new FlowInputError('noDestination', t('errors.noDestination'));
    }

    async function messageId(msg: FlowMessage, context: InputContext): Promise<string> {
      const id = await typed(def.messageId || 'messageId', def.messageIdType || 'msg', msg);
      if (!isNonEmpty(id)) throw new FlowInputError('noMessageId', t('errors.noMessageId'));
      context.note({ messageId: String(id) });
      return String(id);
    }

    async function reaction(msg: FlowMessage): Promise<string> {
      const configured = def.reaction ? await typed(def.reaction, def.reactionType, msg) : msg.payload;
      if (!isNonEmpty(configured)) throw new FlowInputError('noReaction', t('errors.noReaction'));
      return String(configured);
    }

    function action(msg: FlowMessage): MessageAction {
      const chosen = def.action === 'msg' ? msg.action : def.action || 'send';
      if (!ACTIONS.includes(chosen as MessageAction)) {
        throw new FlowInputError('badAction', t('errors.badAction', { action: String(chosen) }));
      }
      return chosen as MessageAction;
    }

    async function perform(client: SemilimesClient, msg: FlowMessage, act: MessageAction, context: InputContext) {
      const where = await destination(msg);
      if (where.kind === 'channel' && !['send', 'update'].includes(act)) {
        throw new FlowInputError('notForChannels', t('errors.notForChannels', { action: act }));
      }
      const options = { silent: def.silent === true };
      switch (act) {
        case 'send':
          return client.send(where, payloadToComponent(msg.payload, t), options);
        case 'update':
          return client.update(where.kind, await messageId(msg, context), payloadToComponent(msg.payload, t), options);
        case 'reply': {
          const component = payloadToComponent(msg.payload, t);
          if (component.dataComponentType !== 'text') {
            throw new FlowInputError('replyTextOnly', t('errors.replyTextOnly'));
          }
          return client.reply(where.kind, await messageId(msg, context), component);
        }
        case 'react':
          return client.react(where.kind, await messageId(msg, context), await reaction(msg));
        case 'unreact':
          return client.unreact(where.kind, await messageId(msg, context), await reaction(msg));
        case 'typing':
          return client.typing(where);
      }
    }

    harness.onInput(async (msg, context) => {
      const act = action(msg);
      const client = harness.connection().client();
      const result: MessageResult = await perform(client, msg, act, context);
      // A typing signal passes the message through untouched, so "typing -> delay -> send" keeps the text.
      if (act !== 'typing') {
        msg.payload = result.data;
        if (result.messageId) msg.messageId = result.messageId;
      }
      return { msg, status: doneLabel[act] };
    });
  }

  RED.nodes.registerType('semilimes-send', SemilimesSendNode as any);
};
