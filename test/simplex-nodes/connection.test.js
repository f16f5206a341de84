'use strict';
// The simplex-cli config node in a real Node-RED runtime: one socket per CLI across redeploys, recovery when the CLI
// goes away and comes back (backlog delivered once, nothing resent), the start-up actions (idempotent), the editor's
// routes, the warning for two nodes on one CLI, and a CLI behind a TLS proxy with basic auth.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, waitFor, delay } = require('../helpers/env');
const { tab } = require('../helpers/flows');
const sx = require('../helpers/simplex');
const { USER, PASSWORD, startTlsProxy } = require('../helpers/simplex-proxy');
const jsQR = require('jsqr');

/** Reads a QR code given as rows of '1'/'0' modules back to its text, the way a scanner reads the pixels. */
function qrText(rows) {
  const scale = 4;
  const side = (rows.length + 8) * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  rows.forEach((line, y) => {
    for (let x = 0; x < line.length; x++) {
      if (line[x] !== '1') continue;
      for (let dy = 0; dy < scale; dy++)
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + 4) * scale + dy) * side + (x + 4) * scale + dx) * 4;
          rgba[i] = rgba[i + 1] = rgba[i + 2] = 0;
        }
    }
  });
  const decoded = jsQR(rgba, side, side);
  return decoded && decoded.data;
}

describe('simplex-cli node', function () {
  this.timeout(30_000);
  let emu;
  beforeEach(async () => (emu = await sx.startSimplex()));
  afterEach(async () => {
    await helper.unload();
    await emu.close();
  });

  const echoFlow = (cli = {}) => [
    tab(),
    sx.cliNode(emu, cli),
    sx.receiveNode('recv', [['send']]),
    sx.sendNode('send', []),
  ];
  const botCommands = (pattern) => emu.control.log({}).filter((e) => pattern.test(e.cmd));
  const aliceGot = (text) => sx.messagesOf(emu, 'Alice', 'bot').filter((m) => m.direction === 'rcv' && m.text === text);

  /** Records the status of node `id` with a time stamp. */
  function statuses(id) {
    const seen = [];
    const node = helper.getNode(id);
    const original = node.status.bind(node);
    node.status = (s) => {
      seen.push({ ...s, at: Date.now() });
      return original(s);
    };
    return seen;
  }

  it('is back to green within 2 s when the CLI returns, delivers the backlog once and resends nothing', async () => {
    await sx.loadSimplex(emu, echoFlow());
    emu.control.send({ from: 'Alice', to: 'bot', text: 'before' });
    await waitFor(() => aliceGot('before').length === 1, 'the first echo');
    const seen = statuses('send');
    await emu.control.setOffline({ offline: true });
    await waitFor(() => seen.some((s) => s.fill === 'red'), 'the red status');
    for (const text of ['while away 1', 'while away 2', 'while away 3'])
      emu.control.send({ from: 'Alice', to: 'bot', text });
    await delay(300);
    await emu.control.setOffline({ offline: false });
    const back = Date.now();
    await waitFor(() => seen.some((s) => s.at >= back && s.fill === 'green'), 'the green status', 4000);
    const green = seen.find((s) => s.at >= back && s.fill === 'green');
    assert.ok(green.at - back <= 2000, `green after ${green.at - back} ms`);
    await waitFor(
      () => ['while away 1', 'while away 2', 'while away 3'].every((t) => aliceGot(t).length === 1),
      'the backlog echoed',
    );
    await delay(500);
    for (const text of ['before', 'while away 1', 'while away 2', 'while away 3'])
      assert.equal(aliceGot(text).length, 1, text);
    assert.equal(botCommands(/^\/_send /).length, 4, 'each answer sent once');
  });

  it('never has two sockets open across 20 redeploys, and ends with one', async () => {
    await sx.loadSimplex(emu, echoFlow());
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, emu.control.connections({}).length);
    }, 2);
    try {
      for (let i = 0; i < 20; i++) {
        const flow = echoFlow({ welcome: `Hello #${i}` });
        await helper.setFlows(flow, i % 2 ? 'full' : 'nodes');
        await waitFor(() => emu.control.connections({}).length === 1, `the socket after redeploy ${i}`);
      }
    } finally {
      clearInterval(sampler);
    }
    assert.ok(most <= 1, `${most} sockets were open at once`);
    emu.control.send({ from: 'Alice', to: 'bot', text: 'after redeploys' });
    await waitFor(() => aliceGot('after redeploys').length === 1, 'the echo after the redeploys');
    await delay(300);
    assert.equal(aliceGot('after redeploys').length, 1);
  });

  it('keeps the address, welcome and profile with its command menu, writing only on change', async () => {
    const menu = [
      { keyword: 'help', label: 'Help', params: '', menu: '' },
      { keyword: 'on', label: 'Lights on', params: '', menu: 'Lights' },
      { keyword: 'off', label: 'Lights off', params: '', menu: 'Lights' },
    ];
    await sx.loadSimplex(emu, echoFlow({ menu, displayName: 'HouseBot', welcome: 'Welcome to the house' }));
    const user = (await emu.control.command({ cmd: '/user' })).user;
    assert.equal(user.profile.displayName, 'HouseBot');
    assert.equal(user.profile.peerType, 'bot');
    assert.deepEqual(user.profile.preferences.commands, [
      { type: 'command', keyword: 'help', label: 'Help' },
      {
        type: 'menu',
        label: 'Lights',
        commands: [
          { type: 'command', keyword: 'on', label: 'Lights on' },
          { type: 'command', keyword: 'off', label: 'Lights off' },
        ],
      },
    ]);
    const shown = await emu.control.command({ cmd: '/_show_address 1' });
    assert.equal(shown.contactLink.addressSettings.autoReply.text, 'Welcome to the house');
    const writes = () => botCommands(/^\/_profile |^\/_address_settings /).length;
    const before = writes();
    assert.equal(before, 2);
    // A reconnect runs the actions again; nothing differs, so nothing is written.
    const cli = helper.getNode('cli');
    const ranAt = cli.startup.at;
    emu.control.dropSockets({});
    await waitFor(() => cli.startup.at !== ranAt, 'the actions after the reconnect');
    assert.equal(writes(), before);
    // The editor shows the deployed bot's address.
    const info = await helper.request().get('/simplex-cli/cli/info').expect(200);
    assert.equal(info.body.address, emu.control.address().connShortLink);
    assert.equal(qrText(info.body.qr), info.body.address, 'the QR code reads back as the address');
    assert.equal(info.body.state, 'connected');
    assert.equal(JSON.stringify(info.body).includes('password'), false);
  });

  it('offers the contacts and groups of the deployed CLI to the editor', async () => {
    await sx.loadSimplex(emu, echoFlow());
    const contacts = await helper.request().get('/simplex-cli/cli/lookup/contacts').expect(200);
    assert.ok(contacts.body.items.some((i) => /^@\d+$/.test(i.id) && i.label === 'Alice'));
    const groups = await helper.request().get('/simplex-cli/cli/lookup/groups').expect(200);
    assert.ok(groups.body.items.some((i) => /^#\d+$/.test(i.id) && i.label === 'Family'));
    await helper.request().get('/simplex-cli/nothing/lookup/groups').expect(404);
    await helper.request().get('/simplex-cli/cli/lookup/secrets').expect(404);
    const table = await helper.request().get('/simplex-command/commands').expect(200);
    assert.ok(table.body.some((c) => c.name === 'APISendMessages' && c.params.length > 0));
  });

  it('takes an address from an unset environment variable as the default address', async () => {
    // The config node alone: no node uses it, so it opens no socket to whatever listens on that port.
    await helper.load(sx.ALL, [
      tab(),
      sx.cliNode(emu, { url: '${SX_TEST_UNSET_URL}', filesFolder: '${SX_TEST_UNSET_FOLDER}' }),
    ]);
    const cli = helper.getNode('cli');
    assert.equal(cli.problem, undefined);
    assert.equal(cli.url, 'ws://127.0.0.1:5225/');
  });

  it('refuses plain ws:// to another host with a red status on every node, opening no socket', async () => {
    await helper.load(sx.ALL, echoFlow({ url: 'ws://cli.example.invalid:5225' }));
    const recv = helper.getNode('recv');
    assert.ok(helper.getNode('cli').problem);
    const status = recv.status.lastCall.args[0];
    assert.equal(status.fill, 'red');
    assert.equal(status.shape, 'ring');
    assert.match(status.text, /unencrypted/);
    const caught = await new Promise((resolve) => {
      helper.getNode('send').receive({ payload: 'x', chatRef: '@1' });
      setTimeout(() => resolve(helper.getNode('send').error.lastCall), 200);
    });
    assert.ok(caught, 'the send failed');
  });

  it('never gives a password typed into an unusable address back to the editor', async () => {
    await helper.load(sx.ALL, echoFlow({ url: 'https://bot:s3cret-pass@cli.example.invalid:5225' }));
    assert.ok(helper.getNode('cli').problem, 'the address is refused');
    const info = await helper.request().get('/simplex-cli/cli/info').expect(200);
    assert.equal(JSON.stringify(info.body).includes('s3cret-pass'), false);
    assert.equal(helper.getNode('cli').url.includes('s3cret-pass'), false);
  });

  it('warns when two CLI nodes point at the same CLI', async () => {
    const second = { ...sx.cliNode(emu), id: 'cli2', name: 'second' };
    await sx.loadSimplex(emu, [...echoFlow(), second, sx.receiveNode('recv2', [[]], { cli: 'cli2' })]);
    await waitFor(() => helper.getNode('cli2').warn.called || helper.getNode('cli').warn.called, 'the warning');
    const calls = [...helper.getNode('cli').warn.args, ...helper.getNode('cli2').warn.args].flat().map(String);
    assert.ok(
      calls.some((w) => w.includes('warnings.sharedCli')),
      JSON.stringify(calls),
    );
  });

  it('shows a CLI without a user profile on the status', async () => {
    await emu.close();
    emu = await sx.startSimplex({ seed: 'none', botDisplayName: null });
    await helper.load(sx.ALL, echoFlow());
    const recv = helper.getNode('recv');
    const seen = statuses('recv');
    await waitFor(() => seen.some((s) => String(s.text).includes('noUser')), 'the status');
    assert.equal(seen.find((s) => String(s.text).includes('noUser')).fill, 'yellow');
    assert.ok(recv);
  });

  it('connects through a TLS proxy with basic auth from the environment and a CA file', async () => {
    const dir = path.join(emu.dir, 'tls');
    const proxy = await startTlsProxy(emu, dir);
    try {
      fs.writeFileSync(path.join(dir, 'ca-file.pem'), proxy.ca);
      process.env.SX_TEST_PROXY_PASSWORD = PASSWORD;
      const cli = { url: `wss://localhost:${proxy.port}`, ca: path.join(dir, 'ca-file.pem') };
      await sx.loadSimplex(emu, echoFlow(cli), { cli: { username: USER, password: '${SX_TEST_PROXY_PASSWORD}' } });
      emu.control.send({ from: 'Alice', to: 'bot', text: 'through the proxy' });
      await waitFor(() => aliceGot('through the proxy').length === 1, 'the echo through the proxy');
      await helper.unload();
      // A wrong password: a red ring that says so, and the password appears nowhere.
      await helper.load(sx.ALL, echoFlow(cli), { cli: { username: USER, password: 'wrong-password-123' } });
      const seen = statuses('recv');
      await waitFor(() => seen.some((s) => String(s.text).includes('unauthorized')), 'the refusal');
      const shown = seen.find((s) => String(s.text).includes('unauthorized'));
      assert.equal(shown.fill, 'red');
      assert.ok(!JSON.stringify(seen).includes('wrong-password-123'));
    } finally {
      await proxy.close();
    }
  });
});
