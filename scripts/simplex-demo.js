'use strict';
// The SimpleX side of `npm start`: the SimpleX CLI emulator with the demo seed (the bot HomeBot with an address that
// accepts contacts by itself, Alice and Bob connected to it, the group "Family" with all three), and the SimpleX
// example flows (examples/simplex-*.json) pointed at it. The phone page reaches the emulator's control API through
// the semilimes emulator (startEmulator's simplexControlUrl), so one page acts in both services.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const CONFIG_TYPE = 'simplex-cli';

/** Starts the SimpleX emulator for the demo; `filesFolder` is the bot's files folder, shared with Node-RED. */
async function startSimplexDemo({ port = 5225, controlPort = 5226, filesFolder }) {
  const { startSimplexEmulator } = require(path.join(root, 'dist', 'simplex-emulator'));
  fs.mkdirSync(filesFolder, { recursive: true });
  const emu = await startSimplexEmulator({ port, controlPort, host: '127.0.0.1', seed: 'demo', filesFolder });
  const address = emu.control.address().connShortLink;
  return {
    url: emu.url,
    controlUrl: emu.controlUrl,
    filesFolder: emu.filesFolder,
    address,
    emulator: emu,
    close: () => emu.close(),
  };
}

/** The file names of the SimpleX examples in `dir`, in order. */
function simplexExampleFiles(dir = path.join(root, 'examples')) {
  return fs
    .readdirSync(dir)
    .filter((f) => /^simplex-.*\.json$/.test(f))
    .sort();
}

/** The config node whose start-up settings the examples need most: one with a welcome or a menu, else the first. */
function pickConfig(configs) {
  return configs.find((n) => (n.welcome ?? '') !== '' || (Array.isArray(n.menu) && n.menu.length > 0)) ?? configs[0];
}

/**
 * Points the SimpleX flows at the started emulator: every `simplex-cli` config node gets its CLI URL and the bot's
 * files folder. With `merge` (the examples, not a user's own flows) the config nodes become one, because two config
 * nodes on one CLI would split its events between them; every reference to a dropped one moves to the kept one.
 * Returns the flows (changed in place, dropped config nodes removed).
 */
function pointSimplexFlows(flows, simplex, { merge = false } = {}) {
  let out = flows;
  const configs = flows.filter((n) => n.type === CONFIG_TYPE);
  if (merge && configs.length > 1) {
    const kept = pickConfig(configs);
    const dropped = new Set(configs.filter((n) => n !== kept).map((n) => n.id));
    out = flows.filter((n) => !dropped.has(n.id));
    for (const node of out) {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && dropped.has(value)) node[key] = kept.id;
      }
    }
  }
  if (simplex) {
    for (const node of out) {
      if (node.type !== CONFIG_TYPE) continue;
      node.url = simplex.url;
      node.filesFolder = simplex.filesFolder;
    }
  }
  return out;
}

/** The start banner's SimpleX lines. */
function simplexBanner(simplex, semilimesUrl, examples) {
  const page = (person) => `${semilimesUrl}/_emulator/#service=simplex&person=${person}`;
  return [
    ` SimpleX CLI emulator ${simplex.url}   (the SimpleX flows' CLI; bot HomeBot, Alice, Bob, group "Family")`,
    ` SimpleX control API  ${simplex.controlUrl}`,
    ` Be Alice in SimpleX  ${page('Alice')}`,
    ` Be Bob in SimpleX    ${page('Bob')}`,
    ` HomeBot's address    ${simplex.address}`,
    examples.length > 0
      ? ` Deployed SimpleX examples: ${examples.map((f) => f.replace(/\.json$/, '')).join(', ')}`
      : ' No SimpleX example flows in examples/ yet: import or wire your own against the CLI above',
  ];
}

module.exports = { startSimplexDemo, pointSimplexFlows, simplexExampleFiles, simplexBanner };
