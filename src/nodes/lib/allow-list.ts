import type { InboundMessage } from '../../semilimes';
import { FlowInputError } from './flow-input';
import { chatIdOf, senderOf, splitList } from './inbound-message';
import type { FlowMessage, Node, NodeAPI } from './node-red';
import type { Translate } from './translate';
import { evaluateTypedInput } from './typed-input';

/** One list setting of the receive node: the typed input's text and type. */
export interface ListSetting {
  value: string | undefined;
  type: string | undefined;
}

/**
 * Who may talk to the bot: the allowed senders and chats of a receive node, each a typed input read for every message
 * (a fixed comma separated list, or a list in an environment variable or in flow or global context), so a flow can
 * change the list at run time. A fixed list left empty lets anyone in, as it always did; a list from the environment
 * or context that is unset or empty lets nobody in, because an allow-list that silently opens up when a context
 * variable is lost would be a hole.
 */
export class AllowList {
  constructor(
    private readonly RED: NodeAPI,
    private readonly node: Node,
    private readonly t: Translate,
    private readonly senders: ListSetting,
    private readonly chats: ListSetting,
  ) {}

  /**
   * Both lists when both are fixed (typed as text), read once: then a message is judged at once with `allowsBy`.
   * Undefined when a list comes from the environment or context and must be read for every message.
   */
  fixedLists(): { senders: string[] | undefined; chats: string[] | undefined } | undefined {
    if ((this.senders.type || 'str') !== 'str' || (this.chats.type || 'str') !== 'str') return undefined;
    const fixed = (setting: ListSetting) => {
      const list = splitList(setting.value);
      return list.length ? list : undefined;
    };
    return { senders: fixed(this.senders), chats: fixed(this.chats) };
  }

  /** Whether the message passes the lists `fixedLists()` gave (undefined: anyone). */
  static allowsBy(message: InboundMessage, lists: { senders?: string[]; chats?: string[] }): boolean {
    if (lists.senders && !lists.senders.includes(senderOf(message))) return false;
    return !lists.chats || lists.chats.includes(chatIdOf(message));
  }

  /** Whether the message passes both lists. Rejects with a flow error when a list cannot be read. */
  async allows(message: InboundMessage): Promise<boolean> {
    const senders = await this.read(this.senders, 'senderIds');
    if (senders && !senders.includes(senderOf(message))) return false;
    const chats = await this.read(this.chats, 'chatIds');
    return !chats || chats.includes(chatIdOf(message));
  }

  /** The list, or undefined for "anyone" (a fixed list left empty). */
  private async read(setting: ListSetting, name: string): Promise<string[] | undefined> {
    const type = setting.type || 'str';
    if (type === 'str') {
      const fixed = splitList(setting.value);
      return fixed.length ? fixed : undefined;
    }
    const value = await evaluateTypedInput(this.RED, this.node, setting.value, type, {} as FlowMessage);
    const list = toList(value);
    if (!list) {
      const args = { setting: this.t(`label.${name}`), got: Array.isArray(value) ? 'array' : typeof value };
      throw new FlowInputError('badList', this.t('errors.badList', args));
    }
    return list;
  }
}

/**
 * A list from the environment or context: an array of ids, a JSON array in a string, or a comma separated string.
 * Unset is an empty list. Anything else (an object, an array holding objects) is undefined: not a list.
 */
function toList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        return toList(JSON.parse(text));
      } catch {
        return undefined;
      }
    }
    return splitList(text);
  }
  if (!Array.isArray(value)) return undefined;
  if (!value.every((id) => typeof id === 'string' || typeof id === 'number')) return undefined;
  return value.map((id) => String(id).trim()).filter(Boolean);
}
