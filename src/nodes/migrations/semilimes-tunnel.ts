import type { Migration } from './migrate';

export const TUNNEL_MIGRATION: Migration = {
  type: 'semilimes-tunnel',
  // Version 1 is the first release that records versions; it keeps 0.1.0's names and adds `keyType`, which nodes
  // saved without it read as RSA (it only matters when a key is made).
  steps: [{ version: 1, renames: {} }],
};
