import type { SemilimesClient } from '../../semilimes';
import { KeyFileStore, keyDirectory, type KeyFile } from './key-file';
import { KeyLifecycle, daysLeft, type KeyInfo, type RotationResult } from './key-lifecycle';
import type { Node, NodeAPI } from './node-red';
import type { Translate } from './translate';

/** The documentation's rotation flow acts when a key has less than 5 days left; the status warns from then on. */
const DEFAULT_ROTATE_DAYS = 5;
const DEFAULT_VALIDITY_DAYS = 90;
/** How often a running account checks its key again (and rotates it when automatic rotation is on). */
const KEY_CHECK_SETTING = 'semilimesKeyCheckMs';
const DEFAULT_KEY_CHECK_MS = 12 * 3600 * 1000;

export const positive = (value: unknown, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

export interface KeyWatchSettings {
  nodeId: string;
  name: string | undefined;
  /** The configured credential, `${ENV}` resolved. */
  configuredKey: string;
  autoRotate: boolean;
  rotateDays?: unknown;
  keyValidityDays?: unknown;
}

/**
 * An account's API key over time: which key to use (a rotated one from the key file while it stands in for the
 * credential), its expiry in words for every user's status, a periodic check, and rotation when it is due.
 */
export class AccountKeyWatch {
  private readonly lifecycle: KeyLifecycle;
  private readonly store: KeyFileStore;
  private readonly rotateDays: number;
  private readonly checkEveryMs: number;
  private timer: NodeJS.Timeout | undefined;
  /** Checks and rotations still running: a close waits for them (see `settled`). */
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    RED: NodeAPI,
    private readonly settings: KeyWatchSettings,
    private readonly t: Translate,
    client: () => SemilimesClient,
    onInfo: (info: KeyInfo) => void,
    private readonly node: Node,
  ) {
    const runtime = RED.settings as unknown as Record<string, unknown>;
    this.store = new KeyFileStore(keyDirectory(runtime));
    this.rotateDays = positive(settings.rotateDays, DEFAULT_ROTATE_DAYS);
    this.checkEveryMs = positive(runtime[KEY_CHECK_SETTING], DEFAULT_KEY_CHECK_MS);
    this.lifecycle = new KeyLifecycle({
      accountNodeId: settings.nodeId,
      configuredKey: settings.configuredKey,
      store: this.store,
      client,
      validityDays: positive(settings.keyValidityDays, DEFAULT_VALIDITY_DAYS),
      keyName: `Node-RED ${settings.name || settings.nodeId}`,
      onInfo,
      log: (text) => node.log(text),
      t: (key, subs) => t(`rotation.${key}`, subs),
    });
  }

  get info(): KeyInfo | undefined {
    return this.lifecycle.info;
  }

  /** The key to use now: a rotated key from the key file while it stands in for the credential, else the credential. */
  current(): { key: string; file?: KeyFile } {
    try {
      return KeyLifecycle.initialKey(this.store, this.settings.nodeId, this.settings.configuredKey);
    } catch (err) {
      this.node.warn(this.t('errors.keyFile', { message: (err as Error).message }));
      return { key: this.settings.configuredKey };
    }
  }

  /** The key's remaining days in words, and whether to warn, for every user node's status. */
  status(): { text: string; warning: boolean } | undefined {
    const expireAt = this.lifecycle.info?.expireAt;
    if (!expireAt) return undefined;
    const days = daysLeft(expireAt);
    const text = days < 0 ? this.t('status.keyExpired') : this.t('status.keyDays', { days });
    return { text, warning: days < this.rotateDays };
  }

  /** Checks now and then periodically; a second call does nothing. */
  start(): void {
    if (this.timer) return;
    void this.track(this.check());
    this.timer = setInterval(() => void this.track(this.check()), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  rotate(): Promise<RotationResult> {
    return this.track(this.lifecycle.rotate());
  }

  /**
   * Resolves when no check or rotation is running any more, or after `limitMs`. A rotation left running past a
   * deploy would write the key file and delete the old key while the account's next instance has already read the
   * file and started with the old key; so a closing account waits for it.
   */
  async settled(limitMs: number): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    await Promise.race([Promise.allSettled([...this.running]), limit]);
    clearTimeout(timer);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Checks the key (and rotates it when it is due and automatic rotation is on); never throws. */
  private async check(): Promise<void> {
    try {
      const info = await this.lifecycle.validate();
      await this.lifecycle.finishInterrupted(this.current().file);
      if (this.settings.autoRotate && info.expireAt && daysLeft(info.expireAt) < this.rotateDays) {
        await this.lifecycle.rotate();
      }
    } catch (err) {
      this.node.warn(this.t('errors.keyCheck', { message: (err as Error).message }));
    }
  }
}
