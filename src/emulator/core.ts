// The shared state every part of the emulator works on.
import { Faults, LoggedRequest } from './faults';
import { SocketHub } from './sockets';
import { Store, TypingSignal } from './store';

/** Where uploads go and how big they may be. */
export interface FileSettings {
  /** Keep uploaded files in this directory instead of memory (for very large files, e.g. the benchmark). */
  filesDir?: string;
  /** Most bytes of file content in one upload request. */
  maxBytes: number;
}

/** The real SSH server that tunnel "open" points clients at (see EmulatorOptions.tunnelSsh). */
export interface TunnelSshSettings {
  /** Address of the SSH server (clients connect to its SSH port, which they are configured with: 22 in production). */
  host: string;
  username: string;
  /** The file the SSH server reads authorized keys from; the emulator writes the keys that "create" received. */
  authorizedKeysFile?: string;
}

export interface Core {
  files: FileSettings;
  tunnelSsh?: TunnelSshSettings;
  store: Store;
  hub: SocketHub;
  faults: Faults;
  requests: LoggedRequest[];
  signals: TypingSignal[];
}

/** Uploads kept in memory are capped; with a files directory the cap is the disk. */
export const DEFAULT_MEMORY_UPLOAD_BYTES = 256 * 1024 * 1024;

export function createCore(files: Partial<FileSettings> = {}, tunnelSsh?: TunnelSshSettings): Core {
  const maxBytes = files.maxBytes ?? (files.filesDir ? Number.MAX_SAFE_INTEGER : DEFAULT_MEMORY_UPLOAD_BYTES);
  return {
    store: new Store(),
    hub: new SocketHub(),
    faults: new Faults(),
    requests: [],
    signals: [],
    files: { filesDir: files.filesDir, maxBytes },
    tunnelSsh,
  };
}

/** Entries kept in the request log: enough for any test, bounded so a long-running demo does not grow forever. */
export const REQUEST_LOG_LIMIT = 10_000;

export function logRequest(core: Core, entry: LoggedRequest): void {
  core.requests.push(entry);
  if (core.requests.length > REQUEST_LOG_LIMIT) core.requests.splice(0, core.requests.length - REQUEST_LOG_LIMIT);
}
