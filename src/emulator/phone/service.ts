// A chat service the page can act in: the semilimes emulator or the SimpleX CLI emulator. The screens, bubbles,
// chat list and composer are the same for both; only these calls differ.
import type { Account, ChatPreview, Conversation, Message } from './types.js';

export type ServiceName = 'semilimes' | 'simplex';

export interface ChatService {
  readonly name: ServiceName;
  /** Shown under the person's name and in the picker. */
  readonly label: string;
  /** The reactions offered on a message (each service has its own set). */
  readonly reactions: readonly string[];
  /** Whether one can delete one's own messages for everyone. */
  readonly canDelete: boolean;
  people(): Promise<Account[]>;
  chatList(me: string): Promise<ChatPreview[]>;
  conversation(me: string, chat: ChatPreview): Promise<Conversation>;
  /** Sends text, quoting `replyTo` when given. */
  send(me: string, chat: ChatPreview, text: string, replyTo: Message | null): Promise<void>;
  edit(me: string, chat: ChatPreview, message: Message, text: string): Promise<void>;
  remove(me: string, chat: ChatPreview, message: Message): Promise<void>;
  react(me: string, chat: ChatPreview, message: Message, reaction: string, remove: boolean): Promise<void>;
  sendFiles(me: string, chat: ChatPreview, files: File[]): Promise<void>;
  /** The "is typing" signal, where the service has one. */
  typing(me: string, chat: ChatPreview): Promise<void>;
  /** Where a file of a message is shown (`download` false) or saved from. */
  fileUrl(me: string, fileId: string, download: boolean): string;
}
