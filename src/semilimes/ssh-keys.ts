import { createHash } from 'node:crypto';
import { utils } from 'ssh2';
import { InvalidInputError } from './errors';

export interface SshKeyPair {
  /** OpenSSH private key (PEM-like text). A secret: keep it in credentials, never in logs. */
  privateKey: string;
  /** One authorized_keys line: `ssh-rsa AAAA... comment` or `ssh-ed25519 AAAA... comment`. */
  publicKey: string;
}

/** The key types a tunnel key can have: RSA is what the documentation asks for, ed25519 is smaller and faster. */
export type TunnelKeyType = 'rsa' | 'ed25519';
export const TUNNEL_KEY_TYPES: readonly TunnelKeyType[] = ['rsa', 'ed25519'];

/** 3072 bits: OpenSSH's own default for new RSA keys. */
const RSA_BITS = 3072;

/** A fresh key pair for one tunnel (RSA unless asked otherwise: the documentation asks for "a public RSA key"). */
export function generateTunnelKeyPair(type: TunnelKeyType = 'rsa', comment = 'semilimes-tunnel'): SshKeyPair {
  const pair =
    type === 'rsa'
      ? utils.generateKeyPairSync('rsa', { bits: RSA_BITS, comment })
      : utils.generateKeyPairSync('ed25519', { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/** As generateTunnelKeyPair, without blocking the event loop while an RSA key is made (for HTTP routes). */
export function generateTunnelKeyPairAsync(
  type: TunnelKeyType = 'rsa',
  comment = 'semilimes-tunnel',
): Promise<SshKeyPair> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, pair: { private: string; public: string }) =>
      err ? reject(err) : resolve({ privateKey: pair.private, publicKey: pair.public.trim() });
    if (type === 'rsa') utils.generateKeyPair('rsa', { bits: RSA_BITS, comment }, done);
    else utils.generateKeyPair('ed25519', { comment }, done);
  });
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
