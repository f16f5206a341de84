import { createHash } from 'node:crypto';
import { PrivateFileStore, privateDirectory } from './private-file';

/**
 * The durable home of a rotated API key.
 *
 * Node-RED credentials can only be written by a deploy from the editor, so a key created at run time (rotation) cannot
 * go there. It goes to one small JSON file per account node in `<userDir>/semilimes-keys/`, created with mode 0600 in
 * a 0700 directory, written to a temporary file, flushed and renamed so that a crash leaves either the old or the new
 * file, never half of one. The account node prefers this file over its credential as long as the credential is still
 * the one the file replaced (`replaces` is a SHA-256 of it): typing a new key in the editor and deploying wins again.
 */
export interface KeyFile {
  version: 1;
  /** SHA-256 (hex) of the configured credential (after `${ENV}` resolution) this file stands in for. */
  replaces: string;
  /** The key in use. */
  key: string;
  keyId: number | string;
  expireAt?: string;
  /** A key replaced by this one that is still to be deleted (a rotation interrupted after storing the new key). */
  retireKeyId?: number | string | null;
  rotatedAt: string;
}

export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Where key files live: a setting for tests, else Node-RED's user directory, else ~/.node-red. */
export function keyDirectory(settings: Record<string, unknown>): string {
  return privateDirectory(settings, 'semilimesKeyDir', 'semilimes-keys');
}

export class KeyFileStore {
  private readonly files: PrivateFileStore;

  constructor(directory: string) {
    this.files = new PrivateFileStore(directory);
  }

  pathFor(accountNodeId: string): string {
    return this.files.pathFor(accountNodeId);
  }

  async read(accountNodeId: string): Promise<KeyFile | undefined> {
    return this.readSync(accountNodeId);
  }

  /** Synchronous, for the account node's constructor: the key must be known before its client exists. */
  readSync(accountNodeId: string): KeyFile | undefined {
    const parsed = this.files.readSync(accountNodeId) as Partial<KeyFile> | undefined;
    if (parsed === undefined) return undefined;
    if (parsed?.version !== 1 || typeof parsed.key !== 'string' || !parsed.key || typeof parsed.replaces !== 'string') {
      throw new Error(`${this.pathFor(accountNodeId)} is not a semilimes key file`);
    }
    return parsed as KeyFile;
  }

  /** Atomic and durable (see PrivateFileStore). */
  async write(accountNodeId: string, content: KeyFile): Promise<void> {
    await this.files.write(accountNodeId, content);
  }

  async remove(accountNodeId: string): Promise<void> {
    await this.files.remove(accountNodeId);
  }
}
