import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Small private JSON files that must survive a restart: Node-RED only writes credentials on a deploy, so values a
 * node learns at run time (a rotated API key, a tunnel's key pair, pin and id) are kept here instead. One file per
 * node in a 0700 folder under Node-RED's user directory, each 0600, written atomically: temp file, fsync, rename,
 * fsync of the folder, so a crash leaves the old or the new content, never half of one.
 */
export class PrivateFileStore {
  constructor(private readonly directory: string) {}

  /** The file of one node; node ids are Node-RED's hex ids, anything else is made safe. */
  pathFor(nodeId: string): string {
    return path.join(this.directory, `${nodeId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`);
  }

  /** The parsed content, or undefined when there is no file. Synchronous: nodes need it in their constructor. */
  readSync(nodeId: string): unknown {
    let text: string;
    try {
      text = readFileSync(this.pathFor(nodeId), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not the parser's message: it quotes the start of the text, which may be a key.
      throw new Error(`${this.pathFor(nodeId)} is not valid JSON`);
    }
  }

  /** Writes atomically and durably. Callers serialize writes to one node's file (the temp name is per process). */
  async write(nodeId: string, content: unknown): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true, mode: 0o700 });
    const target = this.pathFor(nodeId);
    const temp = `${target}.${process.pid}.tmp`;
    const handle = await fs.open(temp, 'w', 0o600);
    try {
      await handle.writeFile(JSON.stringify(content, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    // The mode given to open is masked by the umask; the file must be 0600 whatever the umask.
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

  async remove(nodeId: string): Promise<void> {
    await fs.rm(this.pathFor(nodeId), { force: true });
  }
}

/** A folder under Node-RED's user directory (else ~/.node-red), or the path in `settings[override]` (tests). */
export function privateDirectory(settings: Record<string, unknown>, override: string, folder: string): string {
  const given = settings[override];
  if (typeof given === 'string' && given) return given;
  const userDir = typeof settings.userDir === 'string' && settings.userDir ? settings.userDir : path.join(os.homedir(), '.node-red');
  return path.join(userDir, folder);
}
