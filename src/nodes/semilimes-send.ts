import { CHAT_KINDS, type ChatKind, type MessageAction, type MessageResult, type SemilimesClient } from '../semilimes';
import type { AccountNode } from './lib/account';
import { FlowInputError, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { ACTIONS, payloadToComponent, routeFromMessage } from './lib/outbound';
import type { Translate } from './lib/translate';
import { evaluateTypedInput } from './lib/typed-input';
import { migrate } from './migrations/migrate';
import { SEND_MIGRATION } from './migrations/semilimes-send';

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

/** What one message asks of a send node: its settings and typed inputs evaluated for that message. */
class SendInputs {
  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: SendDef,
    private readonly t: Translate,
    private readonly msg: FlowMessage,
  ) {}

  action(): MessageAction {
    const chosen = this.def.action === 'msg' ? this.msg.action : this.def.action || 'send';
    if (!ACTIONS.includes(chosen as MessageAction)) {
      throw new FlowInputError('badAction', this.t('errors.badAction', { action: String(chosen) }));
    }
    return chosen as MessageAction;
  }

  /** Which conversation: the message's reply route first, then the node's own setting. */
  async destination(): Promise<{ kind: ChatKind; id: string }> {
    const fromMessage = routeFromMessage(this.msg, this.t);
    if (fromMessage) return fromMessage;
    if (CHAT_KINDS.includes(this.def.chatKind as ChatKind)) {
      const id = await this.typed(this.def.chatId, this.def.chatIdType);
      if (isNonEmpty(id)) return { kind: this.def.chatKind as ChatKind, id: String(id).trim() };
    }
    throw new FlowInputError('noDestination', this.t('errors.noDestination'));
  }

  /** The message to act on; noted, so that a close cutting the work short can name it. */
  async messageId(context: InputContext): Promise<string> {
    const id = await this.typed(this.def.messageId || 'messageId', this.def.messageIdType || 'msg');
    if (!isNonEmpty(id)) throw new FlowInputError('noMessageId', this.t('errors.noMessageId'));
    context.note({ messageId: String(id) });
    return String(id);
  }

  async reaction(): Promise<string> {
    const configured = this.def.reaction
      ? await this.typed(this.def.reaction, this.def.reactionType)
      : this.msg.payload;
    if (!isNonEmpty(configured)) throw new FlowInputError('noReaction', this.t('errors.noReaction'));
    return String(configured);
  }

  private typed(value: string | undefined, type: string | undefined): Promise<unknown> {
    return evaluateTypedInput(this.RED, this.node, value, type, this.msg);
  }
}

/** Calls the client for one message. */
async function perform(
  client: SemilimesClient,
  act: MessageAction,
  inputs: SendInputs,
  payload: unknown,
  context: InputContext,
  silent: boolean,
): Promise<MessageResult> {
  const { t } = context;
  const where = await inputs.destination();
  if (where.kind === 'channel' && !['send', 'update'].includes(act)) {
    throw new FlowInputError('notForChannels', t('errors.notForChannels', { action: act }));
  }
  // A message still waiting in the account's send queue when the node closes is taken out, never sent.
  const { signal } = context;
  switch (act) {
    case 'send':
      return client.send(where, payloadToComponent(payload, t), { silent, signal });
    case 'update': {
      const messageId = await inputs.messageId(context);
      return client.update(where.kind, messageId, payloadToComponent(payload, t), { silent, signal });
    }
    case 'reply': {
      const component = payloadToComponent(payload, t);
      if (component.dataComponentType !== 'text') throw new FlowInputError('replyTextOnly', t('errors.replyTextOnly'));
      return client.reply(where.kind, await inputs.messageId(context), component, { signal });
    }
    case 'react':
      return client.react(where.kind, await inputs.messageId(context), await inputs.reaction(), { signal });
    case 'unreact':
      return client.unreact(where.kind, await inputs.messageId(context), await inputs.reaction(), { signal });
    case 'typing':
      return client.typing(where, { signal });
  }
}

export = function register(RED: NodeAPI) {
  function SemilimesSendNode(this: Node, saved: SendDef) {
    RED.nodes.createNode(this, saved);
    const node = this;
    const def = migrate(SEND_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, node, { type: 'semilimes-send', config: def.account });
    // Translated once: i18n lookups are a measurable share of each message's cost.
    const labels = ACTIONS.map((action) => [action, harness.t(STATUS_KEY[action])]);
    const doneLabel = Object.fromEntries(labels) as Record<MessageAction, string>;

    harness.onInput(async (msg, context) => {
      const inputs = new SendInputs(RED, node, def, harness.t, msg);
      const act = inputs.action();
      const client = harness.connection().client();
      const result = await perform(client, act, inputs, msg.payload, context, def.silent === true);
      // A typing signal passes the message through untouched, so "typing -> delay -> send" keeps the text.
      if (act !== 'typing') {
        msg.payload = result.data;
        if (result.messageId) msg.messageId = result.messageId;
      }
      return { msg, status: doneLabel[act] };
    });
  }

  RED.nodes.registerType('semilimes-send', SemilimesSendNode as unknown as NodeConstructor);
};
