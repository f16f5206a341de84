import { isDataComponent, textComponent, type ChatKind, type DataComponent, type MessageAction } from '../../semilimes';
import type { FlowMessage } from './node-red';

export const ACTIONS: readonly MessageAction[] = ['send', 'update', 'reply', 'react', 'unreact', 'typing'];

/** The msg properties that name a conversation, one per kind of chat. */
const ROUTE_PROPERTIES: ReadonlyArray<[property: 'recipientId' | 'groupChatId' | 'channelId', kind: ChatKind]> = [
  ['recipientId', 'p2p'],
  ['groupChatId', 'groupchat'],
  ['channelId', 'channel'],
];

/** A failure the user can fix in the flow; the key names the i18n text. */
export class FlowInputError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The conversation named by the message (the reply route that the receive node sets), if any. More than one is a
 * mistake in the flow, reported instead of guessed.
 */
export function routeFromMessage(
  msg: FlowMessage,
  translate: (key: string) => string,
): { kind: ChatKind; id: string } | undefined {
  const named = ROUTE_PROPERTIES.filter(([property]) => isNonEmpty(msg[property]));
  if (named.length > 1) {
    throw new FlowInputError('ambiguousDestination', translate('semilimes-send.errors.ambiguousDestination'));
  }
  if (named.length === 0) return undefined;
  const [property, kind] = named[0];
  return { kind, id: String(msg[property]).trim() };
}

/**
 * What `msg.payload` means as a message: a string (or number / boolean, which flows often carry) is a text; an object
 * with `dataComponentType` is sent as it is. Anything else is refused.
 */
export function payloadToComponent(payload: unknown, translate: (key: string) => string): DataComponent {
  if (typeof payload === 'string') return textComponent(payload);
  if (typeof payload === 'number' || typeof payload === 'boolean') return textComponent(String(payload));
  if (isDataComponent(payload)) return payload;
  throw new FlowInputError('badPayload', translate('semilimes-send.errors.badPayload'));
}

export function isNonEmpty(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}
