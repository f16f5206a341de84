import type { Migration } from './migrate';

export const FILE_MIGRATION: Migration = {
  type: 'semilimes-file',
  steps: [
    {
      // 0.1.0 named the file a download is saved to "path", beside "filename", which is a path too; `folder` is new
      // in this version, and nodes saved without it read as blank (any path, as 0.1.0 allowed).
      version: 1,
      renames: {
        path: 'saveTo',
        pathType: 'saveToType',
      },
    },
  ],
};
