#!/usr/bin/env node
// semilimes-emulator: start the emulator with the demo seed and print how to use it.
import { DEMO_IDS, startEmulator } from './index';

interface CliArgs {
  port: number;
  host: string;
  /** A SimpleX CLI emulator's control API, for the web page's SimpleX people. */
  simplexControl?: string;
}

function usage(): never {
  console.log(
    [
      'usage: semilimes-emulator [--port N] [--host H] [--simplex-control URL]',
      '  default port 8127 (or SEMILIMES_EMULATOR_PORT), host 127.0.0.1',
      '  --simplex-control: a SimpleX CLI emulator control API (e.g. http://127.0.0.1:5226/_simplex); the web page',
      '  then acts as its people too',
    ].join('\n'),
  );
  process.exit(0);
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { port: Number(process.env.SEMILIMES_EMULATOR_PORT ?? 8127), host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') usage();
    else if (arg === '--port') args.port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) args.port = Number(arg.slice(7));
    else if (arg === '--host') args.host = argv[++i] ?? '';
    else if (arg.startsWith('--host=')) args.host = arg.slice(7);
    else if (arg === '--simplex-control') args.simplexControl = argv[++i] ?? '';
    else if (arg.startsWith('--simplex-control=')) args.simplexControl = arg.slice(18);
    else {
      console.error(`unknown argument: ${arg}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    console.error('--port must be an integer between 0 and 65535');
    process.exit(2);
  }
  if (!args.host) {
    console.error('--host needs a value');
    process.exit(2);
  }
  if (args.simplexControl !== undefined && !/^https?:\/\/[^\s/]+\/_simplex$/.test(args.simplexControl)) {
    console.error('--simplex-control must be a SimpleX emulator control API, e.g. http://127.0.0.1:5226/_simplex');
    process.exit(2);
  }
  return args;
}

async function main(): Promise<void> {
  const { port, host, simplexControl } = parseArgs(process.argv.slice(2));
  const emu = await startEmulator({ port, host, seed: 'demo', simplexControlUrl: simplexControl });
  const control = `${emu.url}/_emulator`;
  const lines = [
    'semilimes emulator running',
    `  REST base : ${emu.url}`,
    `  WebSocket : ${emu.wsUrl}`,
    `  Web page  : ${control}/   (act as Alice or Bob${simplexControl ? ', in semilimes or SimpleX' : ''})`,
    '',
    'Accounts (API keys change at every start):',
    ...emu.accounts.map((a) => `  ${a.accountName.padEnd(13)} ${a.accountId}  key ${a.apiKey}`),
    '',
    `Group chat "Family"   ${DEMO_IDS.familyGroupChat}`,
    `Channel "Home news"   ${DEMO_IDS.homeNewsChannel}`,
    '',
    'Act as a user with the control API, e.g. Alice writes to the bot:',
    `  curl -s -X POST ${control}/send -H 'Content-Type: application/json' \\`,
    `    -d '{"from":"${DEMO_IDS.alice}","to":{"recipientId":"${DEMO_IDS.bot}"},"dataComponent":{"dataComponentType":"text","text":"hello"}}'`,
    'Bob writes in the Family group chat:',
    `  curl -s -X POST ${control}/send -H 'Content-Type: application/json' \\`,
    `    -d '{"from":"${DEMO_IDS.bob}","to":{"groupChatId":"${DEMO_IDS.familyGroupChat}"},"dataComponent":{"dataComponentType":"text","text":"hi all"}}'`,
    'Read the Family chat, submit a form, inject a fault:',
    `  curl -s '${control}/messages?groupChatId=${DEMO_IDS.familyGroupChat}'`,
    `  curl -s -X POST ${control}/submit-form -H 'Content-Type: application/json' -d '{"from":"${DEMO_IDS.alice}","messageId":"<form message id>","values":{"<refName>":"<value>"}}'`,
    `  curl -s -X POST ${control}/faults/fail-next -H 'Content-Type: application/json' -d '{"count":1,"status":429,"retryAfter":2}'`,
  ];
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    lines.push('', `WARNING: listening on ${host}: the control API has no authentication.`);
  }
  console.log(lines.join('\n'));

  const stop = () => {
    void emu.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`semilimes emulator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
