'use strict';
// npm start: the product working without a semilimes account.
//
// Starts the local emulator (demo accounts Node-RED Bot, Alice, Bob), prepares a Node-RED user directory in .demo/
// (git-ignored) with this package installed into it and the example flows deployed against the emulator, then runs
// Node-RED 4.1 from devDependencies. Flows you change in the editor are kept across restarts; `npm start -- --reset`
// puts the examples back.
//
// It starts the SimpleX CLI emulator too (scripts/simplex-demo.js), with the SimpleX examples pointed at it.
//
// Environment: NODE_RED_PORT (default 1880), SEMILIMES_EMULATOR_PORT (default 8127), SIMPLEX_CLI_PORT (default 5225),
// SIMPLEX_CONTROL_PORT (default 5226).
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { startEmulator, DEMO_IDS } = require(path.join(root, 'dist', 'emulator'));
const { prepareUserDir, startNodeRed } = require('./demo');
const { startSimplexDemo, simplexBanner, simplexExampleFiles } = require('./simplex-demo');

const userDir = path.join(root, '.demo');
const editorPort = Number(process.env.NODE_RED_PORT || 1880);
const emulatorPort = Number(process.env.SEMILIMES_EMULATOR_PORT || 8127);
const reset = process.argv.includes('--reset');

async function main() {
  const simplex = await startSimplexDemo({
    port: Number(process.env.SIMPLEX_CLI_PORT || 5225),
    controlPort: Number(process.env.SIMPLEX_CONTROL_PORT || 5226),
    filesFolder: path.join(userDir, 'simplex-files'),
  });
  const emu = await startEmulator({
    port: emulatorPort,
    host: '127.0.0.1',
    seed: 'demo',
    simplexControlUrl: simplex.controlUrl,
  });
  const bot = emu.accounts.find((a) => a.accountId === DEMO_IDS.bot);
  prepareUserDir({ userDir, emulatorUrl: emu.url, editorPort, reset, simplex });
  let red;
  const stop = async () => {
    if (red) red.kill('SIGINT');
    await simplex.close();
    await emu.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  red = await startNodeRed({
    userDir,
    editorPort,
    apiKey: bot.apiKey,
    onOutput: (chunk) => process.stdout.write(chunk),
  });
  announce(emu, simplex);
  red.on('exit', async (code) => {
    await simplex.close();
    await emu.close();
    process.exit(code ?? 0);
  });
}

function announce(emu, simplex) {
  const page = `${emu.url}/_emulator/`;
  const lines = [
    '',
    '────────────────────────────────────────────────────────────────────────',
    ` Node-RED editor     http://127.0.0.1:${editorPort}/`,
    ` semilimes emulator  ${emu.url}   (the flows' backend: no account needed)`,
    ` Act as a user       ${page}`,
    '',
    ' Deployed examples (Import > Examples has them too); the editor opens on the echo bot:',
    '  - Echo bot: as Alice, write to "Node-RED Bot"; the bot answers "You said: ..."',
    '  - Lamp control form: as Alice, write "lamp" to the bot; flip the switch or move the slider in the form',
    '  - Booking: as Alice, write "book" to the bot; pick a slot and get an appointment',
    '  - Group chat replies: write in "Family"; a question gets a reply, every text a thumbs-up',
    '  - Channel on a timer / Temperature gauge: post to "Home news" every minute (or click their inject buttons)',
    '  - Create a group chat / Publish to the feed / API key: check and rotate: click their inject buttons',
    '  - Camera snapshot to chat: POST a JPEG to http://127.0.0.1:' +
      editorPort +
      '/camera/snapshot; Alice gets it as a file',
    '  - Editor through a tunnel: needs a real tunnel server (the emulator has none), so it shows "down" here',
    '  The examples read ids from SEMILIMES_PERSON_ID (Alice), SEMILIMES_OTHER_PERSON_ID (Bob) and',
    '  SEMILIMES_CHANNEL_ID (Home news), set here for the emulator.',
    '',
    ' From a shell, Alice writes to the bot:',
    `  curl -s -X POST ${emu.url}/_emulator/send -H 'Content-Type: application/json' \\`,
    `    -d '{"from":"${DEMO_IDS.alice}","to":{"recipientId":"${DEMO_IDS.bot}"},"dataComponent":{"dataComponentType":"text","text":"hello"}}'`,
    ` and reads the conversation: curl -s ${emu.url}/_emulator/messages`,
    '',
    ...simplexBanner(simplex, emu.url, simplexExampleFiles()),
    '',
    ' Ctrl+C stops them all. `npm start -- --reset` restores the example flows.',
    '────────────────────────────────────────────────────────────────────────',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
