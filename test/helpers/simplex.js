'use strict';
// Plumbing for the SimpleX node tests: the built nodes, an emulated CLI with its own files folder on a real port,
// and node definitions as the editor saves them. Nothing here mocks the client.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { helper, waitFor } = require('./env');
const { cliNode, receiveNode, sendNode, commandNode } = require('./simplex-flows');
const { startSimplexEmulator } = require('../../dist/simplex-emulator');

const dist = path.join(__dirname, '..', '..', 'dist', 'nodes');
const sxNodes = {
  cli: require(path.join(dist, 'simplex-cli.js')),
  receive: require(path.join(dist, 'simplex-receive.js')),
  send: require(path.join(dist, 'simplex-send.js')),
  command: require(path.join(dist, 'simplex-command.js')),
};
const ALL = [sxNodes.cli, sxNodes.receive, sxNodes.send, sxNodes.command];

/** A demo emulator (bot HomeBot, Alice and Bob connected, group Family) with its own files folder. */
async function startSimplex(options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simplex-nodes-test-'));
  const filesFolder = path.join(dir, 'files');
  fs.mkdirSync(filesFolder);
  const emu = await startSimplexEmulator({ port: 0, filesFolder, seed: 'demo', ...options });
  const close = emu.close.bind(emu);
  emu.dir = dir;
  emu.close = async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return emu;
}

/** Open sockets on the bot's CLI port. */
async function openSockets(emu) {
  return emu.control.connections({}).length;
}

/** Loads a flow and waits until the CLI node is connected and its start-up actions ran. */
async function loadSimplex(emu, flow, credentials = {}) {
  await helper.load(ALL, flow, credentials);
  await waitFor(
    () => {
      const cli = helper.getNode('cli');
      return cli && cli.startup && cli.startup.at;
    },
    'the CLI node to connect and run its start-up actions',
    8000,
  );
}

/** The chat items a person sees in a chat (`bot` or `#Family`). */
function messagesOf(emu, person, chat) {
  return emu.control.messages({ person, chat });
}

module.exports = {
  sxNodes,
  ALL,
  startSimplex,
  cliNode,
  receiveNode,
  sendNode,
  commandNode,
  openSockets,
  loadSimplex,
  messagesOf,
};
