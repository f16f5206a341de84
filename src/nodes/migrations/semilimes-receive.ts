import type { Migration } from './migrate';

export const RECEIVE_MIGRATION: Migration = {
  type: 'semilimes-receive',
  steps: [
    // Version 1 is the first release that records versions; its property names were already those of 0.1.0.
    { version: 1, renames: {} },
    // The loop guard: nodes saved before it get it on too, since an echo of the account's own message is never wanted.
    // The chat and sender lists became typed inputs (saved lists are fixed lists); the strangers' output is off.
    {
      version: 2,
      renames: {},
      defaults: { ignoreOwn: true, chatIdsType: 'str', senderIdsType: 'str', strangers: false },
    },
  ],
};
