import { normalizeReaction, type ChatResponse, type SentItems, type SimplexClient } from '../simplex';
import { FlowInputError, chosenAction, isNonEmpty } from './lib/flow-input';
import { NodeHarness, type InputContext } from './lib/harness';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeMessage, NodeConstructor } from './lib/node-red';
import type { SimplexCliNode } from './lib/simplex-cli-node';
import { DeliveryWatch } from './lib/simplex-delivery';
import {
  SEND_ACTIONS,
  checkedChatRef,
  idFrom,
  outgoingOf,
  routeFromMessage,
  updatedContentOf,
  type SendAction,
} from './lib/simplex-outbound';
import type { Translate } from './lib/translate';
import { evaluateTypedInput } from './lib/typed-input';

interface SendDef extends NodeDef {
  cli: string;
  /** An action, or `msg`: the message's `msg.action`. */
  action: SendAction | 'msg';
  /** The chat when the message names none: a typed input. */
  chatRef?: string;
  chatRefType?: string;
  /** One of the eight reactions, or empty: `msg.reaction`, else `msg.payload`. */
  reaction?: string;
  deleteMode?: 'broadcast' | 'internal';
  /** Long text: `split` into ordered parts on line ends, or `refuse` it. */
  longText?: 'split' | 'refuse';
  /** A second output when the recipient's client confirms (or the file upload completes). */
  delivery?: boolean;
  deliveryTimeout?: number | string;
}

const STATUS_KEY: Record<SendAction, string> = {
  send: 'status.sent',
  reply: 'status.replied',
  update: 'status.updated',
  delete: 'status.deleted',
  react: 'status.reacted',
  unreact: 'status.unreacted',
  accept: 'status.accepted',
  reject: 'status.rejected',
};

const DELETE_MODES = ['broadcast', 'internal'];

interface Done {
  resp?: ChatResponse;
  sent?: SentItems;
}

/** One message's work: the action with its inputs taken from the message and the node's settings. */
class SendWork {
  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly def: SendDef,
    private readonly t: Translate,
    private readonly msg: FlowMessage,
    private readonly client: SimplexClient,
  ) {}

  action(): SendAction {
    return chosenAction(this.def.action, this.msg, SEND_ACTIONS, 'send', (action) =>
      this.t('errors.badAction', { action }),
    );
  }

  async route(): Promise<string> {
    const fromMessage = routeFromMessage(this.msg, this.t);
    if (fromMessage) return fromMessage;
    if (this.def.chatRef) {
      const value = await evaluateTypedInput(this.RED, this.node, this.def.chatRef, this.def.chatRefType, this.msg);
      if (isNonEmpty(value)) return checkedChatRef(String(value).trim(), this.t('label.chatRef'), this.t);
    }
    throw new FlowInputError('noRoute', this.t('errors.noRoute'));
  }

  chatItemId(context: InputContext): number {
    if (!isNonEmpty(this.msg.chatItemId)) {
      throw new FlowInputError('noChatItemId', this.t('errors.noChatItemId'), 'msg.chatItemId');
    }
    const id = idFrom(this.msg.chatItemId, 'msg.chatItemId', this.t);
    context.note({ messageId: String(id) });
    return id;
  }

  async perform(act: SendAction, context: InputContext): Promise<Done> {
    const { msg, t, client } = this;
    const options = {
      live: msg.live === true,
      ...(msg.ttl !== undefined ? { ttl: idFrom(msg.ttl, 'msg.ttl', t) } : {}),
    };
    switch (act) {
      case 'accept':
      case 'reject': {
        const requestId = idFrom(msg.contactRequestId, 'msg.contactRequestId', t);
        const resp = act === 'accept' ? await client.acceptContact(requestId) : await client.rejectContact(requestId);
        return { resp };
      }
      case 'send':
      case 'reply': {
        const ref = await this.route();
        const quotedItemId = act === 'reply' ? this.chatItemId(context) : undefined;
        const outgoing = outgoingOf(msg, this.def.longText !== 'refuse', t);
        if (outgoing.kind === 'file') {
          const sent = await client.sendFile(ref, outgoing.source, {
            ...options,
            text: outgoing.text,
            ...(outgoing.msgContent ? { msgContent: outgoing.msgContent } : {}),
            ...(quotedItemId !== undefined ? { quotedItemId } : {}),
          });
          return { sent };
        }
        const messages = outgoing.messages.map((m) => ({ ...m }));
        if (quotedItemId !== undefined) messages[0].quotedItemId = quotedItemId;
        if (typeof msg.mentions === 'object' && msg.mentions !== null) {
          messages[0].mentions = msg.mentions as Record<string, number>;
        }
        return { sent: await client.send(ref, messages, options) };
      }
      case 'update': {
        const ref = await this.route();
        const itemId = this.chatItemId(context);
        const content = updatedContentOf(msg.payload, t);
        return { resp: await client.update(ref, itemId, content, { live: msg.live === true }) };
      }
      case 'delete': {
        const ref = await this.route();
        const ids = Array.isArray(msg.chatItemId)
          ? msg.chatItemId.map((v) => idFrom(v, 'msg.chatItemId', t))
          : [this.chatItemId(context)];
        const mode = isNonEmpty(msg.deleteMode) ? String(msg.deleteMode) : this.def.deleteMode || 'broadcast';
        if (!DELETE_MODES.includes(mode)) throw new FlowInputError('badDeleteMode', t('errors.badDeleteMode'));
        return { resp: await client.delete(ref, ids, mode as 'broadcast' | 'internal') };
      }
      case 'react':
      case 'unreact': {
        const ref = await this.route();
        const itemId = this.chatItemId(context);
        const chosen = this.def.reaction || (isNonEmpty(msg.reaction) ? msg.reaction : msg.payload);
        let emoji: string;
        try {
          emoji = normalizeReaction(chosen);
        } catch (err) {
          throw new FlowInputError('badReaction', t('errors.badReaction', { cause: (err as Error).message }));
        }
        return { resp: await client.react(ref, itemId, emoji, act === 'react') };
      }
    }
  }
}

export = function register(RED: NodeAPI) {
  function SimplexSendNode(this: Node, def: SendDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const harness = new NodeHarness<SimplexCliNode>(RED, node, { type: 'simplex-send', config: def.cli });
    const labels = Object.fromEntries(SEND_ACTIONS.map((a) => [a, harness.t(STATUS_KEY[a])])) as Record<
      SendAction,
      string
    >;
    const cli = harness.connectionOrUndefined;
    let delivery: DeliveryWatch | undefined;
    if (def.delivery === true && cli) {
      const seconds = Number(def.deliveryTimeout);
      const timeoutMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
      const watch = new DeliveryWatch(timeoutMs, (msg) => {
        if (!harness.closed) node.send([null, msg as NodeMessage]);
      });
      harness.listen(cli.events, 'event', (resp: ChatResponse) => watch.onEvent(resp));
      harness.onClose(() => watch.clear());
      delivery = watch;
    }

    harness.onInput(async (msg, context) => {
      const client = harness.connection().client();
      const work = new SendWork(RED, node, def, harness.t, msg, client);
      const act = work.action();
      const done = await work.perform(act, context);
      if (done.sent) {
        msg.payload = done.sent.chatItems;
        msg.chatItemId = done.sent.chatItemId;
        msg.chatItemIds = done.sent.items.map((i) => i.chatItemId);
        if (delivery) delivery.watch(msg, done.sent);
      } else if (done.resp) {
        msg.payload = done.resp;
        msg.responseType = done.resp.type;
        const contact = done.resp.contact as { contactId?: unknown } | undefined;
        // The accepted contact, for the flow to remember; it can be written to once it has connected.
        if (act === 'accept' && typeof contact?.contactId === 'number') msg.contactId = contact.contactId;
      }
      return { msg, status: labels[act] };
    });
  }

  RED.nodes.registerType('simplex-send', SimplexSendNode as unknown as NodeConstructor);
};
