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
