import { createHash } from 'node:crypto';
import { utils } from 'ssh2';
import { InvalidInputError } from './errors';

export interface SshKeyPair {
  /** OpenSSH private key (PEM-like text). A secret: keep it in credentials, never in logs. */
  privateKey: string;
  /** One authorized_keys line: `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
}

/** A fresh ed25519 key pair for one tunnel. ed25519: small keys, fast, and what OpenSSH recommends. */
export function generateTunnelKeyPair(comment = 'semilimes-tunnel'): SshKeyPair {
  const pair = utils.generateKeyPairSync('ed25519', { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/**
 * The authorized_keys line of a private key, to check that a stored pair belongs together (and to rebuild the public
 * half when only the private key was kept). The error never quotes the key.
 */
export function publicKeyOf(privateKey: string, comment = 'semilimes-tunnel'): string {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error || Array.isArray(parsed)) {
    throw new InvalidInputError('the tunnel private key is not a valid OpenSSH key');
  }
  return `${parsed.type} ${parsed.getPublicSSH().toString('base64')} ${comment}`;
}

/** `type base64` of a public key line, without the comment: what identifies the key. */
export function publicKeyIdentity(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** The OpenSSH-style fingerprint of a host key blob: `SHA256:` and unpadded base64, as `ssh-keygen -l` prints. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}
