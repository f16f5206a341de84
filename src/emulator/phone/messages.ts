// The message list of a conversation: bubbles with sender, time, reply quote, edits and reactions, re-rendered
// only when a message changed (so a half-filled form survives the polling), with day separators.
import { colourOf, h } from './dom.js';
import { clock, dayLabel, toDate } from './format.js';
import { dataComponent } from './components.js';
import { formComponent } from './forms.js';
import type { Conversation, Message, RenderContext } from './types.js';
import { str } from './types.js';

/** Kinds of content that need the width of the screen rather than a text bubble. */
const WIDE = new Set([
  'form',
  'gauge',
  'file',
  'appointment',
  'location',
  'webview',
  'channel',
  'tunnel',
  'bucket',
  'contact',
  'formsubmission',
  'html',
]);

/** The looked-up things a message shows, so it is drawn again when one of them changes (and only then). */
function referencesOf(m: Message, ctx: RenderContext): unknown {
  const dc = m.dataComponent;
  const refs = ctx.references;
  switch (str(dc, 'dataComponentType')) {
    case 'file':
      return Array.isArray(dc.fileIds) ? dc.fileIds.map((id) => refs.files[String(id)]) : null;
    case 'channel':
      return refs.channels[str(dc, 'channelId')];
    case 'tunnel':
      return refs.tunnels[str(dc, 'tunnelId')];
    case 'bucket':
      return [refs.buckets[str(dc, 'bucketId')], refs.files];
    case 'contact':
    case 'formsubmission':
      return [refs.accounts, refs.files];
    default:
      return null;
  }
}

export interface MessageActions {
  reply(message: Message): void;
  edit(message: Message): void;
}

/** The centred note of a chat event (encryption, a member joined), not a message anyone wrote. */
function serviceNote(m: Message): HTMLElement {
  const row = h('div', 'service-note', h('span', '', str(m.dataComponent, 'text')));
  row.dataset.messageId = m.messageId;
  return row;
}

export class MessageList {
  private readonly rendered = new Map<string, { sig: string; node: HTMLElement }>();
  private readonly days = new Map<string, HTMLElement>();
  private menu: HTMLElement | null = null;
  /** Whether the reader is at the end of the conversation (then new content keeps it there). */
  private following = true;

  constructor(
    readonly element: HTMLElement,
    private readonly actions: MessageActions,
  ) {
    document.addEventListener('click', (event) => {
      if (this.menu && !this.menu.contains(event.target as Node)) this.closeMenu();
    });
    element.addEventListener('scroll', () => {
      this.following = element.scrollTop + element.clientHeight >= element.scrollHeight - 40;
    });
    // Pictures arrive after their message is laid out: a reader at the end stays at the end.
    element.addEventListener(
      'load',
      () => {
        if (this.following) this.element.scrollTop = this.element.scrollHeight;
      },
      true,
    );
  }

  clear(): void {
    this.rendered.clear();
    this.days.clear();
    this.element.textContent = '';
    this.closeMenu();
  }

  update(conversation: Conversation, ctx: RenderContext): void {
    const atBottom = this.element.scrollTop + this.element.clientHeight >= this.element.scrollHeight - 40;
    const wanted: HTMLElement[] = [];
    let lastDay = '';
    const group = conversation.featureType !== 'p2p';
    let previous: Message | null = null;
    for (const m of conversation.messages) {
      if (m.hidden) continue;
      const day = toDate(m.publishedOn).toDateString();
      if (day !== lastDay) {
        lastDay = day;
        let separator = this.days.get(day);
        if (!separator) {
          separator = h('div', 'day-separator', h('span', '', dayLabel(m.publishedOn)));
          this.days.set(day, separator);
        }
        wanted.push(separator);
        previous = null;
      }
      const continued =
        previous !== null && previous.publisherId === m.publisherId && m.publishedOn - previous.publishedOn < 120;
      const sig = JSON.stringify([
        m.updatedOn,
        m.dataComponent,
        m.messageReactions,
        m.formState,
        m.edited,
        m.deleted,
        continued,
        referencesOf(m, ctx),
      ]);
      const known = this.rendered.get(m.messageId);
      if (known && known.sig === sig) {
        wanted.push(known.node);
      } else {
        const node = m.service ? serviceNote(m) : this.bubble(m, ctx, group && !continued);
        if (known) known.node.replaceWith(node);
        this.rendered.set(m.messageId, { sig, node });
        wanted.push(node);
      }
      previous = m.service ? null : m;
    }
    const current = Array.from(this.element.children);
    const same = current.length === wanted.length && current.every((node, i) => node === wanted[i]);
    const lastBefore = current[current.length - 1];
    if (!same) this.element.replaceChildren(...wanted);
    if (conversation.messages.length === 0)
      this.element.replaceChildren(h('div', 'empty-chat', 'No messages here yet. Say hello 👋'));
    // Follow the conversation when already at its end, on first show, and after one's own new message; someone
    // reading older messages is not pulled down by a new one.
    const newest = conversation.messages.filter((m) => !m.hidden).pop();
    const ownNew = newest !== undefined && newest.publisherId === ctx.me && wanted[wanted.length - 1] !== lastBefore;
    this.following = atBottom || current.length === 0 || ownNew;
    if (this.following) this.element.scrollTop = this.element.scrollHeight;
  }

  private bubble(m: Message, ctx: RenderContext, showSender: boolean): HTMLElement {
    const mine = m.publisherId === ctx.me;
    const type = str(m.dataComponent, 'dataComponentType');
    const bubble = h(
      'div',
      `bubble${WIDE.has(type) && !m.deleted ? ' wide' : ''} type-${type}${m.deleted ? ' deleted' : ''}`,
    );
    bubble.dataset.messageId = m.messageId;
    if (showSender && !mine && ctx.chat.featureType === 'groupchat') {
      const name = h('div', 'sender', m.publisherName);
      name.style.color = colourOf(m.publisherName);
      bubble.appendChild(name);
    }
    if (m.replyTo) {
      const quote = h(
        'div',
        'quote',
        h('div', 'quote-sender', m.replyTo.publisherId === ctx.me ? 'You' : m.replyTo.publisherName),
        h('div', 'quote-text', m.replyTo.preview),
      );
      quote.addEventListener('click', () =>
        this.element
          .querySelector(`[data-message-id="${CSS.escape(m.replyTo?.messageId ?? '')}"]`)
          ?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
      );
      bubble.appendChild(quote);
    }
    if (m.deleted) bubble.appendChild(h('div', 'text deleted-text', '🚫 Message deleted'));
    else bubble.appendChild(type === 'form' ? formComponent(m, ctx) : dataComponent(m.dataComponent, ctx, m));
    bubble.appendChild(
      h(
        'div',
        'meta',
        m.edited ? h('span', 'edited', 'edited') : null,
        h('time', { datetime: toDate(m.publishedOn).toISOString() }, clock(m.publishedOn)),
        mine ? h('span', 'ticks', '✓✓') : null,
      ),
    );

    const more = h(
      'button',
      { type: 'button', class: 'more-button', 'aria-label': 'Message actions', title: 'React, reply' },
      '⌄',
    );
    more.addEventListener('click', (event) => {
      event.stopPropagation();
      this.openMenu(m, ctx, bubble);
    });
    if (!m.deleted) bubble.appendChild(more);

    const row = h('div', `msg-row ${mine ? 'mine' : 'theirs'}`, bubble);
    row.dataset.messageId = m.messageId;
    const reactions = Object.entries(m.messageReactions).filter(([, who]) => who.length > 0);
    if (reactions.length > 0) {
      const chips = h('div', 'reactions');
      for (const [reaction, who] of reactions) {
        const reacted = who.includes(ctx.me);
        const names = who.map((id) => (id === ctx.me ? 'You' : (ctx.references.accounts[id] ?? 'someone'))).join(', ');
        const chip = h(
          'button',
          {
            type: 'button',
            class: `reaction${reacted ? ' reacted' : ''}`,
            title: names,
            'aria-label': `${reaction} by ${names}`,
          },
          reaction,
          who.length > 1 ? h('span', 'count', String(who.length)) : null,
        );
        chip.addEventListener('click', () => this.react(m, ctx, reaction, reacted));
        chips.appendChild(chip);
      }
      row.appendChild(chips);
    }
    return row;
  }

  private react(m: Message, ctx: RenderContext, reaction: string, remove: boolean): void {
    ctx.service.react(ctx.me, ctx.chat, m, reaction, remove).then(
      () => ctx.refresh(),
      (err: Error) => ctx.toast(err.message),
    );
  }

  private openMenu(m: Message, ctx: RenderContext, bubble: HTMLElement): void {
    this.closeMenu();
    const mine = m.publisherId === ctx.me;
    const row = h('div', 'menu-reactions');
    for (const reaction of ctx.service.reactions) {
      const reacted = (m.messageReactions[reaction] ?? []).includes(ctx.me);
      const button = h(
        'button',
        { type: 'button', class: `menu-reaction${reacted ? ' reacted' : ''}`, 'aria-label': `React ${reaction}` },
        reaction,
      );
      button.addEventListener('click', () => {
        this.closeMenu();
        this.react(m, ctx, reaction, reacted);
      });
      row.appendChild(button);
    }
    const menu = h('div', 'message-menu', row);
    const item = (label: string, action: () => void): void => {
      const button = h('button', { type: 'button', class: 'menu-item' }, label);
      button.addEventListener('click', () => {
        this.closeMenu();
        action();
      });
      menu.appendChild(button);
    };
    if (ctx.chat.canPost) item('↩ Reply', () => this.actions.reply(m));
    if (mine && str(m.dataComponent, 'dataComponentType') === 'text') item('✏️ Edit', () => this.actions.edit(m));
    if (str(m.dataComponent, 'dataComponentType') === 'text') {
      item(
        '⧉ Copy text',
        () => void navigator.clipboard?.writeText(str(m.dataComponent, 'text')).then(() => ctx.toast('Copied')),
      );
    }
    if (mine && ctx.service.canDelete) {
      item('🗑 Delete for everyone', () =>
        ctx.service.remove(ctx.me, ctx.chat, m).then(
          () => ctx.refresh(),
          (err: Error) => ctx.toast(err.message),
        ),
      );
    }
    bubble.appendChild(menu);
    this.menu = menu;
  }

  private closeMenu(): void {
    this.menu?.remove();
    this.menu = null;
  }
}
