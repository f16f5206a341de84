// The in-memory network between emulated CLIs: it resolves links to their owners, keeps uploaded file bytes (the
// XFTP servers' part) and delivers messages between devices in order, after a configurable latency. A device that is
// stopped, or whose output queue is full, gets nothing until it can take it again (design file F3).
import type { Device } from './device';
import type { ChatUser } from './device';
import { LinkKind } from './links';

export interface LinkTarget {
  kind: LinkKind;
  owner: ChatUser;
  /** Invitation links: the owner's pending connection. */
  pccConnId?: number;
  /** Group links: the owner's group. */
  groupId?: number;
}

export class Relay {
  readonly devices: Device[] = [];
  readonly links = new Map<string, LinkTarget>();
  readonly blobs = new Map<string, Buffer>();
  latencyMs = 0;
  private readonly inboxes = new Map<Device, Array<() => void>>();

  addDevice(device: Device): void {
    this.devices.push(device);
    this.inboxes.set(device, []);
    device.output.onRoom = () => this.pump(device);
  }

  deviceByName(name: string): Device | undefined {
    return this.devices.find((d) => d.name.toLowerCase() === name.toLowerCase());
  }

  /** Queues `deliver` to run on `to` once the latency has passed and the device can take it. */
  send(to: Device, deliver: () => void): void {
    this.inboxes.get(to)?.push(deliver);
    setTimeout(() => this.pump(to), this.latencyMs);
  }

  /** Messages held for a device (stopped, or its output queue full). */
  held(device: Device): number {
    return this.inboxes.get(device)?.length ?? 0;
  }

  pump(device: Device): void {
    const inbox = this.inboxes.get(device);
    if (!inbox) return;
    while (inbox.length > 0 && device.accepting()) {
      const deliver = inbox.shift() as () => void;
      try {
        deliver();
      } catch (err) {
        // A delivery to a chat deleted meanwhile is dropped, as a real relay's message to a deleted queue would be.
        device.log(`dropped a delivery: ${(err as Error).message}`);
      }
    }
  }
}
