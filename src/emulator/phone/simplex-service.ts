// The SimpleX CLI emulator as a chat service of the page. Its control API is reached through the semilimes
// emulator's server (/_emulator/simplex/...), which passes the calls on. A person is a device of the SimpleX
// emulator, named by its display name; a chat is the CLI's reference (`@3` for a contact, `#2` for a group).
import { jsonCall } from './api.js';
import type { ChatService } from './service.js';
import type { Account, ChatPreview, Conversation, FileInfo, JsonObject, Message } from './types.js';

const BASE = '/_emulator/simplex';

/** The eight reactions the SimpleX CLI accepts. */
export const SIMPLEX_REACTIONS = ['👍', '👎', '😀', '😂', '😢', '❤', '🚀', '✅'] as const;

/** A picture's preview travels inside the message, which must stay under the CLI's 15,602-byte limit. */
const PREVIEW_MAX_PX = 192;
const PREVIEW_MAX_CHARS = 9000;

interface SxDevice {
  name: string;
  bot: boolean;
  user: { displayName: string } | null;
}

interface SxQuote {
  itemId: number | null;
  mine: boolean;
  sender: string | null;
  text: string | null;
  contentType: string | null;
}

interface SxItem {
  itemId: number;
  chatKey: string;
  direction: 'snd' | 'rcv';
  sender: string | null;
  senderId: string;
  contentType: string;
  text: string | null;
  msgContent: { type?: string; text?: string; image?: string } | null;
  file: { fileId: number; fileName: string; fileSize: number; status: string } | null;
  quote: SxQuote | null;
  serviceEvent: string | null;
  reactionCounts: { reaction: { emoji: string }; totalReacted: number; userReacted: boolean; by: string[] }[];
  edited: boolean;
  deleted: boolean;
  itemTs: string;
}

interface SxChat {
  chat: string;
  type: 'direct' | 'group';
  name: string;
  bot: boolean;
  ready: boolean;
  status: string;
  invitedBy?: string | null;
  members?: number;
  messageCount: number;
  lastItem: SxItem | null;
}

function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  return jsonCall<T>(method, BASE + path, body);
}

const q = encodeURIComponent;

function chatRef(chat: ChatPreview): string {
  if (!('simplexChat' in chat.chat)) throw new Error('not a SimpleX chat');
  return chat.chat.simplexChat;
}

function epoch(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/** The text of a chat event, as the SimpleX app writes it in the middle of the chat. */
function serviceText(item: SxItem): string {
  switch (item.contentType) {
    case 'rcvDirectE2EEInfo':
    case 'sndDirectE2EEInfo':
    case 'rcvGroupE2EEInfo':
    case 'sndGroupE2EEInfo':
      return '🔒 Messages are end-to-end encrypted';
    default:
      break;
  }
  const who = item.sender ?? 'Someone';
  switch (item.serviceEvent) {
    case 'memberConnected':
      return `${who} connected`;
    case 'memberLeft':
      return `${who} left`;
    case 'memberAdded':
      return `${who} added a member`;
    case 'memberRole':
      return `${who} changed a role`;
    case 'memberDeleted':
      return `${who} removed a member`;
    case 'groupUpdated':
      return `${who} updated the group`;
    default:
      return item.serviceEvent ?? item.contentType;
  }
}

function preview(item: SxItem | null): string {
  if (!item) return '';
  if (item.deleted) return 'Message deleted';
  if (!item.msgContent) return serviceText(item);
  const text = item.msgContent.text ?? '';
  if (item.file) return `${item.msgContent.type === 'image' ? '📷' : '📎'} ${text || item.file.fileName}`;
  return text;
}

/** A SimpleX chat item as the page's message: text, or a file component (with its caption) for files. */
function toMessage(item: SxItem, me: string, files: Record<string, FileInfo>): Message {
  const publishedOn = epoch(item.itemTs);
  let dataComponent: JsonObject;
  if (item.file && !item.deleted) {
    const id = String(item.file.fileId);
    files[id] = {
      fileId: id,
      title: item.file.fileName,
      size: item.file.fileSize,
      contentType: contentTypeOf(item.file.fileName),
    };
    dataComponent = { dataComponentType: 'file', fileIds: [id], text: item.msgContent?.text ?? '' };
  } else {
    const text = item.deleted ? 'Message deleted' : item.msgContent ? (item.msgContent.text ?? '') : serviceText(item);
    dataComponent = { dataComponentType: 'text', text };
  }
  const reactions: Record<string, string[]> = {};
  for (const r of item.reactionCounts) reactions[r.reaction.emoji] = r.by;
  const quote = item.quote;
  return {
    messageId: String(item.itemId),
    publisherId: item.direction === 'snd' ? me : item.senderId,
    publisherName: item.direction === 'snd' ? me : (item.sender ?? ''),
    publishedOn,
    updatedOn: publishedOn,
    edited: item.edited,
    dataComponent,
    messageReactions: reactions,
    replyTo: quote
      ? {
          messageId: String(quote.itemId ?? ''),
          publisherId: quote.mine ? me : (quote.sender ?? ''),
          publisherName: quote.sender ?? '',
          preview: quote.text || (quote.contentType === 'image' ? '📷 Photo' : '📎 File'),
        }
      : null,
    hidden: false,
    deleted: item.deleted,
    service: !item.msgContent && !item.deleted,
  };
}

function toPreview(chat: SxChat): ChatPreview {
  const last = chat.lastItem;
  return {
    featureType: chat.type === 'group' ? 'groupchat' : 'p2p',
    title: chat.name,
    chat: { simplexChat: chat.chat },
    canPost: chat.ready,
    messageCount: chat.messageCount,
    last: last ? { publisherName: last.sender ?? '', preview: preview(last), publishedOn: epoch(last.itemTs) } : null,
    bot: chat.bot,
    invitedBy: chat.status === 'invited' ? (chat.invitedBy ?? 'someone') : undefined,
    connecting: chat.type === 'direct' && !chat.ready,
  };
}

/** Bytes as base64, in slices so a large file does not overflow the argument list. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A small JPEG of a picture, sent inside an image message as the SimpleX app does; null when it cannot be read. */
async function imagePreview(file: File): Promise<string | null> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PREVIEW_MAX_PX / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.7, 0.5, 0.3]) {
      const url = canvas.toDataURL('image/jpeg', quality);
      if (url.length <= PREVIEW_MAX_CHARS) return url;
    }
    return null;
  } catch {
    return null;
  }
}

export const simplexService: ChatService & {
  address(): Promise<{ connShortLink: string; connFullLink: string }>;
  connect(me: string, link: string): Promise<void>;
  join(me: string, chat: ChatPreview): Promise<void>;
  addPerson(name: string): Promise<void>;
  available(): Promise<boolean>;
} = {
  name: 'simplex',
  label: 'SimpleX Chat',
  reactions: SIMPLEX_REACTIONS,
  canDelete: true,

  async available() {
    const services = await fetch('/_emulator/services')
      .then((res) => res.json() as Promise<{ simplex?: boolean }>)
      .catch(() => null);
    return services?.simplex === true;
  },
  async people(): Promise<Account[]> {
    const devices = await call<SxDevice[]>('GET', '/devices');
    return devices
      .filter((d) => !d.bot && d.user)
      .map((d) => ({ accountId: d.name, accountName: d.user?.displayName ?? d.name, role: 'user' }));
  },
  async chatList(me) {
    return (await call<SxChat[]>('GET', `/chats?person=${q(me)}`)).map(toPreview);
  },
  async conversation(me, chat): Promise<Conversation> {
    const ref = chatRef(chat);
    const [items, chats] = await Promise.all([
      call<SxItem[]>('GET', `/messages?person=${q(me)}&chat=${q(ref)}`),
      call<SxChat[]>('GET', `/chats?person=${q(me)}`),
    ]);
    const info = chats.find((c) => c.chat === ref);
    const files: Record<string, FileInfo> = {};
    const accounts: Record<string, string> = {};
    const messages = items.map((item) => toMessage(item, me, files));
    for (const m of messages) accounts[m.publisherId] = m.publisherName;
    for (const m of messages) for (const who of Object.values(m.messageReactions).flat()) accounts[who] = who;
    let subtitle = 'end-to-end encrypted';
    if (info?.type === 'group') subtitle = info.status === 'invited' ? 'invitation' : `${info.members ?? 0} members`;
    else if (info && !info.ready) subtitle = 'connecting…';
    else if (info?.bot) subtitle = 'bot · end-to-end encrypted';
    return {
      featureType: chat.featureType,
      title: info?.name ?? chat.title,
      subtitle,
      canPost: info?.ready ?? false,
      typing: [],
      messages,
      references: { accounts, files, channels: {}, tunnels: {}, buckets: {} },
    };
  },
  async send(me, chat, text, replyTo) {
    const quotedItemId = replyTo ? Number(replyTo.messageId) : undefined;
    await call('POST', '/send', { from: me, chat: chatRef(chat), text, quotedItemId });
  },
  async edit(me, chat, message, text) {
    await call('POST', '/edit', { person: me, chat: chatRef(chat), itemId: Number(message.messageId), text });
  },
  async remove(me, chat, message) {
    await call('POST', '/delete', { person: me, chat: chatRef(chat), itemId: Number(message.messageId) });
  },
  async react(me, chat, message, reaction, remove) {
    const itemId = Number(message.messageId);
    await call('POST', '/react', { person: me, chat: chatRef(chat), itemId, emoji: reaction, add: !remove });
  },
  async sendFiles(me, chat, files) {
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const image = file.type.startsWith('image/') ? await imagePreview(file) : null;
      const content = image ? { type: 'image', text: '', image } : undefined;
      await call('POST', '/send', {
        from: me,
        chat: chatRef(chat),
        content,
        file: { name: file.name, base64: base64(bytes) },
      });
    }
  },
  typing: () => Promise.resolve(),
  fileUrl(me, fileId, download) {
    return `${BASE}/file?person=${q(me)}&fileId=${q(fileId)}${download ? '&download=1' : ''}`;
  },
  async address() {
    return call('GET', '/address');
  },
  async connect(me, link) {
    await call('POST', '/connect', { person: me, link });
  },
  async join(me, chat) {
    await call('POST', '/join', { person: me, chat: chatRef(chat) });
  },
  async addPerson(name) {
    await call('POST', '/people', { name });
  },
};
