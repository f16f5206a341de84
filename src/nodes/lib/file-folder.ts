import { lstat, mkdir, realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FlowInputError } from './flow-input';
import type { Translate } from './translate';

/** Node-RED's user directory (else ~/.node-red, where Node-RED puts it), against which a relative folder is read. */
export function userDirectory(settings: Record<string, unknown>): string {
  const given = settings.userDir;
  return typeof given === 'string' && given ? given : path.join(os.homedir(), '.node-red');
}

/**
 * The folder a file node's paths must stay inside, so that a flow which puts chat text into `msg.filename` cannot
 * upload `flows_cred.json` or write over `settings.js`. A path is checked after `..` is resolved and after every
 * symbolic link on the way is followed; the checked, real path is the one then opened. Without a folder every path
 * is allowed, as with Node-RED's own file nodes.
 */
export class FileFolder {
  /** The folder as configured, resolved (absolute), or undefined for "anywhere". */
  readonly root: string | undefined;

  /** `setting`: an absolute folder, one relative to the user directory, or blank for anywhere. */
  constructor(
    setting: string | undefined,
    userDir: string,
    private readonly t: Translate,
  ) {
    const folder = (setting ?? '').trim();
    this.root = folder ? path.resolve(userDir, folder) : undefined;
  }

  /** The real path of a file to read; relative paths are inside the folder. Throws a FlowInputError when outside. */
  async reading(given: string): Promise<string> {
    if (!this.root) return given;
    const wanted = this.inside(given);
    const realRoot = await this.realRoot();
    const real = await realpath(wanted).catch((err: Error) => {
      throw new FlowInputError('badPath', this.t('errors.badPath', { path: given, reason: err.message }));
    });
    this.check(real, realRoot, given);
    return real;
  }

  /**
   * The real path to write a file to (it need not exist yet): the folder it goes into is followed to its real place,
   * and so is the file when it is a link. Creates the configured folder itself when it is missing.
   */
  async writing(given: string): Promise<string> {
    if (!this.root) return given;
    const wanted = this.inside(given);
    await mkdir(this.root, { recursive: true });
    const realRoot = await this.realRoot();
    const parent = await realpath(path.dirname(wanted)).catch((err: Error) => {
      throw new FlowInputError('writeFailed', this.t('errors.writeFailed', { path: given, reason: err.message }));
    });
    let target = path.join(parent, path.basename(wanted));
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isSymbolicLink()) target = await realpath(target).catch(() => target);
    this.check(target, realRoot, given);
    return target;
  }

  /** The path resolved against the folder; refused at once when `..` or an absolute path leads out of it. */
  private inside(given: string): string {
    const wanted = path.resolve(this.root as string, given);
    this.check(wanted, this.root as string, given);
    return wanted;
  }

  private async realRoot(): Promise<string> {
    try {
      return await realpath(this.root as string);
    } catch (err) {
      throw new FlowInputError(
        'badFolder',
        this.t('errors.badFolder', { folder: this.root as string, reason: (err as Error).message }),
      );
    }
  }

  private check(candidate: string, root: string, given: string): void {
    const relative = path.relative(root, candidate);
    const leaves = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    if (relative === '' || leaves) {
      throw new FlowInputError(
        'outsideFolder',
        this.t('errors.outsideFolder', { path: given, folder: this.root as string }),
      );
    }
  }
}
