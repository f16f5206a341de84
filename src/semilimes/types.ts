import type { ChatKind } from './endpoints';

/** Any data component: the discriminant is `dataComponentType`; the other fields depend on it. */
export interface DataComponent {
  dataComponentType: string;
  [field: string]: unknown;
}

/** A conversation to send to: a person (p2p), a group chat or a channel. */
export interface Destination {
  kind: ChatKind;
  id: string;
}

export interface SendOptions {
  /** Send without an in-app notification. */
  silent?: boolean;
  /** Per-request timeout in ms, instead of the client's default. */
  timeoutMs?: number;
  /** Aborting it takes a message that still waits in the send queue out of it (never sent); one on its way goes on. */
  signal?: AbortSignal;
}

export function isDataComponent(value: unknown): value is DataComponent {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { dataComponentType?: unknown }).dataComponentType === 'string' &&
    (value as { dataComponentType: string }).dataComponentType !== ''
  );
}

/** A plain text component. */
export function textComponent(text: string): DataComponent {
  return { dataComponentType: 'text', text };
}
