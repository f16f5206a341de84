// The control API's operations: act as the people (Alice, Bob...) talking to the bot, read what they received, and
// inject faults into the bot's CLI. Every action of a person runs a real CLI command on that person's device, so
// it goes through the same grammar and relay as the bot's own commands.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execute } from './commands';
import type { ChatUser, Device } from './device';
import { WIRE_DIALECTS, WireDialect } from './faults';
import { findFileItem } from './files';
import { isObject, Json } from './json';
import { createdConnLink, linkIdOf } from './links';
import { ItemState } from './state';
import type { SimplexEmulator } from './emulator';
import type { ConnectionSummary } from './ws-server';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function bad(message: string): ControlError {
  return new ControlError(400, message);
}

function str(body: Json, field: string, required: true): string;
function str(body: Json, field: string, required?: false): string | undefined;
function str(body: Json, field: string, required = false): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (required) throw bad(`${field} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw bad(`${field} must be a string`);
  return value;
}

function int(body: Json, field: string, min = 0): number | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw bad(`${field} must be an integer >= ${min}`);
  return n;
}

export async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

export class SimplexControl {
  constructor(private readonly emu: SimplexEmulator) {}

  // ---- lookups ----

  device(name: string | undefined): Device {
    if (!name || name === 'bot') return this.emu.bot;
    const device = this.emu.relay.deviceByName(name);
    if (!device) throw new ControlError(404, `no device named "${name}"`);
    return device;
  }

  person(name: string | undefined): ChatUser {
    if (!name) throw bad('person is required');
    const u = this.device(name).activeUser();
    if (!u) throw new ControlError(409, `"${name}" has no user profile`);
    return u;
  }

  /** A person's contact by its name, the peer device's name, or "bot". */
  private contactKey(u: ChatUser, to: string): string {
    for (const c of u.contacts.values()) {
      if (c.contactStatus !== 'active') continue;
      const peerDevice = c.peer?.user.device;
      const match =
        c.localDisplayName.toLowerCase() === to.toLowerCase() ||
        peerDevice?.name.toLowerCase() === to.toLowerCase() ||
        (to === 'bot' && peerDevice === this.emu.bot) ||
        String(c.contactId) === to;
      if (match) return `@${c.contactId}`;
    }
    throw new ControlError(404, `${u.localDisplayName} has no contact "${to}"`);
  }

  private groupKey(u: ChatUser, group: string): string {
    for (const g of u.groups.values()) {
      if (g.localDisplayName.toLowerCase() === group.toLowerCase() || String(g.groupId) === group)
        return `#${g.groupId}`;
    }
    throw new ControlError(404, `${u.localDisplayName} is in no group "${group}"`);
  }

  /** A chat named by its reference as the CLI writes it (`@3`, `#2`), checked to exist for this person. */
  private chatRef(u: ChatUser, ref: string): string {
    const match = /^([@#])(\d+)$/.exec(ref);
    const id = Number(match?.[2]);
    const found = match?.[1] === '@' ? u.contacts.get(id)?.contactStatus === 'active' : u.groups.has(id);
    if (!match || !found) throw new ControlError(404, `${u.localDisplayName} has no chat "${ref}"`);
    return ref;
  }

  /** The chat of a body: `chat` (a reference such as `@3` or `#2`), `to` (a contact) or `group`. */
  private chatOf(u: ChatUser, body: Json): string {
    const chat = str(body, 'chat');
    if (chat) return this.chatRef(u, chat);
    const group = str(body, 'group');
    if (group) return this.groupKey(u, group);
    return this.contactKey(u, str(body, 'to') ?? 'bot');
  }

  /** `itemId`, or the last item the person received in that chat with `last: true`. */
  private itemOf(u: ChatUser, chatKey: string, body: Json, own: boolean): number {
    const itemId = int(body, 'itemId', 1);
    if (itemId !== undefined) return itemId;
    const wanted = own ? 'snd' : 'rcv';
    const items = (u.items.get(chatKey) ?? []).filter((i) => i.dir === wanted && i.content.msgContent && !i.deleted);
    const last = items[items.length - 1];
    if (!last) throw new ControlError(404, `no ${own ? 'sent' : 'received'} message in that chat`);
    return last.itemId;
  }

  private run(u: ChatUser, cmd: string): Json {
    if (!u.isActive()) u.device.activeUserId = u.userId;
    const reply = execute(u.device, cmd);
    if (reply.type === 'chatCmdError')
      throw Object.assign(new ControlError(422, `command failed: ${JSON.stringify(reply.chatError)}`), { reply });
    return reply;
  }

  // ---- people ----

  devices(): Json[] {
    return this.emu.relay.devices.map((d) => {
      const u = d.activeUser();
      const server = this.emu.serverOf(d);
      return {
        name: d.name,
        bot: d === this.emu.bot,
        url: server?.url,
        listening: server?.listening ?? false,
        queued: d.output.size,
        held: d.relay.held(d),
        user: u ? { userId: u.userId, displayName: u.profile.displayName } : null,
        contacts: u
          ? [...u.contacts.values()].map((c) => ({
              contactId: c.contactId,
              name: c.localDisplayName,
              status: c.connStatus,
            }))
          : [],
        groups: u
          ? [...u.groups.values()].map((g) => ({
              groupId: g.groupId,
              name: g.localDisplayName,
              memberStatus: g.membership.memberStatus,
            }))
          : [],
      };
    });
  }

  async createPerson(body: Json): Promise<Json> {
    const name = str(body, 'name', true);
    if (this.emu.relay.deviceByName(name) || name === 'bot')
      throw new ControlError(409, `a device named "${name}" exists`);
    const device = await this.emu.addPerson(name, body.ws === true);
    return { name, url: this.emu.serverOf(device)?.url };
  }

  address(): { connFullLink: string; connShortLink: string } {
    const a = this.emu.bot.activeUser()?.address;
    if (!a) throw new ControlError(404, 'the bot has no address (create one with /_address)');
    return createdConnLink('contact', a.linkId);
  }

  async connect(body: Json): Promise<Json> {
    const u = this.person(str(body, 'person', true));
    const link = str(body, 'link') ?? (this.address().connShortLink as string);
    const linkId = linkIdOf(link);
    const owner = linkId ? this.emu.relay.links.get(linkId)?.owner : undefined;
    const reply = this.run(u, `/connect ${link}`);
    let contactId: number | undefined;
    const settings = owner?.address?.addressSettings;
    const autoAccepted = isObject(settings?.autoAccept) && settings?.businessAddress !== true;
    const waits = reply.type === 'sentConfirmation' || (reply.type === 'sentInvitation' && autoAccepted);
    if (waits && owner && !(reply.connection as Json).groupLinkId) {
      // The contact is ready after a few relay hops; without auto-accept it waits for /_accept, so no waiting here.
      await waitUntil(() => u.contactWith(owner)?.connStatus === 'ready', 2000);
      contactId = u.contactWith(owner)?.contactId;
    }
    return { reply, contactId };
  }

  send(body: Json): Json {
    const u = this.person(str(body, 'from', true));
    const chatKey = this.chatOf(u, body);
    const composed: Json = { msgContent: { type: 'text', text: str(body, 'text') ?? '' }, mentions: {} };
    if (isObject(body.content)) composed.msgContent = body.content;
    if (isObject(body.mentions)) composed.mentions = body.mentions;
    const quoted =
      int(body, 'quotedItemId', 1) ?? (body.replyToLast === true ? this.itemOf(u, chatKey, {}, false) : undefined);
    if (quoted !== undefined) composed.quotedItemId = quoted;
    if (isObject(body.file)) {
      const file = body.file;
      let filePath = str(file, 'path');
      if (!filePath) {
        const name = path.basename(str(file, 'name', true));
        const data = str(file, 'base64') ?? '';
        // Kept apart from the received files, so /files lists only what the person received.
        const folder = path.join(this.emu.tempRoot, 'outbox', u.device.name.replace(/[^A-Za-z0-9_-]/g, '_'));
        mkdirSync(folder, { recursive: true });
        filePath = path.join(folder, name);
        writeFileSync(filePath, Buffer.from(data, 'base64'));
      }
      composed.fileSource = { filePath };
      if (!isObject(body.content)) composed.msgContent = { type: 'file', text: str(body, 'text') ?? '' };
    }
    const options = body.live === true ? ' live=on' : '';
    return this.run(u, `/_send ${chatKey}${options} json ${JSON.stringify([composed])}`);
  }

  react(body: Json): Json {
    const u = this.person(str(body, 'person', true));
    const chatKey = this.chatOf(u, body);
    const itemId = this.itemOf(u, chatKey, body, false);
    const emoji = str(body, 'emoji', true);
    const onOff = body.add === false ? 'off' : 'on';
    return this.run(u, `/_reaction ${chatKey} ${itemId} ${onOff} ${JSON.stringify({ type: 'emoji', emoji })}`);
  }

  edit(body: Json): Json {
    const u = this.person(str(body, 'person', true));
    const chatKey = this.chatOf(u, body);
    const itemId = this.itemOf(u, chatKey, body, true);
    const updated = { msgContent: { type: 'text', text: str(body, 'text') ?? '' }, mentions: {} };
    return this.run(u, `/_update item ${chatKey} ${itemId} json ${JSON.stringify(updated)}`);
  }

  delete(body: Json): Json {
    const u = this.person(str(body, 'person', true));
    const chatKey = this.chatOf(u, body);
    const itemId = this.itemOf(u, chatKey, body, true);
    const mode = str(body, 'mode') ?? 'broadcast';
    return this.run(u, `/_delete item ${chatKey} ${itemId} ${mode}`);
  }

  createGroup(body: Json): Json {
    const u = this.person(str(body, 'owner', true));
    const name = str(body, 'name', true);
    const created = this.run(u, `/_group ${u.userId} ${JSON.stringify({ displayName: name, fullName: '' })}`);
    const groupId = (created.groupInfo as Json).groupId as number;
    const invited: Json[] = [];
    const members = Array.isArray(body.members) ? body.members : [];
    for (const member of members) {
      if (typeof member !== 'string') throw bad('members must be names');
      const contactId = this.contactKey(u, member).slice(1);
      const role = str(body, 'role') ?? 'member';
      invited.push(this.run(u, `/_add #${groupId} ${contactId} ${role}`));
    }
    return { groupId, invited };
  }

  async join(body: Json): Promise<Json> {
    const u = this.person(str(body, 'person', true));
    const link = str(body, 'link');
    if (link) return { reply: this.run(u, `/connect ${link}`) };
    const chat = str(body, 'chat');
    if (chat) return { reply: this.run(u, `/_join ${this.chatRef(u, chat)}`) };
    const group = str(body, 'group', true);
    // The invitation travels through the relay: give it a moment to arrive.
    await waitUntil(
      () => [...u.groups.values()].some((g) => g.localDisplayName.toLowerCase() === group.toLowerCase()),
      2000,
    );
    const chatKey = this.groupKey(u, group);
    return { reply: this.run(u, `/_join ${chatKey}`) };
  }

  leave(body: Json): Json {
    const u = this.person(str(body, 'person', true));
    return this.run(u, `/_leave ${this.groupKey(u, str(body, 'group', true))}`);
  }

  async acceptFile(body: Json): Promise<Json> {
    const u = this.person(str(body, 'person', true));
    let fileId = int(body, 'fileId', 1);
    if (fileId === undefined) {
      const withFiles = [...u.items.values()].flat().filter((i) => i.dir === 'rcv' && i.file && !i.file.accepted);
      const last = withFiles[withFiles.length - 1];
      if (!last?.file) throw new ControlError(404, 'no file waiting to be received');
      fileId = last.file.fileId;
    }
    const reply = this.run(u, `/freceive ${fileId}`);
    const id = fileId;
    await waitUntil(() => findFileItem(u, id)?.file?.status.type === 'rcvComplete', 5000);
    const file = findFileItem(u, id)?.file;
    return { reply, fileId, status: file?.status.type, path: file?.filePath };
  }

  messages(query: Record<string, string>): Json[] {
    const u = this.person(query.person);
    const keys = query.chat ? [this.chatOfQuery(u, query.chat)] : [...u.items.keys()];
    return keys.flatMap((key) => (u.items.get(key) ?? []).map((item) => this.describeItem(u, item)));
  }

  /** `chat` of a query: a chat reference (`@3`, `#2`), `#` and a group's name or id, or a contact. */
  private chatOfQuery(u: ChatUser, chat: string): string {
    if (/^[@#]\d+$/.test(chat) && (chat.startsWith('@') ? u.contacts.has(Number(chat.slice(1))) : true))
      return this.chatRef(u, chat);
    return chat.startsWith('#') ? this.groupKey(u, chat.slice(1)) : this.contactKey(u, chat);
  }

  /**
   * The person's chats as a chat list shows them: contacts (with their connection status) and groups (with the
   * person's membership status: `invited` until joined), each with its last item, newest first.
   */
  chats(query: Record<string, string>): Json[] {
    const u = this.person(query.person);
    const rows: Json[] = [];
    const describeLast = (key: string): { last: Json | null; count: number; ts: string } => {
      const items = u.items.get(key) ?? [];
      const messages = items.filter((i) => i.content.msgContent !== undefined || i.deleted !== undefined);
      const last = items[items.length - 1];
      return { last: last ? this.describeItem(u, last) : null, count: messages.length, ts: last?.itemTs ?? '' };
    };
    for (const c of u.contacts.values()) {
      if (c.contactStatus !== 'active') continue;
      const key = `@${c.contactId}`;
      const { last, count, ts } = describeLast(key);
      rows.push({
        chat: key,
        type: 'direct',
        name: c.localDisplayName,
        bot: c.profile.peerType === 'bot',
        status: c.connStatus,
        ready: c.connStatus === 'ready',
        messageCount: count,
        lastItem: last,
        chatTs: ts || c.createdAt,
      });
    }
    for (const g of u.groups.values()) {
      const key = `#${g.groupId}`;
      const { last, count, ts } = describeLast(key);
      const host = g.members.find((m) => m.memberCategory === 'host');
      rows.push({
        chat: key,
        type: 'group',
        name: g.localDisplayName,
        bot: false,
        status: g.membership.memberStatus,
        ready: ['connected', 'complete', 'creator', 'announced'].includes(g.membership.memberStatus),
        invitedBy: g.membership.memberStatus === 'invited' ? (host?.localDisplayName ?? null) : null,
        members: g.members.filter((m) => m.memberStatus !== 'left' && m.memberStatus !== 'removed').length + 1,
        messageCount: count,
        lastItem: last,
        chatTs: ts || g.createdAt,
      });
    }
    return rows.sort((a, b) => String(b.chatTs).localeCompare(String(a.chatTs)));
  }

  /** A file of a person's chat item: received (with `/freceive` first, as tapping it in the app does) or sent. */
  async file(query: Record<string, string>): Promise<{ path: string; name: string; size: number }> {
    const u = this.person(query.person);
    const fileId = int(query, 'fileId', 1);
    if (fileId === undefined) throw bad('fileId is required');
    const item = findFileItem(u, fileId);
    const file = item?.file;
    if (!item || !file) throw new ControlError(404, `${u.localDisplayName} has no file ${fileId}`);
    if (item.dir === 'rcv' && !file.accepted) this.run(u, `/freceive ${fileId}`);
    if (item.dir === 'rcv') await waitUntil(() => file.status.type === 'rcvComplete', 5000);
    if (item.dir === 'rcv' && file.status.type !== 'rcvComplete')
      throw new ControlError(409, `file ${fileId} is not received (${String(file.status.type)})`);
    if (!file.filePath) throw new ControlError(404, `file ${fileId} has no path`);
    const folder = u.device.options.filesFolder ?? u.device.options.defaultFilesDir;
    const full = path.isAbsolute(file.filePath) ? file.filePath : path.join(folder, file.filePath);
    if (!existsSync(full)) throw new ControlError(410, `file ${fileId} is no longer on disk`);
    return { path: full, name: file.fileName, size: statSync(full).size };
  }

  private describeItem(u: ChatUser, item: ItemState): Json {
    const id = Number(item.chatKey.slice(1));
    const chat = item.chatKey.startsWith('@')
      ? u.contacts.get(id)?.localDisplayName
      : `#${u.groups.get(id)?.localDisplayName}`;
    const sender =
      item.dir === 'snd'
        ? u.localDisplayName
        : item.chatKey.startsWith('@')
          ? chat
          : u.groups.get(id)?.members.find((m) => m.groupMemberId === item.senderMemberId)?.localDisplayName;
    const mc = item.content.msgContent as Json | undefined;
    const group = item.chatKey.startsWith('#') ? u.groups.get(id) : undefined;
    const senderMember = group?.members.find((m) => m.groupMemberId === item.senderMemberId);
    const quote = item.quote as Json | undefined;
    const quoteDir = isObject(quote?.chatDir) ? quote.chatDir : undefined;
    const quoteMember = isObject(quoteDir?.groupMember) ? quoteDir.groupMember : undefined;
    const quoteSnd = quoteDir?.type === 'directSnd' || quoteDir?.type === 'groupSnd';
    const event = item.content.rcvGroupEvent ?? item.content.sndGroupEvent;
    return {
      itemId: item.itemId,
      chat,
      chatKey: item.chatKey,
      direction: item.dir,
      sender,
      contentType: item.content.type,
      text: mc?.text ?? null,
      msgContent: mc ?? null,
      file: item.file
        ? {
            fileId: item.file.fileId,
            fileName: item.file.fileName,
            fileSize: item.file.fileSize,
            status: item.file.status.type,
            path: item.file.filePath ?? null,
          }
        : null,
      quotedItemId: item.quote?.itemId ?? null,
      quotedText: (item.quote?.content as Json | undefined)?.text ?? null,
      quote: quote
        ? {
            itemId: quote.itemId ?? null,
            mine: quoteSnd,
            sender: quoteSnd
              ? u.localDisplayName
              : ((quoteMember?.localDisplayName as string | undefined) ?? (group ? null : (chat ?? null))),
            text: (quote.content as Json | undefined)?.text ?? null,
            contentType: (quote.content as Json | undefined)?.type ?? null,
          }
        : null,
      senderId: item.dir === 'snd' ? 'me' : (senderMember?.memberId ?? item.chatKey),
      serviceEvent: isObject(event) ? (event.type as string) : null,
      reactions: item.reactions.map((r) => r.emoji),
      reactionCounts: this.reactionCounts(u, item),
      edited: item.edited,
      deleted: item.deleted !== undefined,
      status: item.status.type,
      itemTs: item.itemTs,
    };
  }

  /** Reactions grouped per emoji, as the CLI counts them (`CIReactionCount`), with the names of who reacted. */
  private reactionCounts(u: ChatUser, item: ItemState): Json[] {
    const group = item.chatKey.startsWith('#') ? u.groups.get(Number(item.chatKey.slice(1))) : undefined;
    const contact = item.chatKey.startsWith('@') ? u.contacts.get(Number(item.chatKey.slice(1))) : undefined;
    const counts = new Map<string, { totalReacted: number; userReacted: boolean; by: string[] }>();
    for (const r of item.reactions) {
      const entry = counts.get(r.emoji) ?? { totalReacted: 0, userReacted: false, by: [] };
      entry.totalReacted += 1;
      if (r.by === 'user') entry.userReacted = true;
      const name =
        r.by === 'user'
          ? u.localDisplayName
          : (group?.members.find((m) => m.memberId === r.by)?.localDisplayName ?? contact?.localDisplayName ?? '');
      entry.by.push(name);
      counts.set(r.emoji, entry);
    }
    return [...counts].map(([emoji, c]) => ({ reaction: { type: 'emoji', emoji }, ...c }));
  }

  events(query: Record<string, string>): Json[] {
    const device = this.device(query.device ?? query.person);
    return query.type ? device.history.filter((e) => e.type === query.type) : [...device.history];
  }

  files(query: Record<string, string>): Json[] {
    const device = this.device(query.device ?? query.person);
    const folder = device.options.filesFolder ?? device.options.defaultFilesDir;
    // A folder nothing was received into yet does not exist.
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((n) => statSync(path.join(folder, n)).isFile())
      .map((n) => {
        const full = path.join(folder, n);
        const out: Json = { name: n, path: full, size: statSync(full).size };
        if (query.content === 'base64') out.base64 = readFileSync(full).toString('base64');
        return out;
      });
  }

  command(body: Json): Json {
    const device = this.device(str(body, 'device'));
    return execute(device, str(body, 'cmd', true));
  }

  log(query: Record<string, string>): Json[] {
    return this.device(query.device).faults.log.map((e) => ({ ...e }));
  }

  connections(query: Record<string, string>): ConnectionSummary[] {
    return this.emu.serverOf(this.device(query.device))?.summary() ?? [];
  }

  // ---- faults ----

  faults(query: Record<string, string>): Json {
    const device = this.device(query.device);
    return {
      ...device.faults.describe(),
      queued: device.output.size,
      held: device.relay.held(device),
      latencyMs: device.relay.latencyMs,
    };
  }

  dropSockets(body: Json): Json {
    const server = this.emu.serverOf(this.device(str(body, 'device')));
    return { dropped: server?.dropSockets() ?? 0 };
  }

  setPongs(body: Json): Json {
    const device = this.device(str(body, 'device'));
    if (typeof body.enabled !== 'boolean') throw bad('enabled must be a boolean');
    device.faults.pongs = body.enabled;
    return device.faults.describe();
  }

  setStopReading(body: Json): Json {
    const device = this.device(str(body, 'device'));
    if (typeof body.enabled !== 'boolean') throw bad('enabled must be a boolean');
    device.faults.stopReading = body.enabled;
    this.emu.serverOf(device)?.refreshReading();
    return device.faults.describe();
  }

  private matcher(body: Json): RegExp | undefined {
    const match = str(body, 'match');
    if (match === undefined) return undefined;
    try {
      return new RegExp(match);
    } catch (err) {
      throw bad(`match is not a valid regular expression: ${(err as Error).message}`);
    }
  }

  delay(body: Json): Json {
    const device = this.device(str(body, 'device'));
    const ms = int(body, 'ms', 0);
    if (ms === undefined) throw bad('ms is required');
    device.faults.delays.push({ match: this.matcher(body), ms, remaining: int(body, 'count', 1) ?? 1 });
    return device.faults.describe();
  }

  failNext(body: Json): Json {
    const device = this.device(str(body, 'device'));
    const chatError = isObject(body.chatError)
      ? body.chatError
      : { type: 'error', errorType: { type: 'internalError', message: 'failure injected by the emulator' } };
    device.faults.failures.push({ match: this.matcher(body), chatError, remaining: int(body, 'count', 1) ?? 1 });
    return device.faults.describe();
  }

  async restart(body: Json): Promise<Json> {
    const device = this.device(str(body, 'device'));
    await this.emu.restart(device, int(body, 'downMs', 0) ?? 0);
    return { restarted: device.name, url: this.emu.serverOf(device)?.url };
  }

  async setOffline(body: Json): Promise<Json> {
    const device = this.device(str(body, 'device'));
    if (typeof body.offline !== 'boolean') throw bad('offline must be a boolean');
    const server = this.emu.serverOf(device);
    if (!server) throw new ControlError(409, `${device.name} has no WebSocket port`);
    if (body.offline) await server.stop();
    else await server.start();
    return { offline: !server.listening };
  }

  setDialect(body: Json): Json {
    const device = this.device(str(body, 'device'));
    const dialect = str(body, 'dialect', true) as WireDialect;
    if (!WIRE_DIALECTS.includes(dialect)) throw bad(`dialect must be one of ${WIRE_DIALECTS.join(', ')}`);
    device.faults.dialect = dialect;
    return device.faults.describe();
  }

  setReorder(body: Json): Json {
    const device = this.device(str(body, 'device'));
    const count = int(body, 'count', 2);
    if (count === undefined) throw bad('count is required (2 or more)');
    device.faults.reorder = count;
    return device.faults.describe();
  }

  failUploads(body: Json): Json {
    const device = this.device(str(body, 'device'));
    device.faults.failUploads = int(body, 'count', 1) ?? 1;
    return device.faults.describe();
  }

  resetFaults(body: Json): Json {
    const device = this.device(str(body, 'device'));
    device.faults.reset();
    this.emu.serverOf(device)?.refreshReading();
    this.emu.serverOf(device)?.releaseHeldReplies();
    return device.faults.describe();
  }

  /** Makes the device emit one of the documented error events, as background failures of a real CLI do. */
  errorEvent(body: Json): Json {
    const device = this.device(str(body, 'device'));
    const kind = str(body, 'kind') ?? 'chatError';
    if (kind === 'chatError') {
      const chatError = isObject(body.chatError)
        ? body.chatError
        : { type: 'error', errorType: { type: 'internalError', message: 'error injected by the emulator' } };
      device.emit({ type: 'chatError', chatError });
    } else if (kind === 'messageError') {
      const u = device.activeUser();
      if (!u) throw new ControlError(409, `${device.name} has no user profile`);
      u.emit('messageError', {
        severity: str(body, 'severity') ?? 'error',
        errorMessage: str(body, 'errorMessage') ?? 'error injected by the emulator',
      });
    } else {
      throw bad('kind must be chatError or messageError');
    }
    return { emitted: kind };
  }

  setLatency(body: Json): Json {
    const ms = int(body, 'ms', 0);
    if (ms === undefined) throw bad('ms is required');
    this.emu.relay.latencyMs = ms;
    return { latencyMs: ms };
  }

  inject(body: Json): Json {
    const server = this.emu.serverOf(this.device(str(body, 'device')));
    if (!server) throw new ControlError(409, 'that device has no WebSocket port');
    const frame = body.frame;
    if (frame === undefined) throw bad('frame is required (a string, or a JSON value sent as text)');
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    return { sent: server.inject(text, body.binary === true) };
  }
}
