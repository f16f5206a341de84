/**
 * A mistake in what a flow gave a node (a missing id, a payload of the wrong shape, a property that cannot be a
 * route): the one error type for them. The person fixes the flow, not the connection, so the message says what to
 * change. `key` names the catalogue text; `property` names the msg property at fault, when there is one.
 */
export class FlowInputError extends Error {
  constructor(
    readonly key: string,
    message: string,
    readonly property?: string,
  ) {
    super(message);
    this.name = 'FlowInputError';
  }
}

/** A usable id or value from a flow: a non-blank string or a number. */
export function isNonEmpty(value: unknown): boolean {
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}
