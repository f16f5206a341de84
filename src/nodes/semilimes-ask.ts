import type { InboundMessage } from '../semilimes';
import type { AccountNode } from './lib/account';
import { FlowInputError, isNonEmpty } from './lib/flow-input';
import { NodeHarness } from './lib/harness';
import { toFlowMessage } from './lib/inbound-message';
import type { FlowMessage, Node, NodeAPI, NodeDef, NodeConstructor } from './lib/node-red';
import type { ReplyWait } from './lib/reply-waits';
import { migrate } from './migrations/migrate';
import { ASK_MIGRATION } from './migrations/semilimes-ask';

interface AskDef extends NodeDef {
  account: string;
  /** How long to wait for the answer, seconds. */
  timeout?: number | string;
}

/** Bounds of the wait, seconds: a day at most, so forgotten conversations do not pile up. */
const ASK_TIMEOUT_BOUNDS_S = { min: 1, max: 86_400, default: 60 } as const;

/** Who is asked, and where: the person of the message (who wrote it, or the route to them) and its conversation. */
function conversationOf(msg: FlowMessage, t: (key: string) => string): Pick<ReplyWait, 'senderId' | 'kind' | 'chatId'> {
  const form = msg.form as { submitterId?: unknown } | undefined;
  const semilimes = msg.semilimes as { senderId?: unknown } | undefined;
  if (isNonEmpty(msg.channelId)) throw new FlowInputError('noChannels', t('errors.noChannels'), 'channelId');
  const person = [form?.submitterId, semilimes?.senderId, msg.recipientId].find(isNonEmpty);
  if (isNonEmpty(msg.groupChatId)) {
    if (!isNonEmpty(semilimes?.senderId) && !isNonEmpty(form?.submitterId)) {
      throw new FlowInputError('noPerson', t('errors.noPerson'), 'semilimes');
    }
    return { senderId: String(person), kind: 'groupchat', chatId: String(msg.groupChatId) };
  }
  if (!isNonEmpty(person)) throw new FlowInputError('noPerson', t('errors.noPerson'), 'recipientId');
  return { senderId: String(person), kind: 'p2p', chatId: String(person) };
}

function timeoutSeconds(value: unknown): number {
  const n = value === undefined || value === '' ? ASK_TIMEOUT_BOUNDS_S.default : Number(value);
  if (!Number.isFinite(n)) return ASK_TIMEOUT_BOUNDS_S.default;
  return Math.min(Math.max(n, ASK_TIMEOUT_BOUNDS_S.min), ASK_TIMEOUT_BOUNDS_S.max);
}

export = function register(RED: NodeAPI) {
  function SemilimesAskNode(this: Node, saved: AskDef) {
    RED.nodes.createNode(this, saved);
    const def = migrate(ASK_MIGRATION, saved);
    const harness = new NodeHarness<AccountNode>(RED, this, { type: 'semilimes-ask', config: def.account });
    const waitMs = timeoutSeconds(def.timeout) * 1000;
    const answeredLabel = harness.t('status.answered');
    const noAnswerLabel = harness.t('status.noAnswer');

    harness.onInput((msg, { signal }) => {
      const account = harness.connection();
      // A question through an account that cannot work would only ever end as "no answer": fail it now instead.
      if (account.problem) throw new FlowInputError('noAccount', account.problem);
      const where = conversationOf(msg, harness.t);
      return new Promise((resolve) => {
        const finish = (answer: InboundMessage | undefined) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', stop);
          account.replies.remove(wait);
          if (!answer) {
            resolve({ msg, output: 1, status: noAnswerLabel });
            return;
          }
          // The answer, with the asking message's own properties kept (e.g. msg.command of the command that asked).
          const out = Object.assign(msg, toFlowMessage(answer), { asked: { messageId: msg.messageId } });
          resolve({ msg: out, output: 0, status: answeredLabel });
        };
        const wait: ReplyWait = { ...where, answered: (answer) => finish(answer), replaced: () => finish(undefined) };
        const timer = setTimeout(() => finish(undefined), waitMs);
        // A close ends the wait; the harness fails the message as cut short.
        const stop = () => {
          clearTimeout(timer);
          account.replies.remove(wait);
          resolve({ msg: null, status: '' }); // settles at once; the harness has already ended the message
        };
        signal.addEventListener('abort', stop, { once: true });
        // Asking the same person in the same chat again: the earlier question ends without an answer.
        account.replies.add(wait);
      });
    });
  }

  RED.nodes.registerType('semilimes-ask', SemilimesAskNode as unknown as NodeConstructor);
};
