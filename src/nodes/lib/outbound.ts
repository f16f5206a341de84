import {
  CHAT_KINDS,
  DESTINATION_FIELD,
  isDataComponent,
  textComponent,
  type ChatKind,
  type DataComponent,
  type MessageAction,
} from '../../semilimes';
import { FlowInputError, isNonEmpty } from './flow-input';
import type { FlowMessage } from './node-red';
import type { Translate } from './translate';

// Kept here for the nodes that took them from this module.
export { FlowInputError, isNonEmpty };

export const ACTIONS: readonly MessageAction[] = ['send', 'update', 'reply', 'react', 'unreact', 'typing'];

/** The msg properties that name a conversation, one per kind of chat. */
const ROUTE_PROPERTIES = CHAT_KINDS.map((kind) => [DESTINATION_FIELD[kind], kind] as const);

/** Set at all: undefined and null mean "no route here", anything else must be a usable id. */
const isPresent = (value: unknown) => value !== undefined && value !== null;

/**
 * The conversation named by the message (the reply route that the receive node sets), if any. A route property that
 * is present must be a usable id, and only one kind may be present: otherwise the message fails naming the property,
 * and never goes to the node's own destination instead (a private text meant for one person must not reach a group).
 * Keys are relative to the send node's catalogue.
 */
export function routeFromMessage(msg: FlowMessage, t: Translate): { kind: ChatKind; id: string } | undefined {
  const named = ROUTE_PROPERTIES.filter(([property]) => isPresent(msg[property]));
  if (named.length > 1) {
    const properties = named.map(([property]) => `msg.${property}`).join(', ');
    throw new FlowInputError('ambiguousDestination', t('errors.ambiguousDestination', { properties }), named[0][0]);
  }
  if (named.length === 0) return undefined;
  const [property, kind] = named[0];
  const value = msg[property];
  if (!isNonEmpty(value)) {
    const got = Array.isArray(value) ? 'array' : value === '' || typeof value === 'string' ? 'empty' : typeof value;
    throw new FlowInputError('badRoute', t('errors.badRoute', { property: `msg.${property}`, got }), property);
  }
  return { kind, id: String(value).trim() };
}

/**
 * What `msg.payload` means as a message: a string (or number / boolean, which flows often carry) is a text; an object
 * with `dataComponentType` is sent as it is. Anything else is refused.
 */
export function payloadToComponent(payload: unknown, t: Translate): DataComponent {
  if (typeof payload === 'string') return textComponent(payload);
  if (typeof payload === 'number' || typeof payload === 'boolean') return textComponent(String(payload));
  if (isDataComponent(payload)) return payload;
  throw new FlowInputError('badPayload', t('errors.badPayload'), 'payload');
}
