import {
  CHAT_KINDS,
  type ChatKind,
  type DataComponent,
  type Destination,
  type MessageAction,
  type MessageResult,
  type SemilimesClient,
  type SendOptions,
} from '../semilimes';
import type { AccountNode } from './lib/account';
import { FlowInputError, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef } from './lib/node-red';
import { ACTIONS, payloadToComponent, routeFromMessage } from './lib/outbound';
import type { Translate } from './lib/translate';
import { isSet, refNameFrom, silentFrom, timeoutFrom } from './lib/message-settings';
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
  /** Send without in-app notification: a typed input (a boolean checkbox before version 2). */
  silent: boolean | string;
  silentType: string;
  /** Request timeout, ms: a typed input; empty uses the account's default. */
  timeout: string;
  timeoutType: string;
  /** The refName of the component reacted to (p2p): a typed input; empty sends none. */
  messageRefName: string;
  messageRefNameType: string;
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

  /** Whether to send without notification: msg.silent when set, else the node's setting. */
  async silent(): Promise<boolean> {
    if (isSet(this.msg.silent)) return silentFrom(this.msg.silent, 'msg.silent', this.t);
    const value = await this.typed(String(this.def.silent ?? false), this.def.silentType || 'bool');
    return isSet(value) ? silentFrom(value, this.t('label.silent'), this.t) : false;
  }

  /** The request timeout: msg.timeout when set, else the node's setting; undefined uses the account's default. */
  async timeoutMs(): Promise<number | undefined> {
    if (isSet(this.msg.timeout)) return timeoutFrom(this.msg.timeout, 'msg.timeout', this.t);
    if (!isSet(this.def.timeout)) return undefined;
    const value = await this.typed(this.def.timeout, this.def.timeoutType || 'num');
    return isSet(value) ? timeoutFrom(value, this.t('label.timeout'), this.t) : undefined;
  }

  /** The refName of the component reacted to: msg.messageRefName when set, else the node's setting, else none. */
  async messageRefName(): Promise<string | undefined> {
    if (isSet(this.msg.messageRefName)) return refNameFrom(this.msg.messageRefName, 'msg.messageRefName', this.t);
    if (!isSet(this.def.messageRefName)) return undefined;
    const value = await this.typed(this.def.messageRefName, this.def.messageRefNameType || 'str');
    return isSet(value) ? refNameFrom(value, this.t('label.messageRefName'), this.t) : undefined;
  }

  private typed(value: string | undefined, type: string | undefined): Promise<unknown> {
    return evaluateTypedInput(this.RED, this.node, value, type, this.msg);
  }
}

/**
 * What `msg.payload` asks to send: one component, or for *send* an array of texts / components, sent in order. Every
 * element is checked before anything is sent.
 */
function componentsOf(payload: unknown, act: MessageAction, t: Translate): DataComponent[] {
  if (!Array.isArray(payload) || act !== 'send') return [payloadToComponent(payload, t)];
  if (payload.length === 0) throw new FlowInputError('emptyPayload', t('errors.emptyPayload'), 'payload');
  return payload.map((element, index) => {
    try {
      return payloadToComponent(element, t);
    } catch {
      throw new FlowInputError('badPayloadElement', t('errors.badPayloadElement', { index }), 'payload');
    }
  });
}

/** Several components to one conversation, in order; stops at the first failure, saying what had been sent. */
async function sendAll(
  client: SemilimesClient,
  where: Destination,
  components: DataComponent[],
  options: SendOptions,
  t: Translate,
): Promise<MessageResult[]> {
  const results: MessageResult[] = [];
  for (const component of components) {
    try {
      results.push(await client.send(where, component, options));
    } catch (err) {
      if (results.length === 0) throw err;
      const sent = results.map((r) => r.messageId).join(', ');
      const args = { sent: results.length, total: components.length, messageIds: sent, cause: (err as Error).message };
      throw new PartlySentError(t('errors.partlySent', args), results, err as Error);
    }
  }
  return results;
}

/** Some components of a message were sent before one failed: they stay sent (never resent). */
class PartlySentError extends Error {
  constructor(
    message: string,
    readonly results: MessageResult[],
    readonly failure: Error,
  ) {
    super(message);
    this.name = 'PartlySentError';
  }
}

/** Calls the client for one message; several results when several components were sent. */
async function perform(
  client: SemilimesClient,
  act: MessageAction,
  inputs: SendInputs,
  payload: unknown,
  context: InputContext,
): Promise<MessageResult | MessageResult[]> {
  const { t } = context;
  const where = await inputs.destination();
  if (where.kind === 'channel' && !['send', 'update'].includes(act)) {
    throw new FlowInputError('notForChannels', t('errors.notForChannels', { action: act }));
  }
  // A message still waiting in the account's send queue when the node closes is taken out, never sent.
  const options: SendOptions = { signal: context.signal, timeoutMs: await inputs.timeoutMs() };
  switch (act) {
    case 'send': {
      const components = componentsOf(payload, act, t);
      const sending = { ...options, silent: await inputs.silent() };
      if (Array.isArray(payload)) return sendAll(client, where, components, sending, t);
      return client.send(where, components[0], sending);
    }
    case 'update': {
      const component = payloadToComponent(payload, t);
      const messageId = await inputs.messageId(context);
      return client.update(where.kind, messageId, component, { ...options, silent: await inputs.silent() });
    }
    case 'reply': {
      const component = payloadToComponent(payload, t);
      if (component.dataComponentType !== 'text') throw new FlowInputError('replyTextOnly', t('errors.replyTextOnly'));
      return client.reply(where.kind, await inputs.messageId(context), component, options);
    }
    case 'react': {
      const messageId = await inputs.messageId(context);
      const reaction = await inputs.reaction();
      const messageRefName = await inputs.messageRefName();
      if (messageRefName !== undefined && where.kind !== 'p2p') {
        throw new FlowInputError('refNameP2pOnly', t('errors.refNameP2pOnly'), 'messageRefName');
      }
      return client.react(where.kind, messageId, reaction, { ...options, messageRefName });
    }
    case 'unreact':
      return client.unreact(where.kind, await inputs.messageId(context), await inputs.reaction(), options);
    case 'typing':
      return client.typing(where, options);
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
      const result = await perform(client, act, inputs, msg.payload, context);
      // A typing signal passes the message through untouched, so "typing -> delay -> send" keeps the text.
      if (Array.isArray(result)) {
        // Several components: the answers and the ids in the order sent.
        msg.payload = result.map((r) => r.data);
        msg.messageId = result.map((r) => r.messageId);
      } else if (act !== 'typing') {
        msg.payload = result.data;
        if (result.messageId) msg.messageId = result.messageId;
      }
      return { msg, status: doneLabel[act] };
    });
  }

  RED.nodes.registerType('semilimes-send', SemilimesSendNode as any);
};
