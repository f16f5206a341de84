import type { Migration } from './migrate';

export const ASK_MIGRATION: Migration = {
  type: 'semilimes-ask',
  // Added with version 1: nothing to bring up to date yet.
  steps: [{ version: 1, renames: {} }],
};
