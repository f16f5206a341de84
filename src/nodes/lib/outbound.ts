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

/** The conversations a message names: one, or for a broadcast, a list (in order, each once). */
export interface MessageRoute {
  kind: ChatKind;
  /** The msg property that named them, e.g. `recipientId`. */
  property: string;
  ids: string[];
  /** Named as an array: a broadcast, with one output message per destination. */
  list: boolean;
}

/**
 * The conversations named by the message (the reply route that the receive node sets, or a list for a broadcast), if
 * any. A route property that is present must be a usable id or a non-empty array of them, and only one kind may be
 * present: otherwise the message fails naming the property, and never goes to the node's own destination instead (a
 * private text meant for one person must not reach a group). An id listed twice is sent to once. Keys are relative to
 * the send node's catalogue.
 */
export function routeFromMessage(msg: FlowMessage, t: Translate): MessageRoute | undefined {
  const named = ROUTE_PROPERTIES.filter(([property]) => isPresent(msg[property]));
  if (named.length > 1) {
    const properties = named.map(([property]) => `msg.${property}`).join(', ');
    throw new FlowInputError('ambiguousDestination', t('errors.ambiguousDestination', { properties }), named[0][0]);
  }
  if (named.length === 0) return undefined;
  const [property, kind] = named[0];
  const value = msg[property];
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new FlowInputError('emptyRouteList', t('errors.emptyRouteList', { property: `msg.${property}` }), property);
    }
    const bad = value.findIndex((id) => !isNonEmpty(id));
    if (bad !== -1) {
      const args = { property: `msg.${property}`, index: bad };
      throw new FlowInputError('badRouteElement', t('errors.badRouteElement', args), property);
    }
    const ids = [...new Set(value.map((id) => String(id).trim()))];
    return { kind, property, ids, list: true };
  }
  if (!isNonEmpty(value)) {
    const got = value === '' || typeof value === 'string' ? 'empty' : typeof value;
    throw new FlowInputError('badRoute', t('errors.badRoute', { property: `msg.${property}`, got }), property);
  }
  return { kind, property, ids: [String(value).trim()], list: false };
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
