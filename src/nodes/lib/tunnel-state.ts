import { PrivateFileStore, privateDirectory } from './private-file';

/**
 * What a tunnel node learns at run time and must not lose on a restart: credentials are only written by a deploy, so
 * these go to `<userDir>/semilimes-tunnels/<node id>.json` (0600 in a 0700 folder, atomic) the moment they are learned.
 */
export interface TunnelState {
  version: 1;
  /** A key pair made at start because the flow came without one (OpenSSH private key and public line). */
  privateKey?: string;
  publicKey?: string;
  /** The pinned host key fingerprint of the tunnel server. */
  hostKey?: string;
  /** `hostKeyReset` of the node when the pin was stored: "forget" in the editor sets a new one, dropping the pin. */
  hostKeyReset?: string;
  /** This node's tunnel, and the key identity (public key) it was created for. */
  tunnelId?: string;
  tunnelKey?: string;
}

export function tunnelStateDirectory(settings: Record<string, unknown>): string {
  return privateDirectory(settings, 'semilimesTunnelDir', 'semilimes-tunnels');
}

export class TunnelStateStore {
  private readonly files: PrivateFileStore;
  /** Writes of one node run one after the other, each with the whole current state. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    directory: string,
    private readonly nodeId: string,
  ) {
    this.files = new PrivateFileStore(directory);
  }

  /** The stored state; a missing file is an empty state, a damaged one throws (the caller warns and starts empty). */
  read(): TunnelState {
    const parsed = this.files.readSync(this.nodeId) as Partial<TunnelState> | undefined;
    if (parsed === undefined) return { version: 1 };
    if (parsed?.version !== 1) throw new Error('not a semilimes tunnel state file');
    return parsed as TunnelState;
  }

  /** Queues a write of `state`; resolves (never rejects) when it is on disk or has failed (`onError` says why). */
  save(state: TunnelState, onError: (err: Error) => void): Promise<void> {
    const snapshot = { ...state };
    this.writing = this.writing.then(() => this.files.write(this.nodeId, snapshot)).catch((err: Error) => onError(err));
    return this.writing;
  }

  /** Resolves when every queued write has finished. */
  flushed(): Promise<void> {
    return this.writing;
  }

  remove(): Promise<void> {
    this.writing = this.writing.then(() => this.files.remove(this.nodeId)).catch(() => undefined);
    return this.writing;
  }
}
