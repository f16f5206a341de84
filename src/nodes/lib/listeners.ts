import type { Listener } from './node-red';
import type { EventEmitter } from 'node:events';

/**
 * Listeners a node adds to emitters it does not own. Every one is kept by reference so that `removeAll()` (called
 * when the node closes) takes exactly these off again: a redeploy never leaves listeners behind.
 */
export class TrackedListeners {
  private readonly added: Array<{ emitter: EventEmitter; event: string; listener: Listener }> = [];

  on(emitter: EventEmitter, event: string, listener: Listener): void {
    emitter.on(event, listener);
    this.added.push({ emitter, event, listener });
  }

  removeAll(): void {
    for (const { emitter, event, listener } of this.added.splice(0)) emitter.off(event, listener);
  }
}
