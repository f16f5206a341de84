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
    {
      // Per-message settings: silent became a typed input (its saved true / false stays, read as a boolean), and the
      // request timeout and the reaction's messageRefName were added, empty (the account's timeout, no refName).
      version: 2,
      renames: {},
      defaults: { silentType: 'bool', timeout: '', timeoutType: 'num', messageRefName: '', messageRefNameType: 'str' },
    },
  ],
};
