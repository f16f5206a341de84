import { Readable } from 'node:stream';
import { splitText, type ComposedMessage, type FileSource, type MsgContent } from '../../simplex';
import { FlowInputError } from './flow-input';
import type { FlowMessage } from './node-red';
import type { Translate } from './translate';

export const SEND_ACTIONS = ['send', 'reply', 'update', 'delete', 'react', 'unreact', 'accept', 'reject'] as const;
export type SendAction = (typeof SEND_ACTIONS)[number];

/**
 * A chat reference as a flow may give it: `@<contactId>`, `#<groupId>` or `#<groupId>(_support[:<groupMemberId>])`,
 * nothing else. Anything more (a space, a second line, options) could add arguments to the CLI command.
 */
const CHAT_REF = /^(?:@\d{1,18}|#\d{1,18}(?:\(_support(?::\d{1,18})?\))?)$/;
const ID = /^\d{1,18}$/;

/** Text parts of a long text: under the CLI's limit with room for the message's JSON around them. */
const TEXT_PART_BYTES = 15_000;

/** An id from a flow: a whole number, or its digits as a string. */
export function idFrom(value: unknown, property: string, t: Translate): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !ID.test(text.trim())) {
    throw new FlowInputError('badId', t('errors.badId', { property }), property);
  }
  return Number(text.trim());
}

/** A chat reference checked strictly, or the flow-input error naming where it came from. */
export function checkedChatRef(value: unknown, property: string, t: Translate): string {
  if (typeof value !== 'string' || !CHAT_REF.test(value)) {
    throw new FlowInputError('badChatRef', t('errors.badChatRef', { property }), property);
  }
  return value;
}

/**
 * The chat a message goes to from the message itself: `msg.chatRef` first (what a receive node sets), else
 * `msg.contactId` or `msg.groupId` (not both). Undefined when the message names none.
 */
export function routeFromMessage(msg: FlowMessage, t: Translate): string | undefined {
  if (isSet(msg.chatRef)) return checkedChatRef(msg.chatRef, 'msg.chatRef', t);
  const contact = isSet(msg.contactId);
  const group = isSet(msg.groupId);
  if (contact && group) throw new FlowInputError('twoRoutes', t('errors.twoRoutes'));
  if (contact) return `@${idFrom(msg.contactId, 'msg.contactId', t)}`;
  if (group) return `#${idFrom(msg.groupId, 'msg.groupId', t)}`;
  return undefined;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

export type Outgoing =
  | { kind: 'messages'; messages: ComposedMessage[] }
  | { kind: 'file'; source: FileSource; msgContent?: MsgContent; text: string };

/** Content from a flow: a MsgContent object needs its type. */
function contentOf(value: Record<string, unknown>, t: Translate): MsgContent {
  if (typeof value.type !== 'string' || value.type === '')
    throw new FlowInputError('badPayload', t('errors.badPayload'));
  return value as MsgContent;
}

function composedOf(value: unknown, t: Translate): ComposedMessage {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { msgContent: { type: 'text', text: String(value) } };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (typeof record.msgContent === 'object' && record.msgContent !== null) {
      contentOf(record.msgContent as Record<string, unknown>, t);
      return record as unknown as ComposedMessage;
    }
    return { msgContent: contentOf(record, t) };
  }
  throw new FlowInputError('badPayload', t('errors.badPayload'));
}

/**
 * What `msg.payload` asks to send: text (split on line ends when `split`), a MsgContent, a ComposedMessage, a list
 * of them, or a file (a Buffer or stream with `msg.filename`, or `msg.file` holding a path the CLI can read).
 */
export function outgoingOf(msg: FlowMessage, split: boolean, t: Translate): Outgoing {
  const payload = msg.payload;
  const caption = typeof msg.caption === 'string' ? msg.caption : '';
  const content =
    typeof msg.content === 'object' && msg.content !== null && !Array.isArray(msg.content)
      ? contentOf(msg.content as Record<string, unknown>, t)
      : undefined;
  if (payload instanceof Uint8Array || payload instanceof Readable) {
    if (typeof msg.filename !== 'string' || msg.filename.trim() === '') {
      throw new FlowInputError('noFilename', t('errors.noFilename'), 'msg.filename');
    }
    return {
      kind: 'file',
      source: { data: payload, fileName: msg.filename.trim() },
      msgContent: content,
      text: caption,
    };
  }
  if (typeof msg.file === 'string') {
    const text = typeof payload === 'string' ? payload : caption;
    return { kind: 'file', source: { path: msg.file }, msgContent: content, text };
  }
  if (typeof payload === 'string') {
    if (payload === '') throw new FlowInputError('emptyText', t('errors.emptyText'), 'msg.payload');
    const parts = split ? splitText(payload, TEXT_PART_BYTES) : [payload];
    return { kind: 'messages', messages: parts.map((text) => ({ msgContent: { type: 'text', text } })) };
  }
  if (Array.isArray(payload)) {
    if (payload.length === 0) throw new FlowInputError('emptyText', t('errors.emptyText'), 'msg.payload');
    return { kind: 'messages', messages: payload.map((entry) => composedOf(entry, t)) };
  }
  if (payload === undefined || payload === null) {
    throw new FlowInputError('emptyText', t('errors.emptyText'), 'msg.payload');
  }
  return { kind: 'messages', messages: [composedOf(payload, t)] };
}

/** The content of an edit: text or a MsgContent. */
export function updatedContentOf(payload: unknown, t: Translate): string | MsgContent {
  if (typeof payload === 'string' || typeof payload === 'number' || typeof payload === 'boolean') {
    if (payload === '') throw new FlowInputError('emptyText', t('errors.emptyText'), 'msg.payload');
    return String(payload);
  }
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    return contentOf(payload as Record<string, unknown>, t);
  }
  throw new FlowInputError('badPayload', t('errors.badPayload'));
}
