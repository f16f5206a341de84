import type { ConnectionChange, ConnectionStateName } from './connection-user';
import type { NodeStatus } from './node-red';

type Fill = NonNullable<NodeStatus['fill']>;
type Shape = NonNullable<NodeStatus['shape']>;

/** How each connection state looks: yellow ring while connecting, green dot when up, red ring when down. */
const CONNECTION_LOOK: Record<ConnectionStateName, { fill: Fill; shape: Shape }> = {
  idle: { fill: 'grey', shape: 'ring' },
  connecting: { fill: 'yellow', shape: 'ring' },
  connected: { fill: 'green', shape: 'dot' },
  disconnected: { fill: 'red', shape: 'ring' },
  unauthorized: { fill: 'red', shape: 'ring' },
  closed: { fill: 'grey', shape: 'ring' },
};

/**
 * Longest cause shown on a status line: about the width of two nodes, so it does not run under its neighbours. The
 * full text is in the error a Catch node gets.
 */
const SHORT_CAUSE = 40;

const clock = (date = new Date()) => date.toTimeString().slice(0, 8);

/** The start of a cause, short enough for a status line under a node. */
export function shortCause(message: string): string {
  const firstLine = message.split('\n')[0];
  return firstLine.length > SHORT_CAUSE ? `${firstLine.slice(0, SHORT_CAUSE - 1)}…` : firstLine;
}

/**
 * The one status line of every node, short and with the cause first, for a person glancing at the flow:
 * - a problem that stops the node (no account, bad URL) alone, red ring;
 * - the last message failed: "failed: <cause>" alone, red dot, until the next success;
 * - not connected: the connection state alone ("disconnected", "unauthorized: check the API key");
 * - connected: what the node did last ("sent 12:03:04"), or "connected" before it did anything;
 * - the key's days left only when under the account's warning limit, first, in yellow ("key: 3 d left · sent ...").
 * Nodes without a connection (the builders) show a green dot after a success.
 */
export class StatusView {
  private connection: { state: ConnectionStateName; text: string } | undefined;
  private activity: { text: string; failed: boolean } | undefined;
  private problem: string | undefined;
  private key: { text: string; warning: boolean } | undefined;
  private queue: string | undefined;
  private shown: NodeStatus | undefined;

  /** `connected`: whether the node uses a connection (its state then leads the line). */
  constructor(
    private readonly setStatus: (status: NodeStatus) => void,
    connected = true,
  ) {
    if (connected) this.connection = { state: 'idle', text: '' };
  }

  /** The node cannot work at all (no account, bad URL, unknown type): shown until redeploy. */
  configProblem(text: string): void {
    this.problem = text;
    this.render();
  }

  connectionChanged(change: ConnectionChange, text: string): void {
    this.connection = { state: change.state, text };
    this.render();
  }

  /** The API key's remaining lifetime (translated); shown, in yellow, only when `warning`. */
  keyStatus(text: string, warning: boolean): void {
    this.key = warning ? { text, warning } : undefined;
    this.render();
  }

  /** How many messages wait to be sent (translated), or undefined when none do. */
  waiting(text: string | undefined): void {
    this.queue = text;
    this.render();
  }

  /** `label` is already translated, e.g. "sent". */
  succeeded(label: string): void {
    this.activity = { text: `${label} ${clock()}`, failed: false };
    this.render();
  }

  /** `label` is already translated, e.g. "failed"; `message` is the error, shortened here. */
  failed(label: string, message: string): void {
    this.activity = { text: `${label}: ${shortCause(message)}`, failed: true };
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
    const activity = this.activity;
    if (activity?.failed) return { fill: 'red', shape: 'dot', text: activity.text };
    if (!this.connection) return { fill: 'green', shape: 'dot', text: activity?.text ?? '' };
    if (this.connection.state !== 'connected') {
      const text = [this.connection.text, this.queue].filter(Boolean).join(' · ');
      return { ...CONNECTION_LOOK[this.connection.state], text };
    }
    const text = [this.key?.text, this.queue, activity?.text ?? this.connection.text].filter(Boolean).join(' · ');
    if (this.key) return { fill: 'yellow', shape: 'dot', text };
    return { ...CONNECTION_LOOK.connected, text };
  }
}
