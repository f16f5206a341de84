import { PATHS, type SemilimesClient } from '../../semilimes';
import { fingerprint, type KeyFile, type KeyFileStore } from './key-file';

/** What GET /apikey/~validate tells about the key in use. */
export interface KeyInfo {
  id: number | string;
  name?: string;
  expireAt: Date | undefined;
  previousId: number | string | null;
}

/** The result of a rotation, without the key itself (it never leaves the account node). */
export interface RotationResult {
  newKeyId: number | string;
  name: string;
  expireAt: string | undefined;
  deletedKeyId: number | string;
}

export interface KeyLifecycleOptions {
  accountNodeId: string;
  /** The configured credential, `${ENV}` already resolved: what a key file must have replaced to be used. */
  configuredKey: string;
  store: KeyFileStore;
  /** The account's client (created on demand). */
  client: () => SemilimesClient;
  /** Lifetime of a key created by a rotation. */
  validityDays: number;
  /** Name given to created keys, followed by the date. */
  keyName: string;
  /** Called whenever the expiry is known anew. */
  onInfo: (info: KeyInfo) => void;
  log: (text: string) => void;
  /** Words from the account's catalogue: `rotation.<key>` under `semilimes-account`. */
  t: (key: string, subs?: Record<string, string | number>) => string;
}

const DAY_MS = 24 * 3600 * 1000;

/** Whole days from now until `expireAt` (negative once past). */
export function daysLeft(expireAt: Date, now = Date.now()): number {
  return Math.floor((expireAt.getTime() - now) / DAY_MS);
}

/** RFC 3339 without milliseconds, the form the documentation shows ('2006-01-02T15:04:05Z07:00'). */
function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function readInfo(data: unknown, t: KeyLifecycleOptions['t']): KeyInfo {
  const d = (data ?? {}) as Record<string, unknown>;
  if (typeof d.id !== 'number' && typeof d.id !== 'string') throw new Error(t('noKeyId'));
  const expire = typeof d.expire_at === 'string' ? new Date(d.expire_at) : undefined;
  const previous = d.previous_api_key_id;
  return {
    id: d.id,
    name: typeof d.name === 'string' ? d.name : undefined,
    expireAt: expire && !Number.isNaN(expire.getTime()) ? expire : undefined,
    previousId: typeof previous === 'number' || typeof previous === 'string' ? previous : null,
  };
}

/**
 * Validation and rotation of one account's API key, in the documented order: validate, create a new key, store it
 * durably, switch the client to it (make-before-break, so nothing in flight is lost), check it works, and only then
 * delete the previous key. At every step there is a working key that a restart would find:
 * - crash before the key file is written: the old key (still valid) is used; the new key is merely unused;
 * - crash after: the key file (new key) is used, and its `retireKeyId` makes the next start delete the old key.
 */
export class KeyLifecycle {
  private rotation: Promise<RotationResult> | undefined;
  private lastInfo: KeyInfo | undefined;

  constructor(private readonly options: KeyLifecycleOptions) {}

  get info(): KeyInfo | undefined {
    return this.lastInfo;
  }

  /** The key to start with: a stored rotated key if it still stands in for the configured one. */
  static initialKey(store: KeyFileStore, accountNodeId: string, configuredKey: string): { key: string; file?: KeyFile } {
    const file = store.readSync(accountNodeId);
    if (file && file.replaces === fingerprint(configuredKey)) return { key: file.key, file };
    return { key: configuredKey };
  }

  async validate(): Promise<KeyInfo> {
    const info = readInfo(await this.options.client().call(PATHS.apiKeyValidate), this.options.t);
    this.lastInfo = info;
    this.options.onInfo(info);
    return info;
  }

  /** Finishes a rotation interrupted after the new key was stored: deletes the key it replaced. */
  async finishInterrupted(file: KeyFile | undefined): Promise<void> {
    // A rotation running right now also has a retireKeyId in the file: it deletes that key itself.
    if (this.rotation) return;
    if (!file || file.retireKeyId === null || file.retireKeyId === undefined) return;
    try {
      await this.deleteKey(file.retireKeyId);
    } catch (err) {
      // Already gone (deleted by hand, or the crash came after the delete): nothing left to do.
      if ((err as { status?: number }).status !== 404) throw err;
    }
    await this.options.store.write(this.options.accountNodeId, { ...file, retireKeyId: null });
    this.options.log(this.options.t('finished', { id: file.retireKeyId }));
  }

  /** One rotation at a time: a second call while one runs gets the same result. */
  rotate(): Promise<RotationResult> {
    if (!this.rotation) {
      this.rotation = this.runRotation().finally(() => {
        this.rotation = undefined;
      });
    }
    return this.rotation;
  }

  private async runRotation(): Promise<RotationResult> {
    const t = this.options.t;
    const client = this.options.client();
    const current = await this.validate();
    const expireAt = rfc3339(new Date(Date.now() + this.options.validityDays * DAY_MS));
    const name = `${this.options.keyName} ${rfc3339(new Date()).slice(0, 10)}`;
    const created = (await client.call(PATHS.apiKeyCreate, { name, expire_at: expireAt })) as Record<string, unknown>;
    if (typeof created?.key !== 'string' || !created.key || (typeof created.id !== 'number' && typeof created.id !== 'string')) {
      throw new Error(t('noNewKey'));
    }
    const newKey = created.key;
    const newId = created.id;

    // 1. Durable first: from here on a restart uses the new key.
    const previousFile = await this.options.store.read(this.options.accountNodeId).catch(() => undefined);
    await this.options.store.write(this.options.accountNodeId, {
      version: 1,
      replaces: fingerprint(this.options.configuredKey),
      key: newKey,
      keyId: newId,
      expireAt: typeof created.expire_at === 'string' ? created.expire_at : expireAt,
      retireKeyId: current.id,
      rotatedAt: new Date().toISOString(),
    });

    // 2. Switch the running client; 3. prove the new key works before the old one goes.
    let check: KeyInfo;
    try {
      await client.setApiKey(newKey);
      check = await this.validate();
      if (String(check.id) !== String(newId)) throw new Error(t('notInUse'));
    } catch (err) {
      // The old key still works: go back to it, and leave the new one unused rather than risk having none.
      if (previousFile) await this.options.store.write(this.options.accountNodeId, previousFile);
      else await this.options.store.remove(this.options.accountNodeId);
      await client.setApiKey(previousFile?.key ?? this.options.configuredKey).catch(() => undefined);
      throw new Error(t('newKeyFailed', { message: (err as Error).message }), { cause: err });
    }

    // 4. The documented last step: delete the previous key (the new key's validation names it too).
    const retire = current.id;
    try {
      await this.deleteKey(retire);
    } catch (err) {
      // 404: already gone (deleted by hand meanwhile), which is what this step wants.
      if ((err as { status?: number }).status !== 404) {
        throw new Error(t('deleteFailed', { id: retire, message: (err as Error).message }), { cause: err });
      }
    }
    const stored = await this.options.store.read(this.options.accountNodeId);
    if (stored) await this.options.store.write(this.options.accountNodeId, { ...stored, retireKeyId: null });
    this.options.log(t('done', { newId, oldId: retire }));
    return {
      newKeyId: newId,
      name: typeof created.name === 'string' ? created.name : name,
      expireAt: check.expireAt ? rfc3339(check.expireAt) : undefined,
      deletedKeyId: retire,
    };
  }

  private async deleteKey(id: number | string): Promise<void> {
    await this.options.client().call(PATHS.apiKeyDelete, { key_id: id });
  }
}
