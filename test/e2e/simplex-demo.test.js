'use strict';
// `npm start`'s SimpleX side (scripts/simplex-demo.js): the SimpleX emulator with the demo seed, and whatever
// examples/simplex-*.json exist pointed at it. The examples are stand-ins written here into a temporary folder, so
// the wiring is checked whatever examples the package ships.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { prepareUserDir } = require('../../scripts/demo');
const { startSimplexDemo, simplexBanner, simplexExampleFiles } = require('../../scripts/simplex-demo');
const { CliClient } = require('../simplex-emulator/helpers');

describe('the demo: SimpleX emulator and SimpleX examples', function () {
  this.timeout(20000);
  let dir;
  let examplesDir;
  let simplex;

  const writeExample = (name, nodes) => fs.writeFileSync(path.join(examplesDir, name), JSON.stringify(nodes));
  const readFlows = () => JSON.parse(fs.readFileSync(path.join(dir, 'user', 'flows.json'), 'utf8'));

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simplex-demo-'));
    examplesDir = path.join(dir, 'examples');
    fs.mkdirSync(examplesDir);
    // Two examples, each with its own config node (as each example must be importable alone), and a semilimes one.
    writeExample('simplex-echo.json', [
      { id: 'tabEcho', type: 'tab', label: 'SimpleX echo' },
      { id: 'cliEcho', type: 'simplex-cli', name: 'Local CLI', url: 'ws://127.0.0.1:5225', filesFolder: '' },
      { id: 'rcvEcho', type: 'simplex-receive', z: 'tabEcho', cli: 'cliEcho', wires: [['sndEcho']] },
      { id: 'sndEcho', type: 'simplex-send', z: 'tabEcho', cli: 'cliEcho', wires: [] },
    ]);
    writeExample('simplex-menu.json', [
      { id: 'tabMenu', type: 'tab', label: 'SimpleX menu' },
      { id: 'cliMenu', type: 'simplex-cli', url: 'ws://127.0.0.1:5225', welcome: 'Hi! Try /help', menu: [] },
      { id: 'rcvMenu', type: 'simplex-receive', z: 'tabMenu', cli: 'cliMenu', wires: [] },
    ]);
    writeExample('echo-bot.json', [
      { id: 'tabSl', type: 'tab', label: 'semilimes echo' },
      { id: 'acct', type: 'semilimes-account', baseUrl: 'https://api.semilimes.net' },
    ]);
    simplex = await startSimplexDemo({ port: 0, controlPort: 0, filesFolder: path.join(dir, 'simplex-files') });
  });

  after(async () => {
    if (simplex) await simplex.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts the SimpleX emulator with the bot, its address, Alice, Bob and the group "Family"', async () => {
    const bot = await CliClient.connect(simplex.url);
    try {
      const user = await bot.ok('/user');
      assert.equal(user.user.profile.displayName, 'HomeBot');
      const address = await bot.ok('/_show_address 1');
      assert.equal(address.contactLink.connLinkContact.connShortLink, simplex.address);
      const contacts = (await bot.ok('/_contacts 1')).contacts.map((c) => [
        c.localDisplayName,
        c.activeConn.connStatus,
      ]);
      assert.deepEqual(contacts, [
        ['Alice', 'ready'],
        ['Bob', 'ready'],
      ]);
      const groups = (await bot.ok('/_groups 1')).groups.map(
        (g) => g.groupInfo?.localDisplayName ?? g.localDisplayName,
      );
      assert.deepEqual(groups, ['Family']);
    } finally {
      bot.close();
    }
    assert.equal(simplex.filesFolder, path.join(dir, 'simplex-files'));
    assert.match(simplex.controlUrl, /^http:\/\/127\.0\.0\.1:\d+\/_simplex$/);
  });

  it('deploys every examples/simplex-*.json with one config node pointed at the started CLI', () => {
    assert.deepEqual(simplexExampleFiles(examplesDir), ['simplex-echo.json', 'simplex-menu.json']);
    prepareUserDir({
      userDir: path.join(dir, 'user'),
      emulatorUrl: 'http://127.0.0.1:8127',
      editorPort: 1880,
      reset: true,
      simplex,
      examplesDir,
    });
    const flows = readFlows();
    const configs = flows.filter((n) => n.type === 'simplex-cli');
    assert.equal(configs.length, 1, 'two config nodes on one CLI would split its events');
    const [cli] = configs;
    assert.equal(cli.id, 'cliMenu', 'the config node with start-up settings is kept');
    assert.equal(cli.url, simplex.url);
    assert.equal(cli.filesFolder, simplex.filesFolder);
    assert.equal(cli.welcome, 'Hi! Try /help');
    for (const id of ['rcvEcho', 'sndEcho', 'rcvMenu']) assert.equal(flows.find((n) => n.id === id).cli, 'cliMenu');
    assert.deepEqual(
      flows.filter((n) => n.type === 'tab').map((n) => n.label),
      ['semilimes echo', 'SimpleX echo', 'SimpleX menu'],
    );
    assert.equal(flows.find((n) => n.id === 'acct').baseUrl, 'http://127.0.0.1:8127');
  });

  it("keeps a user's own flows and their config nodes, pointing them at this run's CLI", () => {
    const userDir = path.join(dir, 'user');
    const flows = readFlows();
    flows.push({ id: 'mine', type: 'simplex-cli', url: 'ws://127.0.0.1:1', name: 'my second CLI node' });
    fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flows));
    prepareUserDir({ userDir, emulatorUrl: 'http://127.0.0.1:8127', editorPort: 1880, simplex, examplesDir });
    const kept = readFlows().filter((n) => n.type === 'simplex-cli');
    assert.deepEqual(
      kept.map((n) => [n.id, n.url]),
      [
        ['cliMenu', simplex.url],
        ['mine', simplex.url],
      ],
    );
  });

  it('prints the CLI URL, the phone page links and the deployed examples in the banner', () => {
    const lines = simplexBanner(simplex, 'http://127.0.0.1:8127', simplexExampleFiles(examplesDir)).join('\n');
    assert.ok(lines.includes(simplex.url));
    assert.ok(lines.includes('http://127.0.0.1:8127/_emulator/#service=simplex&person=Alice'));
    assert.ok(lines.includes(simplex.address));
    assert.match(lines, /simplex-echo, simplex-menu/);
    assert.match(simplexBanner(simplex, 'http://127.0.0.1:8127', []).join('\n'), /No SimpleX example flows/);
  });
});
