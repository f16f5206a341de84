import type { Migration } from './migrate';

export const FORM_MIGRATION: Migration = {
  type: 'semilimes-form',
  steps: [
    {
      // 0.1.0 named the kind of receiver "receiverType" and the id's typed-input type "receiverInputType".
      version: 1,
      renames: {
        receiverType: 'receiverKind',
        receiver: 'receiverId',
        receiverInputType: 'receiverIdType',
      },
    },
  ],
};
