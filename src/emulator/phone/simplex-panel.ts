// What only SimpleX has on the page: connecting to an address (the bot's, shown with a Connect button), joining a
// group one is invited to, and adding a person to the SimpleX emulator.
import { byId, h } from './dom.js';
import { simplexService } from './simplex-service.js';
import type { ChatFilter, ChatPreview } from './types.js';

export interface SimplexPanelHost {
  me(): string;
  /** Opens a chat (the new contact after connecting, the group after joining). */
  opened(chat: ChatFilter): void;
  /** Something changed that the current screen shows. */
  changed(): void;
  toast(text: string): void;
}

export class SimplexPanel {
  private readonly connectBox = byId<HTMLElement>('sx-connect');
  private readonly joinBox = byId<HTMLElement>('sx-join');
  /** Whether the person opened the connect card themselves (it is always open while no bot is a contact). */
  private expanded = false;

  constructor(private readonly host: SimplexPanelHost) {}

  hide(): void {
    this.connectBox.hidden = true;
    this.connectBox.textContent = '';
    this.joinBox.hidden = true;
    this.joinBox.textContent = '';
  }

  /** The connect card above the chat list: open while the person has no bot contact, a "+" row otherwise. */
  async showConnect(chats: ChatPreview[]): Promise<void> {
    const hasBot = chats.some((c) => c.bot);
    if (hasBot && !this.expanded) {
      const open = h('button', { type: 'button', class: 'sx-connect-open' }, '+ Connect via a SimpleX address');
      open.addEventListener('click', () => {
        this.expanded = true;
        void this.showConnect(chats);
      });
      this.connectBox.replaceChildren(open);
      this.connectBox.hidden = false;
      return;
    }
    let address = '';
    try {
      address = (await simplexService.address()).connShortLink;
    } catch {
      // The bot has no address yet (its flow creates one when it starts): a link can still be pasted.
    }
    // A text area, so the whole address shows (as the app shows a link before connecting).
    const input = h(
      'textarea',
      {
        class: 'sx-link',
        rows: 2,
        placeholder: 'https://smp…/a#…',
        'aria-label': 'SimpleX address',
        autocomplete: 'off',
        spellcheck: 'false',
      },
      address,
    );
    const connect = h('button', { type: 'submit', class: 'submit-button sx-connect-button' }, 'Connect');
    const form = h(
      'form',
      'sx-connect-card',
      h('div', 'sx-connect-title', hasBot ? 'Connect via a SimpleX address' : 'Connect to the bot'),
      h(
        'div',
        'field-hint',
        address
          ? "The bot's address (what its QR code holds). Paste another address to connect elsewhere."
          : 'The bot has no address yet. Paste a SimpleX address.',
      ),
      input,
      h('div', 'sx-connect-actions', connect),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.connect(input.value.trim(), connect);
    });
    this.connectBox.replaceChildren(form);
    this.connectBox.hidden = false;
  }

  private async connect(link: string, button: HTMLButtonElement): Promise<void> {
    if (link === '') return this.host.toast('Paste a SimpleX address first');
    const me = this.host.me();
    button.disabled = true;
    try {
      const before = new Set((await simplexService.chatList(me)).map((c) => JSON.stringify(c.chat)));
      await simplexService.connect(me, link);
      this.expanded = false;
      const after = await simplexService.chatList(me);
      const fresh = after.find((c) => !before.has(JSON.stringify(c.chat)));
      if (fresh) this.host.opened(fresh.chat);
      else this.host.changed();
    } catch (err) {
      this.host.toast(`Not connected: ${(err as Error).message}`);
    } finally {
      button.disabled = false;
    }
  }

  /** In a group one is invited to: who invited, and the Join button. */
  showJoin(chat: ChatPreview): void {
    const join = h('button', { type: 'button', class: 'submit-button sx-join-button' }, 'Join group');
    join.addEventListener('click', () => {
      join.disabled = true;
      simplexService.join(this.host.me(), chat).then(
        () => {
          this.host.toast(`You joined ${chat.title}`);
          this.host.changed();
        },
        (err: Error) => {
          join.disabled = false;
          this.host.toast(`Not joined: ${err.message}`);
        },
      );
    });
    this.joinBox.replaceChildren(
      h('div', 'sx-join-text', `${chat.invitedBy ?? 'Someone'} invited you to join ${chat.title}`),
      join,
    );
    this.joinBox.hidden = false;
  }

  /** The people screen's form to add a SimpleX person (a new device, not connected to anyone yet). */
  newPersonForm(added: () => Promise<void>): HTMLElement {
    const input = h('input', {
      type: 'text',
      class: 'sx-person-name',
      placeholder: 'New SimpleX person, e.g. Carol',
      'aria-label': 'Name of a new SimpleX person',
      autocomplete: 'off',
    });
    const add = h('button', { type: 'submit', class: 'bar-button sx-person-add' }, 'Add');
    const form = h('form', 'sx-new-person', input, add);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = input.value.trim();
      if (name === '') return;
      simplexService
        .addPerson(name)
        .then(added)
        .catch((err: Error) => this.host.toast(`Not added: ${err.message}`));
    });
    return form;
  }
}
