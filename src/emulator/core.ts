// The shared state every part of the emulator works on.
import { Faults, LoggedRequest } from './faults';
import { SocketHub } from './sockets';
import { Store, TypingSignal } from './store';

export interface Core {
  store: Store;
  hub: SocketHub;
  faults: Faults;
  requests: LoggedRequest[];
  signals: TypingSignal[];
}

export function createCore(): Core {
  return { store: new Store(), hub: new SocketHub(), faults: new Faults(), requests: [], signals: [] };
}

/** Entries kept in the request log: enough for any test, bounded so a long-running demo does not grow forever. */
export const REQUEST_LOG_LIMIT = 10_000;

export function logRequest(core: Core, entry: LoggedRequest): void {
  core.requests.push(entry);
  if (core.requests.length > REQUEST_LOG_LIMIT) core.requests.splice(0, core.requests.length - REQUEST_LOG_LIMIT);
}
