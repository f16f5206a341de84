// The one output queue of an emulated CLI (design file F2/F3): every event goes to exactly one connected socket,
// taken in turn; while no socket is connected events wait here, up to `capacity`, and the relay holds further
// incoming messages for the device until there is room again.
import { Json } from './json';

export interface EventSink {
  /** Writes one event frame; the sink applies the wire dialect. */
  deliver(event: Json): void;
}

export class OutputQueue {
  private readonly waiting: Json[] = [];
  private readonly sinks: EventSink[] = [];
  private next = 0;
  private scheduled = false;
  /** Called when the queue has room again after being full. */
  onRoom: () => void = () => undefined;

  /** `discard`: a device nobody drives over a socket (a person acted through the control API) drops its events. */
  constructor(
    public capacity: number,
    private readonly discard = false,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  full(): boolean {
    return !this.discard && this.waiting.length >= this.capacity;
  }

  push(event: Json): void {
    if (this.discard && this.sinks.length === 0) return;
    this.waiting.push(event);
    this.schedule();
  }

  /** Forgets the waiting events (the demo seed's own setup events are not a backlog). */
  clear(): void {
    this.waiting.length = 0;
  }

  addSink(sink: EventSink): void {
    this.sinks.push(sink);
    this.schedule();
  }

  removeSink(sink: EventSink): void {
    const at = this.sinks.indexOf(sink);
    if (at >= 0) this.sinks.splice(at, 1);
  }

  sinkCount(): number {
    return this.sinks.length;
  }

  /** Dispatch happens on a later turn, so a command's reply is written before the events it caused. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const wasFull = this.full();
    while (this.waiting.length > 0 && this.sinks.length > 0) {
      this.next = this.next % this.sinks.length;
      const sink = this.sinks[this.next++];
      sink.deliver(this.waiting.shift() as Json);
    }
    if (this.discard) this.waiting.length = 0;
    if (wasFull && !this.full()) this.onRoom();
  }
}
