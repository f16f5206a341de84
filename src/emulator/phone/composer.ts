// Writing as the person: text (Enter sends), files, replies, edits, and the typing signal while writing.
import { byId, h } from './dom.js';
import type { ChatService } from './service.js';
import type { ChatPreview, Message } from './types.js';
import { str } from './types.js';

/** The documented typing signal is for people waiting on a message: sent at most this often while writing. */
const TYPING_EVERY_MS = 3000;

export interface ComposerHost {
  service(): ChatService;
  me(): string;
  chat(): ChatPreview | null;
  sent(): void;
  toast(text: string): void;
}

export class Composer {
  private readonly form = byId<HTMLFormElement>('composer');
  private readonly input = byId<HTMLTextAreaElement>('composer-text');
  private readonly attach = byId<HTMLInputElement>('composer-file');
  private readonly banner = byId<HTMLElement>('composer-banner');
  private readonly readOnly = byId<HTMLElement>('composer-readonly');
  private replyTo: Message | null = null;
  private editing: Message | null = null;
  private lastTyping = 0;

  constructor(private readonly host: ComposerHost) {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.send();
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this.send();
      }
      if (event.key === 'Escape') this.reset();
    });
    this.input.addEventListener('input', () => {
      this.grow();
      this.signalTyping();
    });
    this.attach.addEventListener('change', () => void this.sendFiles());
  }

  /** Shown for a chat: channel subscribers read only; `readOnlyText` says why one cannot write. */
  show(chat: ChatPreview, readOnlyText = "Only the channel's owner and editors can post here"): void {
    this.form.hidden = !chat.canPost;
    this.readOnly.hidden = chat.canPost;
    this.readOnly.textContent = readOnlyText;
    this.reset();
  }

  reply(message: Message): void {
    this.editing = null;
    this.replyTo = message;
    this.showBanner('Reply to', message.publisherId === this.host.me() ? 'You' : message.publisherName, message);
    this.input.focus();
  }

  edit(message: Message): void {
    this.replyTo = null;
    this.editing = message;
    this.input.value = str(message.dataComponent, 'text');
    this.grow();
    this.showBanner('Edit message', '', message);
    this.input.focus();
  }

  reset(): void {
    this.replyTo = null;
    this.editing = null;
    this.banner.hidden = true;
    this.banner.textContent = '';
    this.input.value = '';
    this.grow();
  }

  private showBanner(action: string, who: string, message: Message): void {
    const close = h('button', { type: 'button', class: 'banner-close', 'aria-label': 'Cancel' }, '✕');
    close.addEventListener('click', () => this.reset());
    const preview = str(message.dataComponent, 'text') || str(message.dataComponent, 'dataComponentType');
    this.banner.replaceChildren(
      h(
        'div',
        'banner-body',
        h('div', 'banner-title', who ? `${action} ${who}` : action),
        h('div', 'banner-text', preview),
      ),
      close,
    );
    this.banner.hidden = false;
  }

  private grow(): void {
    this.input.style.height = 'auto';
    // A hidden composer has no height to measure: it keeps its natural one.
    if (this.input.scrollHeight > 0) this.input.style.height = `${Math.min(120, this.input.scrollHeight)}px`;
  }

  private signalTyping(): void {
    const chat = this.host.chat();
    if (!chat || this.input.value === '') return;
    const now = Date.now();
    if (now - this.lastTyping < TYPING_EVERY_MS) return;
    this.lastTyping = now;
    this.host
      .service()
      .typing(this.host.me(), chat)
      .catch(() => undefined);
  }

  private async send(): Promise<void> {
    const chat = this.host.chat();
    const text = this.input.value.trim();
    if (!chat || text === '') return;
    const me = this.host.me();
    try {
      const service = this.host.service();
      if (this.editing) await service.edit(me, chat, this.editing, text);
      else await service.send(me, chat, text, this.replyTo);
      this.reset();
      this.lastTyping = 0;
      this.host.sent();
    } catch (err) {
      this.host.toast(`Not sent: ${(err as Error).message}`);
    }
  }

  private async sendFiles(): Promise<void> {
    const chat = this.host.chat();
    const files = Array.from(this.attach.files ?? []);
    this.attach.value = '';
    if (!chat || files.length === 0) return;
    const me = this.host.me();
    try {
      this.host.toast(files.length === 1 ? `Sending ${files[0]?.name ?? 'file'}…` : `Sending ${files.length} files…`);
      await this.host.service().sendFiles(me, chat, files);
      this.host.toast('');
      this.host.sent();
    } catch (err) {
      this.host.toast(`Not sent: ${(err as Error).message}`);
    }
  }
}
