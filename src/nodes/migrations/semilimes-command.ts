import type { Migration } from './migrate';

export const COMMAND_MIGRATION: Migration = {
  type: 'semilimes-command',
  // Added with version 1: nothing to bring up to date yet.
  steps: [{ version: 1, renames: {} }],
};
