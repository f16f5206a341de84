import type { Migration } from './migrate';

export const ACCOUNT_MIGRATION: Migration = {
  type: 'semilimes-account',
  // Version 1 is the first release that records versions; its property names were already those of 0.1.0.
  steps: [{ version: 1, renames: {} }],
};
