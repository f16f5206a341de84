import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
  if (typeof settings.semilimesKeyDir === 'string' && settings.semilimesKeyDir) return settings.semilimesKeyDir;
  const userDir = typeof settings.userDir === 'string' && settings.userDir ? settings.userDir : path.join(os.homedir(), '.node-red');
  return path.join(userDir, 'semilimes-keys');
}

export class KeyFileStore {
  constructor(private readonly directory: string) {}

  /** The file of one account node; node ids are Node-RED's hex ids, anything else is made safe. */
  pathFor(accountNodeId: string): string {
    return path.join(this.directory, `${accountNodeId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  }

  async read(accountNodeId: string): Promise<KeyFile | undefined> {
    return this.readSync(accountNodeId);
  }

  /** Synchronous, for the account node's constructor: the key must be known before its client exists. */
  readSync(accountNodeId: string): KeyFile | undefined {
    let text: string;
    try {
      text = readFileSync(this.pathFor(accountNodeId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = JSON.parse(text) as Partial<KeyFile>;
    if (parsed.version !== 1 || typeof parsed.key !== 'string' || !parsed.key || typeof parsed.replaces !== 'string') {
      throw new Error(`${this.pathFor(accountNodeId)} is not a semilimes key file`);
    }
    return parsed as KeyFile;
  }

  /** Writes atomically and durably: temp file (0600), fsync, rename, fsync of the directory. */
  async write(accountNodeId: string, content: KeyFile): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true, mode: 0o700 });
    const target = this.pathFor(accountNodeId);
    const temp = `${target}.${process.pid}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(content, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, target);
    const dir = await fs.open(this.directory, 'r');
    try {
      await dir.sync();
    } catch {
      // Some file systems refuse fsync on a directory; the rename itself is still atomic.
    } finally {
      await dir.close();
    }
  }

  async remove(accountNodeId: string): Promise<void> {
    await fs.rm(this.pathFor(accountNodeId), { force: true });
  }
}
