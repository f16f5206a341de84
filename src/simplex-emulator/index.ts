// The SimpleX Chat CLI emulator: devices (emulated `simplex-chat` CLIs) on an in-memory relay, a WebSocket port
// speaking the CLI's bot protocol for the bot, and an HTTP control API to act as people and inject faults.
// Written from the bot API reference and the recorded behaviour of the real CLI only.
import { AddressInfo } from 'node:net';
import { SimplexControl } from './control';
import { CONTROL_PREFIX, createControlServer } from './control-http';
import { SimplexEmulator, SimplexEmulatorOptions } from './emulator';

export interface RunningSimplexEmulator {
  /** The bot CLI's WebSocket URL, e.g. ws://127.0.0.1:5225 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The control API's base, e.g. http://127.0.0.1:PORT/_simplex */
  readonly controlUrl: string;
  readonly controlPort: number;
  /** The bot's files folder as given (`filesFolder`), or the emulator's default folder for it. */
  readonly filesFolder: string;
  /** WebSocket URLs of the people that have a port (`peoplePorts`). */
  readonly people: Record<string, string | undefined>;
  readonly control: SimplexControl;
  readonly emulator: SimplexEmulator;
  close(): Promise<void>;
}

export async function startSimplexEmulator(options: SimplexEmulatorOptions = {}): Promise<RunningSimplexEmulator> {
  const emulator = new SimplexEmulator(options);
  const control = new SimplexControl(emulator);
  const server = createControlServer(control);
  const host = options.host ?? '127.0.0.1';
  try {
    await emulator.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.controlPort ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const controlPort = (server.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const botServer = emulator.serverOf(emulator.bot);
  let closed: Promise<void> | undefined;
  return {
    get url() {
      return botServer?.url ?? '';
    },
    host,
    get port() {
      return botServer?.port ?? 0;
    },
    controlUrl: `http://${hostInUrl}:${controlPort}${CONTROL_PREFIX}`,
    controlPort,
    filesFolder: emulator.bot.options.filesFolder ?? emulator.bot.options.defaultFilesDir,
    get people() {
      const out: Record<string, string | undefined> = {};
      for (const d of emulator.relay.devices) if (d !== emulator.bot) out[d.name] = emulator.serverOf(d)?.url;
      return out;
    },
    control,
    emulator,
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await emulator.close();
      })();
      return closed;
    },
  };
}

export type { SimplexEmulatorOptions } from './emulator';
export { SimplexEmulator, BOT_DEVICE_NAME } from './emulator';
export { SimplexControl, ControlError } from './control';
export { CONTROL_PREFIX, CONTROL_ROUTES } from './control-http';
export { COMMAND_NAMES, parseCommand } from './grammar';
export { PARSE_FAILURE_MESSAGE } from './errors';
export { REACTION_EMOJIS, MAX_ENCODED_MSG_BYTES, MAX_FILE_BYTES } from './state';
export { WIRE_DIALECTS } from './faults';
export type { WireDialect, LoggedCommand } from './faults';
