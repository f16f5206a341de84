// The semilimes emulator as a chat service of the page (its control API under /_emulator/).
import { api, fileUrl } from './api.js';
import type { ChatService } from './service.js';

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

export const semilimesService: ChatService = {
  name: 'semilimes',
  label: 'semilimes',
  reactions: QUICK_REACTIONS,
  canDelete: false,
  people: () => api.accounts(),
  chatList: (me) => api.chatList(me),
  conversation: (me, chat) => api.conversation(me, chat.chat),
  async send(me, chat, text, replyTo) {
    if (replyTo) await api.reply(me, replyTo.messageId, text);
    else await api.send(me, chat.chat, { dataComponentType: 'text', text });
  },
  async edit(me, _chat, message, text) {
    await api.edit(me, message.messageId, { dataComponentType: 'text', text });
  },
  remove: () => Promise.reject(new Error('semilimes messages cannot be deleted here')),
  async react(me, _chat, message, reaction, remove) {
    await api.react(me, message.messageId, reaction, remove);
  },
  async sendFiles(me, chat, files) {
    const uploaded = await Promise.all(files.map((f) => api.upload(me, f)));
    await api.send(me, chat.chat, { dataComponentType: 'file', fileIds: uploaded.map((u) => u.fileId) });
  },
  async typing(me, chat) {
    if (chat.featureType !== 'channel') await api.typing(me, chat.chat);
  },
  fileUrl: (_me, fileId, download) => fileUrl(fileId, download),
};
