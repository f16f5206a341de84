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

/**
 * The action a message asks of a node whose dialog offers a fixed action or "from msg.action": the setting, or
 * `msg.action` when the setting is 'msg', or `fallback` when nothing is set. One not in `allowed` is a flow mistake.
 */
export function chosenAction<A extends string>(
  setting: string | undefined,
  msg: Record<string, unknown>,
  allowed: readonly A[],
  fallback: A,
  badAction: (action: string) => string,
): A {
  const chosen = setting === 'msg' ? msg.action : setting || fallback;
  if (!allowed.includes(chosen as A)) throw new FlowInputError('badAction', badAction(String(chosen).slice(0, 40)));
  return chosen as A;
}
