import {
  generateTunnelKeyPair,
  publicKeyIdentity,
  publicKeyOf,
  type SshKeyPair,
  type TunnelKeyType,
} from '../../semilimes';
import type { TunnelState, TunnelStateStore } from './tunnel-state';

/** A tunnel node's credentials: what a deploy saves, encrypted, in the flow's credentials file. */
export interface TunnelCredentials {
  /** OpenSSH private key: a `password` credential, never sent back to the editor. */
  privateKey?: string;
  publicKey?: string;
  /** Pinned host key fingerprint of the tunnel server. */
  hostKey?: string;
  /** The tunnel this node created, so a redeploy reuses it. */
  tunnelId?: string;
}

export interface TunnelIdentityOptions {
  store: TunnelStateStore;
  /** The credentials as deployed: a value here came from a deploy and wins over the state file. */
  credentials: TunnelCredentials;
  /** Merges learned values into the node's in-memory credentials (shown in the editor, saved by the next deploy). */
  remember: (changes: Partial<TunnelCredentials>) => void;
  /** The node's `hostKeyReset`: "forget" in the editor sets a new one, and a pin stored under another is dropped. */
  hostKeyReset: string;
  /** The type of a key made here, when neither the credentials nor the state file hold one. */
  keyType: TunnelKeyType;
  /** The state file could not be read or written: the path and the file system's reason only, never the content. */
  onStateFileError: (err: Error) => void;
}

/**
 * Who a tunnel node is to the tunnel service: its key pair, the pinned host key of the tunnel server and the id of its
 * tunnel. Values learned at run time go at once to the node's state file (credentials are written only by a deploy,
 * so a restart before the next deploy would lose them) and into the in-memory credentials. At start a credential that
 * holds a value wins (it came from a deploy); otherwise the state file's value is used, the pin only when it was stored
 * under the current `hostKeyReset`, the tunnel id only when it was made for the current key.
 */
export class TunnelIdentity {
  readonly keys: SshKeyPair;
  /** True when neither the credentials nor the state file held a key and a new one was made. */
  readonly keyGenerated: boolean;
  private state: TunnelState = { version: 1 };
  private pinned: string | undefined;
  private tunnel: string | undefined;

  /** Throws when the deployed or stored private key is not a valid OpenSSH key (the error never quotes it). */
  constructor(private readonly options: TunnelIdentityOptions) {
    try {
      this.state = options.store.read();
    } catch (err) {
      options.onStateFileError(err as Error);
    }
    const { keys, generated } = this.resolveKeys();
    this.keys = keys;
    this.keyGenerated = generated;
    this.pinned = this.resolveHostKey();
    this.tunnel = this.resolveTunnelId();
  }

  /** The pinned host key fingerprint, or undefined when the next connection pins one. */
  get hostKey(): string | undefined {
    return this.pinned;
  }

  /** This node's tunnel, or undefined when it is to be found by its key or created. */
  get tunnelId(): string | undefined {
    return this.tunnel;
  }

  /** Pins a host key learned on the first connection. */
  learnHostKey(hostKey: string): void {
    this.pinned = hostKey;
    this.options.remember({ hostKey });
    this.state.hostKey = hostKey;
    this.state.hostKeyReset = this.options.hostKeyReset;
    void this.persist();
  }

  /** Keeps the tunnel id the service gave (undefined: the tunnel was deleted, the next start makes a new one). */
  learnTunnelId(tunnelId: string | undefined): void {
    this.tunnel = tunnelId;
    this.options.remember({ tunnelId });
    this.state.tunnelId = tunnelId;
    this.state.tunnelKey = tunnelId ? publicKeyIdentity(this.keys.publicKey) : undefined;
    void this.persist();
  }

  /** Resolves when every write of the state file has finished. */
  flushed(): Promise<void> {
    return this.options.store.flushed();
  }

  /** Removes the state file (the node was removed: its state goes with it, as its credentials do). */
  remove(): Promise<void> {
    return this.options.store.remove();
  }

  private persist(): Promise<void> {
    return this.options.store.save(this.state, this.options.onStateFileError);
  }

  private resolveKeys(): { keys: SshKeyPair; generated: boolean } {
    const deployed = this.options.credentials;
    if (deployed.privateKey) {
      if (this.state.privateKey && this.state.privateKey !== deployed.privateKey) {
        // A deployed key replaced the one made at run time: the old private key is not kept lying around.
        this.state.privateKey = undefined;
        this.state.publicKey = undefined;
        void this.persist();
      }
      const derived = publicKeyOf(deployed.privateKey);
      // The stored public half must match the private key; rebuild it when it is missing or wrong.
      if (!deployed.publicKey || publicKeyIdentity(deployed.publicKey) !== publicKeyIdentity(derived)) {
        this.options.remember({ publicKey: derived });
        return { keys: { privateKey: deployed.privateKey, publicKey: derived }, generated: false };
      }
      return { keys: { privateKey: deployed.privateKey, publicKey: deployed.publicKey }, generated: false };
    }
    if (this.state.privateKey) {
      // Made at an earlier start of a flow that came without a key, and not deployed since: the same key again, so
      // the same tunnel is found instead of a new one created.
      const keys = { privateKey: this.state.privateKey, publicKey: publicKeyOf(this.state.privateKey) };
      this.options.remember(keys);
      return { keys, generated: false };
    }
    // A flow that arrived without a key (imported, or written by hand): a new key, kept in the state file at once.
    // Pin and tunnel id belonged to whatever key came before, so they go too.
    const keys = generateTunnelKeyPair(this.options.keyType);
    this.options.remember({ ...keys, tunnelId: undefined, hostKey: undefined });
    this.state = { version: 1, privateKey: keys.privateKey, publicKey: keys.publicKey };
    void this.persist();
    return { keys, generated: true };
  }

  private resolveHostKey(): string | undefined {
    const deployed = this.options.credentials.hostKey;
    if (deployed) return deployed;
    if (this.state.hostKey && (this.state.hostKeyReset ?? '') === this.options.hostKeyReset) {
      this.options.remember({ hostKey: this.state.hostKey });
      return this.state.hostKey;
    }
    return undefined;
  }

  private resolveTunnelId(): string | undefined {
    const deployed = this.options.credentials.tunnelId;
    if (deployed) return deployed;
    if (this.state.tunnelId && this.state.tunnelKey === publicKeyIdentity(this.keys.publicKey)) {
      this.options.remember({ tunnelId: this.state.tunnelId });
      return this.state.tunnelId;
    }
    return undefined;
  }
}
