import {
  CHAT_KINDS,
  DESTINATION_FIELD,
  type ChatKind,
  type DataComponent,
  type Destination,
  type MessageAction,
  type MessageResult,
  type SemilimesClient,
  type SendOptions,
} from '../semilimes';
import type { AccountNode } from './lib/account';
import { FlowInputError, chosenAction, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import { ACTIONS, payloadToComponent, routeFromMessage, type MessageRoute } from './lib/outbound';
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

/** Actions that may go to a list of destinations: the others act on one message, which lives in one chat. */
const BROADCAST_ACTIONS: readonly MessageAction[] = ['send', 'typing'];

/** Some destinations of a broadcast failed; `destinations` names them (the others were sent to). */
class BroadcastError extends Error {
  constructor(
    message: string,
    readonly destinations: string[],
  ) {
    super(message);
    this.name = 'BroadcastError';
  }
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

/** The names of the settings that errors name, in the editor's language. */
interface SettingLabels {
  silent: string;
  timeout: string;
  messageRefName: string;
}

/** What one message asks of a send node: its settings and typed inputs evaluated for that message. */
class SendInputs {
  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: SendDef,
    private readonly t: Translate,
    private readonly msg: FlowMessage,
    /** The settings' names in the editor's language, translated once per node: they only name a setting in errors. */
    private readonly labels: SettingLabels,
  ) {}

  action(): MessageAction {
    return chosenAction(this.def.action, this.msg, ACTIONS, 'send', (action) => this.t('errors.badAction', { action }));
  }

  /**
   * Which conversations: the message's reply route first, then the node's own setting. Either may be a list (an
   * array), which broadcasts.
   */
  async destinations(): Promise<MessageRoute> {
    const fromMessage = routeFromMessage(this.msg, this.t);
    if (fromMessage) return fromMessage;
    if (CHAT_KINDS.includes(this.def.chatKind as ChatKind)) {
      const kind = this.def.chatKind as ChatKind;
      const value = await this.typed(this.def.chatId, this.def.chatIdType);
      // The node's own list (e.g. from context) follows the rules of a list in the message.
      if (Array.isArray(value)) return routeFromMessage({ [DESTINATION_FIELD[kind]]: value } as FlowMessage, this.t)!;
      const property = DESTINATION_FIELD[kind];
      if (isNonEmpty(value)) return { kind, property, ids: [String(value).trim()], list: false };
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
    const type = this.def.silentType || 'bool';
    // A checkbox (the usual case) needs no evaluation per message: Node-RED reads a bool as the text "true".
    if (type === 'bool') return /^true$/i.test(String(this.def.silent ?? false));
    const value = await this.typed(String(this.def.silent ?? false), type);
    return isSet(value) ? silentFrom(value, this.labels.silent, this.t) : false;
  }

  /** The request timeout: msg.timeout when set, else the node's setting; undefined uses the account's default. */
  async timeoutMs(): Promise<number | undefined> {
    if (isSet(this.msg.timeout)) return timeoutFrom(this.msg.timeout, 'msg.timeout', this.t);
    if (!isSet(this.def.timeout)) return undefined;
    const value = await this.typed(this.def.timeout, this.def.timeoutType || 'num');
    return isSet(value) ? timeoutFrom(value, this.labels.timeout, this.t) : undefined;
  }

  /** The refName of the component reacted to: msg.messageRefName when set, else the node's setting, else none. */
  async messageRefName(): Promise<string | undefined> {
    if (isSet(this.msg.messageRefName)) return refNameFrom(this.msg.messageRefName, 'msg.messageRefName', this.t);
    if (!isSet(this.def.messageRefName)) return undefined;
    const value = await this.typed(this.def.messageRefName, this.def.messageRefNameType || 'str');
    return isSet(value) ? refNameFrom(value, this.labels.messageRefName, this.t) : undefined;
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

/** What one input asks for, evaluated once for all its destinations. */
interface Work {
  act: MessageAction;
  inputs: SendInputs;
  payload: unknown;
  /** For *send*: the components, checked once for every destination. */
  components: DataComponent[];
  options: SendOptions;
  context: InputContext;
}

/** Calls the client for one destination; several results when several components were sent. */
async function perform(
  client: SemilimesClient,
  where: Destination,
  work: Work,
): Promise<MessageResult | MessageResult[]> {
  const { act, inputs, payload, components, options, context } = work;
  const { t } = context;
  switch (act) {
    case 'send':
      if (Array.isArray(payload)) return sendAll(client, where, components, options, t);
      return client.send(where, components[0], options);
    case 'update': {
      const component = payloadToComponent(payload, t);
      const messageId = await inputs.messageId(context);
      return client.update(where.kind, messageId, component, options);
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

/** A destination of a broadcast that failed, for the one error that names them all. */
interface Failure {
  id: string;
  cause: string;
}

/** The message that comes out for one destination: its route, the answer(s), the id(s). */
function resultMessage(msg: FlowMessage, act: MessageAction, result: MessageResult | MessageResult[]): FlowMessage {
  if (Array.isArray(result)) {
    // Several components: the answers and the ids in the order sent.
    msg.payload = result.map((r) => r.data);
    msg.messageId = result.map((r) => r.messageId);
  } else if (act !== 'typing') {
    // A typing signal passes the message through untouched, so "typing -> delay -> send" keeps the text.
    msg.payload = result.data;
    if (result.messageId) msg.messageId = result.messageId;
  }
  return msg;
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
    const settingLabels: SettingLabels = {
      silent: harness.t('label.silent'),
      timeout: harness.t('label.timeout'),
      messageRefName: harness.t('label.messageRefName'),
    };

    harness.onInput(async (msg, context) => {
      const { t } = context;
      const inputs = new SendInputs(RED, node, def, t, msg, settingLabels);
      const act = inputs.action();
      const route = await inputs.destinations();
      if (route.kind === 'channel' && !['send', 'update'].includes(act)) {
        throw new FlowInputError('notForChannels', t('errors.notForChannels', { action: act }));
      }
      if (route.list && !BROADCAST_ACTIONS.includes(act)) {
        throw new FlowInputError('listSendOnly', t('errors.listSendOnly', { action: act }), route.property);
      }
      const client = harness.connection().client();
      // Evaluated once, before anything is sent: a mistake in them fails the whole message, sending nothing.
      const options: SendOptions = { signal: context.signal, timeoutMs: await inputs.timeoutMs() };
      if (act === 'send' || act === 'update') options.silent = await inputs.silent();
      const payload = msg.payload;
      const components = act === 'send' ? componentsOf(payload, act, t) : [];
      const work: Work = { act, inputs, payload, components, options, context };
      if (!route.list) {
        const result = await perform(client, { kind: route.kind, id: route.ids[0] }, work);
        return { msg: resultMessage(msg, act, result), status: doneLabel[act] };
      }

      // A broadcast: each destination in turn (the account's send queue paces them), one message out per success.
      const messages: FlowMessage[] = [];
      const failures: Failure[] = [];
      for (const id of route.ids) {
        if (context.signal.aborted) break;
        try {
          const result = await perform(client, { kind: route.kind, id }, work);
          const out = RED.util.cloneMessage(msg) as FlowMessage;
          out[route.property] = id;
          messages.push(resultMessage(out, act, result));
        } catch (err) {
          if (err instanceof FlowInputError) throw err;
          failures.push({ id, cause: (err as Error).message });
        }
      }
      if (failures.length === 0) return { msg: null, messages, status: doneLabel[act] };
      const args = {
        failed: failures.length,
        total: route.ids.length,
        destinations: failures.map((f) => `${f.id} (${f.cause})`).join('; '),
      };
      const failed = new BroadcastError(t('errors.broadcastFailed', args), failures.map((f) => f.id));
      return { msg: null, messages, status: doneLabel[act], partFailed: failed };
    });
  }

  RED.nodes.registerType('semilimes-send', SemilimesSendNode as unknown as NodeConstructor);
};
