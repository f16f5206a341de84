import type { NodeStatus } from './node-red';

const clock = (date = new Date()) => date.toTimeString().slice(0, 8);

/**
 * Status of a node that builds components without talking to semilimes: green "built 12:03:04" or red
 * "invalid: <reason>" until the next success.
 */
export class BuilderStatus {
  constructor(private readonly setStatus: (status: NodeStatus) => void) {}

  built(label: string): void {
    this.setStatus({ fill: 'green', shape: 'dot', text: `${label} ${clock()}` });
  }

  failed(label: string, message: string): void {
    const short = message.length > 60 ? `${message.slice(0, 57)}...` : message;
    this.setStatus({ fill: 'red', shape: 'dot', text: `${label}: ${short}` });
  }
}
