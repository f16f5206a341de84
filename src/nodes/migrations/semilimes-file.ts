import type { Migration } from './migrate';

export const FILE_MIGRATION: Migration = {
  type: 'semilimes-file',
  // Version 1 is the first release that records versions; it keeps 0.1.0's names and adds `folder`, which nodes
  // saved without it read as blank (any path, as 0.1.0 allowed).
  steps: [{ version: 1, renames: {} }],
};
