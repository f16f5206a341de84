// The phone page: pick who you are, see your chats, open one and talk. The chosen person and chat live in the
// address (#person=…&chat=…) so a reload keeps them; conversations refresh by polling the emulator.
import { api } from './api.js';
import { Composer } from './composer.js';
import { avatar, byId, h } from './dom.js';
import { listTime } from './format.js';
import { MessageList } from './messages.js';
import type { Account, ChatFilter, ChatPreview, Conversation, RenderContext } from './types.js';

const POLL_MS = 800;

function chatKey(chat: ChatFilter): string {
  if ('between' in chat) return `p2p:${[...chat.between].sort().join(',')}`;
  if ('groupChatId' in chat) return `group:${chat.groupChatId}`;
  return `channel:${chat.channelId}`;
}

function kindOf(chat: ChatPreview, accounts: Account[], me: string): 'person' | 'group' | 'channel' | 'bot' {
  if (chat.featureType === 'groupchat') return 'group';
  if (chat.featureType === 'channel') return 'channel';
  const other = 'between' in chat.chat ? chat.chat.between.find((id) => id !== me) : undefined;
  return accounts.find((a) => a.accountId === other)?.role === 'bot' ? 'bot' : 'person';
}

class PhoneApp {
  private accounts: Account[] = [];
  private me: string | null = null;
  private chats: ChatPreview[] = [];
  private current: ChatPreview | null = null;
  private readonly seen = new Map<string, number>();
  private readonly list: MessageList;
  private readonly composer: Composer;
  private polling = false;
  private toastTimer: number | undefined;

  constructor() {
    this.list = new MessageList(byId('messages'), {
      reply: (m) => this.composer.reply(m),
      edit: (m) => this.composer.edit(m),
    });
    this.composer = new Composer({
      me: () => this.me ?? '',
      chat: () => this.current,
      sent: () => void this.poll(),
      toast: (text) => this.toast(text),
    });
    byId('back').addEventListener('click', () => this.navigate(this.me, null));
    byId('switch-person').addEventListener('click', () => this.navigate(null, null));
    window.addEventListener('hashchange', () => void this.show());
  }

  async start(): Promise<void> {
    try {
      this.accounts = await api.accounts();
    } catch (err) {
      this.toast(`The emulator does not answer: ${(err as Error).message}`);
      return;
    }
    await this.show();
    window.setInterval(() => void this.poll(), POLL_MS);
  }

  private navigate(person: string | null, chat: ChatFilter | null): void {
    const params = new URLSearchParams();
    if (person) params.set('person', person);
    if (person && chat) params.set('chat', chatKey(chat));
    const hash = params.toString();
    if (location.hash.slice(1) === hash) void this.show();
    else location.hash = hash;
  }

  /** Shows the screen the address names; a failure is told, never left as a rejected promise. */
  private async show(): Promise<void> {
    try {
      await this.route();
    } catch (err) {
      this.toast(`Cannot reach the emulator: ${(err as Error).message}`);
    }
  }

  private async route(): Promise<void> {
    const params = new URLSearchParams(location.hash.slice(1));
    const person = params.get('person');
    const me = this.accounts.find((a) => a.accountId === person)?.accountId ?? null;
    if (me !== this.me) {
      this.me = me;
      this.seen.clear();
      this.chats = [];
    }
    if (!this.me) return this.showPeople();
    // People may have been added since the page loaded (a contact card can name them).
    [this.accounts, this.chats] = await Promise.all([api.accounts(), api.chatList(this.me)]);
    const wanted = params.get('chat');
    const chat = wanted ? (this.chats.find((c) => chatKey(c.chat) === wanted) ?? this.newChat(wanted)) : undefined;
    if (chat) return this.openConversation(chat);
    this.showChatList();
  }

  /** A p2p chat with someone one has not written to yet (opened from a contact card): empty until the first message. */
  private newChat(key: string): ChatPreview | undefined {
    const me = this.me;
    const ids = key.startsWith('p2p:') ? key.slice(4).split(',') : [];
    const other = ids.find((id) => id !== me);
    const account = this.accounts.find((a) => a.accountId === other);
    if (!me || ids.length !== 2 || !ids.includes(me) || !account) return undefined;
    return {
      featureType: 'p2p',
      title: account.accountName,
      chat: { between: [me, account.accountId] },
      canPost: true,
      messageCount: 0,
      last: null,
    };
  }

  private screen(name: 'people' | 'chats' | 'conversation'): void {
    for (const id of ['people', 'chats', 'conversation']) byId(`screen-${id}`).hidden = id !== name;
    document.body.dataset.screen = name;
  }

  private showPeople(): void {
    this.current = null;
    this.screen('people');
    const list = byId('people-list');
    list.textContent = '';
    const ordered = [...this.accounts].sort((a, b) => Number(a.role === 'bot') - Number(b.role === 'bot'));
    for (const account of ordered) {
      const button = h(
        'button',
        { type: 'button', class: 'person' },
        avatar(account.accountName, account.role === 'bot' ? 'bot' : 'person'),
        h('span', 'person-name', account.accountName),
        h('span', 'person-role', account.role === 'bot' ? 'the account your flows use' : 'person'),
      );
      button.addEventListener('click', () => this.navigate(account.accountId, null));
      list.appendChild(button);
    }
  }

  private myName(): string {
    return this.accounts.find((a) => a.accountId === this.me)?.accountName ?? '';
  }

  private showChatList(): void {
    this.current = null;
    this.list.clear();
    this.screen('chats');
    byId('me-avatar').replaceChildren(avatar(this.myName()));
    byId('me-name').textContent = this.myName();
    this.renderChatList();
  }

  /** "You: " before one's own last message, the sender's name in group chats and channels, nothing otherwise. */
  private author(chat: ChatPreview, publisherName: string): string {
    if (publisherName === this.myName()) return 'You: ';
    return chat.featureType === 'p2p' ? '' : `${publisherName}: `;
  }

  private renderChatList(): void {
    const list = byId('chat-list');
    const ordered = [...this.chats].sort((a, b) => (b.last?.publishedOn ?? 0) - (a.last?.publishedOn ?? 0));
    const rows = ordered.map((chat) => {
      const key = chatKey(chat.chat);
      const unread = Math.max(0, chat.messageCount - (this.seen.get(key) ?? 0));
      const last = chat.last;
      const preview = last ? `${this.author(chat, last.publisherName)}${last.preview}` : kindLabel(chat);
      const row = h(
        'button',
        { type: 'button', class: `chat-row${unread > 0 ? ' unread' : ''}`, 'data-chat': key },
        avatar(chat.title, kindOf(chat, this.accounts, this.me ?? '')),
        h('span', 'chat-main', h('span', 'chat-title', chat.title), h('span', 'chat-preview', preview)),
        h(
          'span',
          'chat-side',
          h('span', 'chat-time', last ? listTime(last.publishedOn) : ''),
          unread > 0 ? h('span', 'badge', String(unread)) : null,
        ),
      );
      row.addEventListener('click', () => this.navigate(this.me, chat.chat));
      return row;
    });
    list.replaceChildren(...rows);
  }

  private async openConversation(chat: ChatPreview): Promise<void> {
    const changed = !this.current || chatKey(this.current.chat) !== chatKey(chat.chat);
    this.current = chat;
    this.screen('conversation');
    if (changed) {
      this.list.clear();
      this.composer.show(chat);
      byId('chat-avatar').replaceChildren(avatar(chat.title, kindOf(chat, this.accounts, this.me ?? '')));
      byId('chat-title').textContent = chat.title;
      byId('chat-subtitle').textContent = '';
    }
    await this.poll();
  }

  private context(conversation: Conversation): RenderContext {
    return {
      me: this.me ?? '',
      chat: this.current as ChatPreview,
      references: conversation.references,
      chats: this.chats,
      accounts: this.accounts,
      openChat: (chat) => {
        // A chat not in the list yet (a new contact) opens once it exists; the list is refreshed on the way.
        this.navigate(this.me, chat);
      },
      refresh: () => void this.poll(),
      toast: (text) => this.toast(text),
    };
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.me) return;
    this.polling = true;
    const me = this.me;
    try {
      const chat = this.current;
      if (chat) {
        const conversation = await api.conversation(me, chat.chat);
        if (this.current !== chat || this.me !== me) return;
        this.seen.set(chatKey(chat.chat), conversation.messages.filter((m) => !m.hidden).length);
        const typing = conversation.typing;
        const subtitle = byId('chat-subtitle');
        subtitle.textContent = typing.length > 0 ? typingText(typing, chat) : conversation.subtitle;
        subtitle.classList.toggle('typing', typing.length > 0);
        this.list.update(conversation, this.context(conversation));
      } else {
        this.chats = await api.chatList(me);
        if (this.me !== me || this.current) return;
        this.renderChatList();
      }
    } catch (err) {
      this.toast(`Cannot reach the emulator: ${(err as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** A short notice above the composer; an empty text takes the current one away. */
  toast(text: string): void {
    const node = byId('toast');
    if (text === '') {
      node.hidden = true;
      return;
    }
    node.textContent = text;
    node.hidden = false;
    window.clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => (node.hidden = true), 3500);
  }
}

/** "typing…" in a chat with one person, "Bob is typing…" where several people write. */
function typingText(names: string[], chat: ChatPreview): string {
  if (chat.featureType === 'p2p') return 'typing…';
  return `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

function kindLabel(chat: ChatPreview): string {
  if (chat.featureType === 'groupchat') return 'Group chat';
  if (chat.featureType === 'channel') return chat.canPost ? 'Channel' : 'Channel · you are subscribed';
  return 'Tap to write';
}

void new PhoneApp().start();
