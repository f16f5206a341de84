import type { StateChange } from '../../semilimes';
import type { NodeStatus } from './node-red';

type Fill = NonNullable<NodeStatus['fill']>;
type Shape = NonNullable<NodeStatus['shape']>;

/** How each connection state looks: yellow ring while connecting, green dot when up, red ring when down. */
const CONNECTION_LOOK: Record<StateChange['state'], { fill: Fill; shape: Shape }> = {
  idle: { fill: 'grey', shape: 'ring' },
  connecting: { fill: 'yellow', shape: 'ring' },
  connected: { fill: 'green', shape: 'dot' },
  disconnected: { fill: 'red', shape: 'ring' },
  unauthorized: { fill: 'red', shape: 'ring' },
  closed: { fill: 'grey', shape: 'ring' },
};

const clock = (date = new Date()) => date.toTimeString().slice(0, 8);

/**
 * A node's status line: the shared connection state first, then what this node last did, e.g.
 * "connected · sent 12:03:04". A failure shows as a red dot until the next success.
 */
export class StatusView {
  private connection: { state: StateChange['state']; text: string } = { state: 'idle', text: '' };
  private activity: { text: string; failed: boolean } | undefined;
  private problem: string | undefined;
  private key: { text: string; warning: boolean } | undefined;
  private shown: NodeStatus | undefined;

  constructor(private readonly setStatus: (status: NodeStatus) => void) {}

  /** The account cannot work at all (no key, bad URL): shown until redeploy. */
  configProblem(text: string): void {
    this.problem = text;
    this.render();
  }

  connectionChanged(change: StateChange, text: string): void {
    this.connection = { state: change.state, text };
    this.render();
  }

  /** The API key's remaining lifetime (translated); `warning` turns a connected status yellow. */
  keyStatus(text: string, warning: boolean): void {
    this.key = { text, warning };
    this.render();
  }

  /** `label` is already translated, e.g. "sent". */
  succeeded(label: string): void {
    this.activity = { text: `${label} ${clock()}`, failed: false };
    this.render();
  }

  /** `label` is already translated, e.g. "failed"; `message` is the error. */
  failed(label: string, message: string): void {
    const short = message.length > 60 ? `${message.slice(0, 57)}...` : message;
    this.activity = { text: `${label}: ${short}`, failed: true };
    this.render();
  }

  /**
   * A passing state shown as it is (e.g. transfer progress); the next regular update replaces it, even when its text
   * equals the last regular one.
   */
  transient(status: NodeStatus): void {
    this.shown = status;
    this.setStatus(status);
  }

  private render(): void {
    const next = this.compose();
    // Busy flows update many times a second with the same text (the clock has one-second steps); every
    // node.status() is a message to each open editor, so only changes are sent.
    const shown = this.shown;
    if (shown && shown.fill === next.fill && shown.shape === next.shape && shown.text === next.text) return;
    this.shown = next;
    this.setStatus(next);
  }

  private compose(): NodeStatus {
    if (this.problem) return { fill: 'red', shape: 'ring', text: this.problem };
    const text = [this.connection.text, this.key?.text, this.activity?.text].filter(Boolean).join(' · ');
    if (this.activity?.failed) return { fill: 'red', shape: 'dot', text };
    if (this.key?.warning && this.connection.state === 'connected') return { fill: 'yellow', shape: 'dot', text };
    return { ...CONNECTION_LOOK[this.connection.state], text };
  }
}
