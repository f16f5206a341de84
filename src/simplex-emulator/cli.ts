#!/usr/bin/env node
// simplex-emulator: start an emulated `simplex-chat` CLI for a bot. The flags mirror the real CLI's where they exist.
import { WIRE_DIALECTS, WireDialect } from './faults';
import { SimplexEmulatorOptions } from './emulator';
import { CONTROL_ROUTES } from './control-http';
import { startSimplexEmulator } from './index';

const USAGE = `usage: simplex-emulator [options]

Options of the real simplex-chat CLI:
  -p, --chat-server-port PORT   WebSocket port of the bot's CLI (default 5225; 0 picks a free one)
  --files-folder DIR            folder for received files (paths are then reported relative to it)
  --create-bot-display-name N   create the bot's user profile with this name
  --create-bot-allow-files      let contacts send files to the bot
  -a, --auto-accept-files [N]   accept received files by themselves (all, or those up to N bytes)
  -q, --queue-size N            events kept while no client is connected (default 1024)
  -d, --database PREFIX         accepted and ignored: the emulator keeps its state in memory
Options of the emulator:
  --control-port PORT           port of the HTTP control API (default 5226; 0 picks a free one)
  --seed demo|none              demo (default): address with auto-accept and a welcome, Alice and Bob connected,
                                group "Family"; none: a bare CLI
  --people A,B                  the people besides the bot (default Alice,Bob)
  --people-ports                give each person a WebSocket port too
  --latency MS                  delay of each relay hop (default 0)
  --dialect flat|either|legacy  wire dialect of the bot's port (default flat)
  --host HOST                   interface to listen on (default 127.0.0.1)
  -h, --help                    this text`;

function fail(message: string): never {
  console.error(`simplex-emulator: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function intArg(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(`${flag} needs an integer between ${min} and ${max}`);
  }
  return Number(value);
}

export function parseCliArgs(argv: string[]): SimplexEmulatorOptions & { ignored: string[] } {
  const options: SimplexEmulatorOptions & { ignored: string[] } = {
    port: 5225,
    controlPort: 5226,
    seed: 'demo',
    botDisplayName: null,
    ignored: [],
  };
  let botNameGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      case '-p':
      case '--chat-server-port':
        options.port = intArg(flag, value(), 0, 65535);
        break;
      case '--control-port':
        options.controlPort = intArg(flag, value(), 0, 65535);
        break;
      case '--files-folder': {
        const dir = value();
        if (!dir) fail('--files-folder needs a directory');
        options.filesFolder = dir;
        break;
      }
      case '--create-bot-display-name': {
        const name = value();
        if (!name) fail('--create-bot-display-name needs a name');
        options.botDisplayName = name;
        botNameGiven = true;
        break;
      }
      case '--create-bot-allow-files':
        options.botAllowFiles = true;
        break;
      case '-a':
      case '--auto-accept-files':
        if (inline !== undefined) options.autoAcceptFiles = intArg(flag, inline, 0, Number.MAX_SAFE_INTEGER);
        else if (/^\d+$/.test(argv[i + 1] ?? '')) options.autoAcceptFiles = Number(argv[++i]);
        else options.autoAcceptFiles = true;
        break;
      case '-q':
      case '--queue-size':
        options.queueSize = intArg(flag, value(), 1, 1_000_000);
        break;
      case '-d':
      case '--database':
        options.ignored.push(`${flag} ${value() ?? ''}`.trim());
        break;
      case '--seed': {
        const seed = value();
        if (seed !== 'demo' && seed !== 'none') fail('--seed must be demo or none');
        options.seed = seed;
        break;
      }
      case '--people': {
        const list = (value() ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        options.people = list;
        break;
      }
      case '--people-ports':
        options.peoplePorts = true;
        break;
      case '--latency':
        options.latencyMs = intArg(flag, value(), 0, 60_000);
        break;
      case '--dialect': {
        const dialect = value() as WireDialect;
        if (!WIRE_DIALECTS.includes(dialect)) fail(`--dialect must be one of ${WIRE_DIALECTS.join(', ')}`);
        options.dialect = dialect;
        break;
      }
      case '--host': {
        const host = value();
        if (!host) fail('--host needs a value');
        options.host = host;
        break;
      }
      default:
        fail(`unknown argument: ${arg}`);
    }
  }
  // The demo needs a bot; without a name the real CLI would ask for one, the emulator uses "HomeBot".
  if (!botNameGiven && options.seed === 'demo') options.botDisplayName = 'HomeBot';
  return options;
}

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  const emu = await startSimplexEmulator(options);
  const bot = emu.emulator.bot.activeUser();
  const address = bot?.address ? emu.control.address().connShortLink : undefined;
  const lines = [
    'SimpleX Chat CLI emulator running',
    `  bot CLI WebSocket : ${emu.url}`,
    `  control API       : ${emu.controlUrl}`,
    `  bot files folder  : ${emu.filesFolder}`,
    `  bot user          : ${bot ? bot.profile.displayName : '(none: create one with /_create user)'}`,
  ];
  if (address) lines.push(`  bot address       : ${address}`);
  for (const [name, url] of Object.entries(emu.people))
    lines.push(`  person ${name.padEnd(10)} : ${url ?? '(control API only)'}`);
  if (options.ignored.length > 0) lines.push(`  ignored           : ${options.ignored.join(', ')}`);
  lines.push(
    '',
    'Act as Alice with the control API, e.g.:',
    `  curl -s -X POST ${emu.controlUrl}/send -H 'Content-Type: application/json' -d '{"from":"Alice","to":"bot","text":"hello"}'`,
    `  curl -s '${emu.controlUrl}/messages?person=Alice'`,
    '',
    `Control routes: ${CONTROL_ROUTES.join(', ')}`,
  );
  if (options.host && !['127.0.0.1', '::1', 'localhost'].includes(options.host)) {
    lines.push('', `WARNING: listening on ${options.host}: neither port has any authentication.`);
  }
  console.log(lines.join('\n'));
  const stop = () => void emu.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`simplex-emulator failed to start: ${(err as Error).message}`);
    process.exit(1);
  });
}
