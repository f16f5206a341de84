import { generateTunnelKeyPairAsync, TUNNEL_KEY_TYPES, type TunnelKeyType } from '../../semilimes';
import type { NodeAPI, AdminResponse } from './node-red';

/** The key type of new tunnel keys: RSA, because the documentation asks for "a public RSA key". */
export const DEFAULT_TUNNEL_KEY_TYPE: TunnelKeyType = 'rsa';

/** A node's key type setting as a key type; anything else (absent in flows saved before it existed) is the default. */
export function tunnelKeyType(setting: unknown): TunnelKeyType {
  return TUNNEL_KEY_TYPES.includes(setting as TunnelKeyType) ? (setting as TunnelKeyType) : DEFAULT_TUNNEL_KEY_TYPE;
}

/**
 * `POST <httpAdminRoot>/semilimes-tunnel/keypair?type=rsa|ed25519`: the editor asks for a key pair when a tunnel node
 * is added, so the key is saved (encrypted, with the other credentials) by the same deploy. Needs the right to change
 * tunnel nodes; the answer is never cached or logged. An RSA key takes a moment to make, so it is made off the event
 * loop.
 */
export function registerKeyPairRoute(RED: NodeAPI): void {
  RED.httpAdmin.post(
    '/semilimes-tunnel/keypair',
    RED.auth.needsPermission('semilimes-tunnel.write'),
    (req: { query?: Record<string, unknown> }, res: AdminResponse) => {
      const asked = req.query?.type;
      if (asked !== undefined && !TUNNEL_KEY_TYPES.includes(asked as TunnelKeyType)) {
        res.status(400).json({ error: `unknown key type; use ${TUNNEL_KEY_TYPES.join(' or ')}` });
        return;
      }
      generateTunnelKeyPairAsync(tunnelKeyType(asked)).then(
        (pair) => {
          res.set('Cache-Control', 'no-store');
          res.json(pair);
        },
        () => res.status(500).json({ error: 'the key pair could not be made' }),
      );
    },
  );
}
