// The emulator as a whole: the relay, the bot's CLI with its WebSocket port, the people's devices, and the seeds.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execute } from './commands';
import { ChatUser, Device } from './device';
import { WireDialect } from './faults';
import { Json } from './json';
import { Relay } from './relay';
import { waitUntil } from './control';
import { DeviceSocketServer } from './ws-server';

export interface SimplexEmulatorOptions {
  /** The bot CLI's WebSocket port (`-p`); 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on; loopback by default, as the real CLI (design file F5). */
  host?: string;
  /** Port of the HTTP control API; 0 (the default) picks a free one. */
  controlPort?: number;
  /** `--files-folder`: where the bot's received files go; paths are then reported relative to it (F13). */
  filesFolder?: string;
  /** `--create-bot-display-name`: the bot's user profile; `null` starts without a user. Default "HomeBot". */
  botDisplayName?: string | null;
  /** `--create-bot-allow-files`: the bot profile lets contacts send files. */
  botAllowFiles?: boolean;
  /** `-a` / `--auto-accept-files`: `true` accepts every received file, a number those up to that many bytes. */
  autoAcceptFiles?: boolean | number;
  /** `-q` / `--queue-size`: events kept while no client is connected (default 1024, F3). */
  queueSize?: number;
  /** Delay of every relay hop in milliseconds (default 0). */
  latencyMs?: number;
  /** The people besides the bot (default Alice and Bob). */
  people?: string[];
  /** Give each person a WebSocket port too, so a client can act as them. */
  peoplePorts?: boolean;
  /** 'demo': bot address with auto-accept and a welcome, people connected, group "Family" with everyone. */
  seed?: 'none' | 'demo';
  /** Initial wire dialect of the bot's port (default 'flat'). */
  dialect?: WireDialect;
}

export const BOT_DEVICE_NAME = 'bot';

export class SimplexEmulator {
  readonly relay = new Relay();
  readonly bot: Device;
  private readonly servers = new Map<Device, DeviceSocketServer>();
  /** Created by the emulator for default files folders, removed on close. */
  readonly tempRoot: string;

  constructor(readonly options: SimplexEmulatorOptions) {
    this.tempRoot = mkdtempSync(path.join(os.tmpdir(), 'simplex-emulator-'));
    this.relay.latencyMs = options.latencyMs ?? 0;
    const auto = options.autoAcceptFiles;
    this.bot = new Device(this.relay, {
      name: BOT_DEVICE_NAME,
      filesFolder: options.filesFolder ? path.resolve(options.filesFolder) : undefined,
      defaultFilesDir: path.join(this.tempRoot, BOT_DEVICE_NAME, 'Downloads'),
      autoAcceptFiles: auto === true ? Number.MAX_SAFE_INTEGER : typeof auto === 'number' ? auto : undefined,
      queueSize: options.queueSize ?? 1024,
      headless: false,
    });
    if (options.dialect) this.bot.faults.dialect = options.dialect;
    const name = options.botDisplayName === undefined ? 'HomeBot' : options.botDisplayName;
    if (name !== null) {
      const preferences = options.botAllowFiles ? { files: { allow: 'yes' } } : undefined;
      this.bot.createUser({
        displayName: name,
        fullName: '',
        peerType: 'bot',
        ...(preferences ? { preferences } : {}),
      });
    }
    this.servers.set(this.bot, new DeviceSocketServer(this.bot, options.host ?? '127.0.0.1', options.port ?? 0));
  }

  serverOf(device: Device): DeviceSocketServer | undefined {
    return this.servers.get(device);
  }

  async start(): Promise<void> {
    for (const name of this.options.people ?? ['Alice', 'Bob'])
      await this.addPerson(name, this.options.peoplePorts === true);
    if (this.options.seed === 'demo') await this.seedDemo();
    this.startupBurst(this.bot);
    await this.servers.get(this.bot)?.start();
  }

  async addPerson(name: string, withPort: boolean): Promise<Device> {
    const device = new Device(this.relay, {
      name,
      defaultFilesDir: path.join(this.tempRoot, name.replace(/[^A-Za-z0-9_-]/g, '_'), 'Downloads'),
      queueSize: this.options.queueSize ?? 1024,
      headless: !withPort,
    });
    device.createUser({ displayName: name, fullName: '', peerType: 'human' });
    if (withPort) {
      const server = new DeviceSocketServer(device, this.options.host ?? '127.0.0.1', 0);
      this.servers.set(device, server);
      await server.start();
    }
    return device;
  }

  /** What a starting CLI queues before any client connects (F16), including a tag the reference does not list. */
  startupBurst(device: Device): void {
    const u = device.activeUser();
    device.emit({ type: 'hostConnected', protocol: 'smp', transportHost: 'smp4.simplex.invalid' });
    device.emit({
      type: 'subscriptionStatus',
      server: 'smp://emulator@smp4.simplex.invalid',
      subscriptionStatus: { type: 'active' },
      connections: [],
    });
    if (u) device.emit({ type: 'contactSubSummary', user: u.userRecord(), contactSubscriptions: [] });
  }

  /** Closes the port, waits `downMs`, and opens it again as a restarted CLI would; state and queued events stay. */
  async restart(device: Device, downMs: number): Promise<void> {
    const server = this.servers.get(device);
    if (!server) throw new Error(`${device.name} has no WebSocket port`);
    await server.stop();
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    this.startupBurst(device);
    await server.start();
  }

  private async seedDemo(): Promise<void> {
    const bot = this.bot.activeUser();
    if (!bot) throw new Error('the demo seed needs a bot user');
    const run = (device: Device, cmd: string): Json => {
      const reply = execute(device, cmd);
      if (reply.type === 'chatCmdError')
        throw new Error(`demo seed: ${cmd} failed: ${JSON.stringify(reply.chatError)}`);
      return reply;
    };
    // The seed's own events are set-up, not a backlog: they must not fill the queue and stall the relay.
    const capacity = this.bot.output.capacity;
    this.bot.output.capacity = Number.MAX_SAFE_INTEGER;
    run(this.bot, `/_address ${bot.userId}`);
    const welcome = { type: 'text', text: `Hello! I am ${bot.profile.displayName}.` };
    run(
      this.bot,
      `/_address_settings ${bot.userId} ${JSON.stringify({ businessAddress: false, autoAccept: { acceptIncognito: false }, autoReply: welcome })}`,
    );
    const address = (run(this.bot, `/_show_address ${bot.userId}`).contactLink as Json).connLinkContact as Json;
    const people = this.relay.devices.filter((d) => d !== this.bot);
    const personUser = (d: Device): ChatUser => {
      const u = d.activeUser();
      if (!u) throw new Error(`demo seed: ${d.name} has no user`);
      return u;
    };
    for (const person of people) run(person, `/connect ${String(address.connShortLink)}`);
    await waitUntil(() => people.every((p) => p.activeUser()?.contactWith(bot)?.connStatus === 'ready'), 5000);
    await waitUntil(() => people.every((p) => bot.contactWith(personUser(p))?.connStatus === 'ready'), 5000);
    const group = run(this.bot, `/_group ${bot.userId} ${JSON.stringify({ displayName: 'Family', fullName: '' })}`);
    const groupId = (group.groupInfo as Json).groupId as number;
    for (const person of people) {
      const contact = bot.contactWith(personUser(person));
      if (contact) run(this.bot, `/_add #${groupId} ${contact.contactId} member`);
    }
    await waitUntil(
      () =>
        people.every((p) => [...(p.activeUser()?.groups.values() ?? [])].some((g) => g.localDisplayName === 'Family')),
      5000,
    );
    for (const person of people) {
      const g = [...(person.activeUser()?.groups.values() ?? [])].find((x) => x.localDisplayName === 'Family');
      if (g) run(person, `/_join #${g.groupId}`);
    }
    await waitUntil(
      () =>
        people.every((p) =>
          [...(p.activeUser()?.groups.values() ?? [])].some(
            (g) =>
              g.localDisplayName === 'Family' &&
              g.membership.memberStatus === 'connected' &&
              g.members.length === people.length,
          ),
        ),
      5000,
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    this.bot.output.clear();
    this.bot.output.capacity = capacity;
  }

  async close(): Promise<void> {
    for (const server of this.servers.values()) await server.stop();
    rmSync(this.tempRoot, { recursive: true, force: true });
  }
}
