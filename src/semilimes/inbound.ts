import { CHAT_KINDS, type ChatKind } from './endpoints';
import { coerceSubmittedValue } from './components/coerce';
import { isDataComponent, type DataComponent } from './types';

/** A `MessageReceived` event, flattened. Unknown fields of the frame are dropped, never fatal. */
export interface InboundMessage {
  featureType: ChatKind;
  messageId: string;
  senderId: string;
  /** Epoch time as sent by the server. */
  receivedOn: number | undefined;
  groupChatId?: string;
  channelId?: string;
  dataComponent: DataComponent;
  /** The `domain` some frames carry (beside `eventType`, or in `eventBody`), passed on as it came. */
  domain?: string;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Reads a `MessageReceived` frame. Returns undefined when a field that a flow relies on is missing or of the wrong
 * type (the caller counts such frames as malformed and skips them).
 */
export function parseInbound(frame: unknown): InboundMessage | undefined {
  type Frame = { featureType?: unknown; eventBody?: unknown; domain?: unknown };
  const { featureType, eventBody, domain } = (frame ?? {}) as Frame;
  if (!CHAT_KINDS.includes(featureType as ChatKind)) return undefined;
  if (typeof eventBody !== 'object' || eventBody === null) return undefined;
  const body = eventBody as Record<string, unknown>;
  if (!isString(body.messageId) || !isDataComponent(body.dataComponent)) return undefined;
  const kind = featureType as ChatKind;
  if (kind === 'groupchat' && !isString(body.groupChatId)) return undefined;
  if (kind === 'channel' && !isString(body.channelId)) return undefined;
  const message: InboundMessage = {
    featureType: kind,
    messageId: body.messageId,
    senderId: isString(body.senderId) ? body.senderId : '',
    receivedOn: typeof body.receivedOn === 'number' ? body.receivedOn : undefined,
    dataComponent: body.dataComponent,
  };
  if (kind === 'groupchat') message.groupChatId = body.groupChatId as string;
  if (kind === 'channel') message.channelId = body.channelId as string;
  const named = isString(domain) ? domain : body.domain;
  if (isString(named)) message.domain = named;
  return message;
}

/** What a form submission says: which form, who submitted it, and `{refName: value}` of its components. */
export interface FormSubmission {
  messageId: string | undefined;
  refName: string | undefined;
  submitterId: string | undefined;
  values: Record<string, unknown>;
}

/**
 * Reads a `formsubmission` data component. Components without a refName carry no value a flow could address.
 * Values come in the documented types (a switch's a boolean, a slider's a number, multi choice and pickers arrays),
 * converted when the server sends them as text.
 */
export function readFormSubmission(component: DataComponent): FormSubmission {
  const replyTo = (component.replyTo ?? {}) as { messageId?: unknown; refName?: unknown };
  const values: Record<string, unknown> = {};
  const parts = Array.isArray(component.formComponents) ? component.formComponents : [];
  for (const part of parts) {
    const { refName, value, formComponentType } = (part ?? {}) as {
      refName?: unknown;
      value?: unknown;
      formComponentType?: unknown;
    };
    if (isString(refName))
      values[refName] = value === undefined ? null : coerceSubmittedValue(formComponentType, value);
  }
  return {
    messageId: isString(replyTo.messageId) ? replyTo.messageId : undefined,
    refName: isString(replyTo.refName) ? replyTo.refName : undefined,
    submitterId: isString(component.submitterId) ? component.submitterId : undefined,
    values,
  };
}
