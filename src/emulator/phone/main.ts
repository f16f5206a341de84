// The phone page: pick who you are (a semilimes person, or a SimpleX one when a SimpleX emulator is linked), see
// your chats, open one and talk. The chosen service, person and chat live in the address
// (#service=simplex&person=…&chat=…) so a reload keeps them; conversations refresh by polling the emulators.
import { Composer } from './composer.js';
import { avatar, byId, h } from './dom.js';
import { listTime } from './format.js';
import { MessageList } from './messages.js';
import { semilimesService } from './semilimes-service.js';
import type { ChatService, ServiceName } from './service.js';
import { SimplexPanel } from './simplex-panel.js';
import { simplexService } from './simplex-service.js';
import type { Account, ChatFilter, ChatPreview, Conversation, RenderContext } from './types.js';

const POLL_MS = 800;

function chatKey(chat: ChatFilter): string {
  if ('simplexChat' in chat) return `sx:${chat.simplexChat}`;
  if ('between' in chat) return `p2p:${[...chat.between].sort().join(',')}`;
  if ('groupChatId' in chat) return `group:${chat.groupChatId}`;
  return `channel:${chat.channelId}`;
}

function kindOf(chat: ChatPreview, accounts: Account[], me: string): 'person' | 'group' | 'channel' | 'bot' {
  if (chat.featureType === 'groupchat') return 'group';
  if (chat.featureType === 'channel') return 'channel';
  if (chat.bot) return 'bot';
  const other = 'between' in chat.chat ? chat.chat.between.find((id) => id !== me) : undefined;
  return accounts.find((a) => a.accountId === other)?.role === 'bot' ? 'bot' : 'person';
}

class PhoneApp {
  private service: ChatService = semilimesService;
  private accounts: Account[] = [];
  /** The SimpleX people, when a SimpleX emulator is linked (null: none is). */
  private simplexPeople: Account[] | null = null;
  private me: string | null = null;
  private chats: ChatPreview[] = [];
  private current: ChatPreview | null = null;
  private readonly seen = new Map<string, number>();
  private readonly list: MessageList;
  private readonly composer: Composer;
  private readonly simplex: SimplexPanel;
  private polling = false;
  /** What the composer area shows now (see showComposer). */
  private composerState = '';
  private toastTimer: number | undefined;

  constructor() {
    this.list = new MessageList(byId('messages'), {
      reply: (m) => this.composer.reply(m),
      edit: (m) => this.composer.edit(m),
    });
    this.composer = new Composer({
      service: () => this.service,
      me: () => this.me ?? '',
      chat: () => this.current,
      sent: () => void this.poll(),
      toast: (text) => this.toast(text),
    });
    this.simplex = new SimplexPanel({
      me: () => this.me ?? '',
      opened: (chat) => this.navigate(this.me, chat),
      changed: () => void this.show(),
      toast: (text) => this.toast(text),
    });
    byId('back').addEventListener('click', () => this.navigate(this.me, null));
    byId('switch-person').addEventListener('click', () => this.navigate(null, null));
    window.addEventListener('hashchange', () => void this.show());
  }

  async start(): Promise<void> {
    try {
      this.accounts = await semilimesService.people();
    } catch (err) {
      this.toast(`The emulator does not answer: ${(err as Error).message}`);
      return;
    }
    try {
      this.simplexPeople = (await simplexService.available()) ? await simplexService.people() : null;
    } catch (err) {
      // The semilimes side works without it: the picker just has no SimpleX people.
      this.toast(`The SimpleX emulator does not answer: ${(err as Error).message}`);
    }
    await this.show();
    window.setInterval(() => void this.poll(), POLL_MS);
  }

  private navigate(person: string | null, chat: ChatFilter | null, service: ServiceName = this.service.name): void {
    const params = new URLSearchParams();
    if (person && service === 'simplex') params.set('service', service);
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
    const service = params.get('service') === 'simplex' && this.simplexPeople ? simplexService : semilimesService;
    const people = service === simplexService ? (this.simplexPeople ?? []) : this.accounts;
    const me = people.find((a) => a.accountId === person)?.accountId ?? null;
    if (me !== this.me || service !== this.service) {
      this.me = me;
      this.service = service;
      this.current = null;
      this.seen.clear();
      this.chats = [];
    }
    document.body.dataset.service = this.service.name;
    if (!this.me) return this.showPeople();
    // People may have been added since the page loaded (a contact card can name them).
    const [everyone, chats] = await Promise.all([this.service.people(), this.service.chatList(this.me)]);
    if (this.service === simplexService) this.simplexPeople = everyone;
    else this.accounts = everyone;
    this.chats = chats;
    const wanted = params.get('chat');
    const chat = wanted ? (this.chats.find((c) => chatKey(c.chat) === wanted) ?? this.newChat(wanted)) : undefined;
    if (chat) return this.openConversation(chat);
    this.showChatList();
  }

  /** A p2p chat with someone one has not written to yet (opened from a contact card): empty until the first message. */
  private newChat(key: string): ChatPreview | undefined {
    if (this.service !== semilimesService) return undefined;
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
    const person = (account: Account, service: ServiceName, role: string): HTMLElement => {
      const button = h(
        'button',
        { type: 'button', class: 'person', 'data-service': service },
        avatar(account.accountName, account.role === 'bot' ? 'bot' : 'person'),
        h('span', 'person-name', service === 'simplex' ? `SimpleX: ${account.accountName}` : account.accountName),
        h('span', 'person-role', role),
      );
      button.addEventListener('click', () => this.navigate(account.accountId, null, service));
      return button;
    };
    if (this.simplexPeople) list.appendChild(h('div', 'people-section', 'semilimes'));
    const ordered = [...this.accounts].sort((a, b) => Number(a.role === 'bot') - Number(b.role === 'bot'));
    for (const account of ordered) {
      list.appendChild(
        person(account, 'semilimes', account.role === 'bot' ? 'the account your flows use' : 'semilimes person'),
      );
    }
    if (!this.simplexPeople) return;
    list.appendChild(h('div', 'people-section simplex', 'SimpleX Chat'));
    for (const account of this.simplexPeople)
      list.appendChild(person(account, 'simplex', 'SimpleX person · talks to your SimpleX bot'));
    list.appendChild(
      this.simplex.newPersonForm(async () => {
        this.simplexPeople = await simplexService.people();
        this.showPeople();
      }),
    );
  }

  private myName(): string {
    const people = this.service === simplexService ? (this.simplexPeople ?? []) : this.accounts;
    return people.find((a) => a.accountId === this.me)?.accountName ?? '';
  }

  private showChatList(): void {
    this.current = null;
    this.list.clear();
    this.screen('chats');
    byId('me-avatar').replaceChildren(avatar(this.myName()));
    byId('me-name').textContent = this.myName();
    byId('me-service').textContent = this.service === simplexService ? ' · SimpleX Chat' : '';
    this.renderChatList();
    if (this.service === simplexService) void this.simplex.showConnect(this.chats);
    else this.simplex.hide();
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
      let preview = last ? `${this.author(chat, last.publisherName)}${last.preview}` : kindLabel(chat);
      if (chat.invitedBy) preview = `${chat.invitedBy} invited you · tap to join`;
      else if (chat.connecting) preview = 'connecting…';
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
      this.composerState = '';
      byId('chat-avatar').replaceChildren(avatar(chat.title, kindOf(chat, this.accounts, this.me ?? '')));
      byId('chat-title').textContent = chat.title;
      byId('chat-subtitle').textContent = '';
    }
    this.showComposer(chat);
    await this.poll();
  }

  /**
   * The composer, or why one cannot write (a SimpleX invitation shows its Join button instead), drawn again only
   * when that changes: a contact got connected, a group joined. Typed text survives the polling.
   */
  private showComposer(chat: ChatPreview): void {
    const state = JSON.stringify([chatKey(chat.chat), chat.canPost, chat.invitedBy, chat.connecting]);
    if (state === this.composerState) return;
    this.composerState = state;
    this.composer.show(chat, this.readOnlyText(chat));
    this.simplex.hide();
    if (chat.invitedBy && !chat.canPost) this.simplex.showJoin(chat);
  }

  /** Why one cannot write in a chat, as the service words it. */
  private readOnlyText(chat: ChatPreview): string | undefined {
    // The invitation itself, with its Join button, takes the composer's place.
    if (chat.invitedBy) return '';
    if (chat.connecting) return 'Connecting… you can write once the contact is connected';
    // A SimpleX group one has left or was removed from.
    if ('simplexChat' in chat.chat) return 'You are no longer a member of this group';
    return undefined;
  }

  private context(conversation: Conversation): RenderContext {
    return {
      service: this.service,
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
      const service = this.service;
      if (chat) {
        const conversation = await service.conversation(me, chat);
        if (this.current !== chat || this.me !== me) return;
        if (conversation.canPost && !chat.canPost) {
          // A SimpleX contact got connected, or a group joined: the composer appears.
          chat.canPost = true;
          chat.connecting = false;
          chat.invitedBy = undefined;
        }
        this.showComposer(chat);
        // Chat events (SimpleX's service items) are not messages: the chat list does not count them either.
        this.seen.set(chatKey(chat.chat), conversation.messages.filter((m) => !m.hidden && !m.service).length);
        const typing = conversation.typing;
        const subtitle = byId('chat-subtitle');
        subtitle.textContent = typing.length > 0 ? typingText(typing, chat) : conversation.subtitle;
        subtitle.classList.toggle('typing', typing.length > 0);
        this.list.update(conversation, this.context(conversation));
      } else {
        this.chats = await service.chatList(me);
        if (this.me !== me || this.current || this.service !== service) return;
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
