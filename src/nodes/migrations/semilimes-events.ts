import type { Migration } from './migrate';

export const EVENTS_MIGRATION: Migration = {
  type: 'semilimes-events',
  // Added with version 1: nothing to bring up to date yet.
  steps: [{ version: 1, renames: {} }],
};
