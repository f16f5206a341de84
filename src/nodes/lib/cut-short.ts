/**
 * The outcome of a message whose work was still running when its node closed (a deploy, a restart): it failed, and
 * may still have happened on the server. `messageId` is the message the work was about (sent, edited, reacted to),
 * when the node knew it by then, so the flow can check on it instead of sending it again.
 */
export class CutShortError extends Error {
  readonly code = 'CUT_SHORT';

  constructor(
    message: string,
    readonly messageId?: string,
  ) {
    super(message);
    this.name = 'CutShortError';
  }
}
