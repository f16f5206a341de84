import { CHAT_KINDS, type ChatKind, type MessageAction, type MessageResult } from '../semilimes';
import { statusUser, type AccountNode } from './lib/account';
import type { DoneFn, FlowMessage, NodeAPI, NodeDef, Node, SendFn } from './lib/node-red';
import { ACTIONS, FlowInputError, isNonEmpty, payloadToComponent, routeFromMessage } from './lib/outbound';
import { StatusView } from './lib/status';
import { evaluateTypedInput } from './lib/typed-input';

interface SendDef extends NodeDef {
  account: string;
  action: MessageAction | 'msg';
  destinationType: ChatKind | 'auto';
  destination: string;
  destinationTypeInput: string;
  messageIdProp: string;
  messageIdType: string;
  reaction: string;
  reactionType: string;
  silent: boolean;
}

const STATUS_KEY: Record<MessageAction, string> = {
  send: 'semilimes-send.status.sent',
  update: 'semilimes-send.status.updated',
  reply: 'semilimes-send.status.replied',
  react: 'semilimes-send.status.reacted',
  unreact: 'semilimes-send.status.unreacted',
  typing: 'semilimes-send.status.typing',
};

export = function register(RED: NodeAPI) {
  function SemilimesSendNode(this: Node, def: SendDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const account = RED.nodes.getNode(def.account) as AccountNode | null;
    const status = new StatusView((s) => node.status(s));
    const t = (key: string, subs?: Record<string, string | number>) => RED._(key, subs);
    const user = statusUser(node.id, status);
    // Translated once: i18n lookups are a measurable share of each message's cost.
    const doneLabel = Object.fromEntries(ACTIONS.map((a) => [a, t(STATUS_KEY[a])])) as Record<MessageAction, string>;
    const failedLabel = t('semilimes-send.status.failed');

    if (account) account.register(user);
    else status.configProblem(t('semilimes-send.status.noAccount'));

    /** Which conversation: the message's reply route first, then the node's own setting. */
    async function destination(msg: FlowMessage): Promise<{ kind: ChatKind; id: string }> {
      const fromMessage = routeFromMessage(msg, t);
      if (fromMessage) return fromMessage;
      if (CHAT_KINDS.includes(def.destinationType as ChatKind)) {
        const id = await evaluateTypedInput(RED, node, def.destination, def.destinationTypeInput, msg);
        if (isNonEmpty(id)) return { kind: def.destinationType as ChatKind, id: String(id).trim() };
      }
      throw new FlowInputError('noDestination', t('semilimes-send.errors.noDestination'));
    }

    async function messageId(msg: FlowMessage): Promise<string> {
      const id = await evaluateTypedInput(RED, node, def.messageIdProp || 'messageId', def.messageIdType || 'msg', msg);
      if (!isNonEmpty(id)) throw new FlowInputError('noMessageId', t('semilimes-send.errors.noMessageId'));
      return String(id);
    }

    async function reaction(msg: FlowMessage): Promise<string> {
      const configured = def.reaction
        ? await evaluateTypedInput(RED, node, def.reaction, def.reactionType, msg)
        : msg.payload;
      if (!isNonEmpty(configured)) throw new FlowInputError('noReaction', t('semilimes-send.errors.noReaction'));
      return String(configured);
    }

    function action(msg: FlowMessage): MessageAction {
      const chosen = def.action === 'msg' ? msg.action : def.action || 'send';
      if (!ACTIONS.includes(chosen as MessageAction)) {
        throw new FlowInputError('badAction', t('semilimes-send.errors.badAction', { action: String(chosen) }));
      }
      return chosen as MessageAction;
    }

    async function perform(msg: FlowMessage, act: MessageAction): Promise<MessageResult> {
      if (!account) throw new FlowInputError('noAccount', t('semilimes-send.errors.noAccount'));
      const client = account.client();
      const where = await destination(msg);
      if (where.kind === 'channel' && !['send', 'update'].includes(act)) {
        throw new FlowInputError('notForChannels', t('semilimes-send.errors.notForChannels', { action: act }));
      }
      const options = { silent: def.silent === true };
      switch (act) {
        case 'send':
          return client.send(where, payloadToComponent(msg.payload, t), options);
        case 'update':
          return client.update(where.kind, await messageId(msg), payloadToComponent(msg.payload, t), options);
        case 'reply': {
          const component = payloadToComponent(msg.payload, t);
          if (component.dataComponentType !== 'text') {
            throw new FlowInputError('replyTextOnly', t('semilimes-send.errors.replyTextOnly'));
          }
          return client.reply(where.kind, await messageId(msg), component);
        }
        case 'react':
          return client.react(where.kind, await messageId(msg), await reaction(msg));
        case 'unreact':
          return client.unreact(where.kind, await messageId(msg), await reaction(msg));
        case 'typing':
          return client.typing(where);
      }
    }

    node.on('input', (msg: FlowMessage, send: SendFn, done: DoneFn) => {
      let act: MessageAction;
      try {
        act = action(msg);
      } catch (err) {
        status.failed(failedLabel, (err as Error).message);
        done(err as Error);
        return;
      }
      perform(msg, act).then(
        (result) => {
          // A typing signal passes the message through untouched, so "typing -> delay -> send" keeps the text.
          if (act !== 'typing') {
            msg.payload = result.data;
            if (result.messageId) msg.messageId = result.messageId;
          }
          status.succeeded(doneLabel[act]);
          send(msg);
          done();
        },
        (err: Error) => {
          status.failed(failedLabel, err.message);
          done(err);
        },
      );
    });

    node.on('close', (_removed: boolean, done: () => void) => {
      if (!account) return done();
      account.deregister(user).then(done, done);
    });
  }

  RED.nodes.registerType('semilimes-send', SemilimesSendNode as any);
};
