import type { Migration } from './migrate';

export const SEND_MIGRATION: Migration = {
  type: 'semilimes-send',
  steps: [
    {
      // 0.1.0 named the chat kind "destinationType" and the id's typed-input type "destinationTypeInput", which read
      // as if one were the other's type; the message id setting was "messageIdProp" although it can be any value.
      version: 1,
      renames: {
        destinationType: 'chatKind',
        destination: 'chatId',
        destinationTypeInput: 'chatIdType',
        messageIdProp: 'messageId',
      },
    },
  ],
};
