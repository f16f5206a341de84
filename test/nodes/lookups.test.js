'use strict';
// Editor lookups (contacts, group chats, channels of an account) served by the account node's admin route.
// Part 1 uses the test helper's admin app (no adminAuth there) for what the route answers. Part 2 starts a real
// Node-RED with adminAuth in a child process, loading the built nodes, and shows that the route refuses requests
// without the permission and answers with it.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { helper, nodes, DEMO, FAST_CLIENT, KEY_DIR, keyOf, waitFor, accountNode, startEmulator } = require('../helpers/env');

const PLACEHOLDER = '__PWRD__';

describe('editor lookups', function () {
  let emu;

  before(async () => {
    emu = await startEmulator({ port: 0 });
  });
  after(async () => {
    await emu.close();
  });

  describe('what the route answers', () => {
    beforeEach(async () => {
      await helper.load([nodes.account], [accountNode(emu)], { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    });
    afterEach(async () => {
      await helper.unload();
    });

    const lookup = (kind, body) => helper.request().post(`/semilimes-account/lookup/${kind}`).send(body);

    it('lists contacts, group chats and channels with the deployed key (placeholder in the key field)', async () => {
      const contacts = await lookup('contacts', { account: 'acc', baseUrl: emu.url, apiKey: PLACEHOLDER }).expect(200);
      assert.deepEqual(contacts.body.items.map((i) => [i.id, i.label]).sort(), [[DEMO.alice, 'Alice'], [DEMO.bob, 'Bob']]);
      assert.equal(contacts.body.items[0].detail, 'CONFIRMED');
      const chats = await lookup('groupchats', { account: 'acc', baseUrl: emu.url, apiKey: '' }).expect(200);
      assert.deepEqual(chats.body.items, [{ id: DEMO.family, label: 'Family', detail: 3 }]);
      const channels = await lookup('channels', { account: 'acc', baseUrl: emu.url, apiKey: PLACEHOLDER }).expect(200);
      assert.deepEqual(channels.body.items, [{ id: DEMO.news, label: 'Home news', detail: 'Owner' }]);
    });

    it('works for an account node not deployed yet, with the key typed in its dialog', async () => {
      const res = await lookup('contacts', { account: 'not-deployed', baseUrl: emu.url, apiKey: keyOf(emu, DEMO.alice) }).expect(200);
      assert.deepEqual(res.body.items.map((i) => i.label).sort(), ['Bob', 'Node-RED Bot']);
    });

    it('reads a ${ENV} key typed in the dialog for the deployed address', async () => {
      process.env.SEMILIMES_LOOKUP_TEST_KEY = keyOf(emu, DEMO.bob);
      try {
        const res = await lookup('contacts', { account: 'acc', baseUrl: emu.url, apiKey: '${SEMILIMES_LOOKUP_TEST_KEY}' }).expect(200);
        assert.deepEqual(res.body.items.map((i) => i.label).sort(), ['Alice', 'Node-RED Bot']);
      } finally {
        delete process.env.SEMILIMES_LOOKUP_TEST_KEY;
      }
    });

    const refusals = [
      ['a wrong key', { account: 'x', apiKey: 'wrong-key' }, 401, /refused/],
      ['no key and no deployed account', { account: 'not-deployed', apiKey: '' }, 400, /noKey/],
      ['the placeholder without a deployed account', { account: 'not-deployed', apiKey: PLACEHOLDER }, 400, /noKey/],
      ['the stored key with another base URL', { account: 'acc', apiKey: PLACEHOLDER, baseUrl: 'http://127.0.0.1:1/' }, 400, /urlChanged/],
      ['a ${ENV} key with an address typed in the editor', { account: 'x', apiKey: '${HOME}', baseUrl: 'http://127.0.0.1:1/' }, 400, /envUrl/],
      ['plain http to a non-loopback host', { account: 'x', apiKey: 'k', baseUrl: 'http://example.com/' }, 400, /loopback/],
    ];
    for (const [what, body, status, pattern] of refusals) {
      it(`answers ${what} with ${status} and a message`, async () => {
        const res = await lookup('contacts', { baseUrl: emu.url, ...body }).expect(status);
        assert.match(res.body.error, pattern);
        assert.ok(!JSON.stringify(res.body).includes(keyOf(emu, DEMO.bot)));
      });
    }

    it('rotates a deployed account\'s key from the dialog\'s button, and refuses one not deployed', async () => {
      const oldKey = keyOf(emu, DEMO.bot);
      const res = await helper.request().post('/semilimes-account/acc/rotate').expect(200);
      assert.equal(typeof res.body.newKeyId, 'number');
      assert.equal(res.body.key, undefined);
      const validate = await fetch(`${emu.url}/apikey/~validate`, { headers: { authorization: `Bearer ${oldKey}` } });
      assert.equal(validate.status, 401, 'the key in use before was deleted');
      // (keyOf now returns the new key: the emulator lists an account's first valid key.)
      assert.ok(keyOf(emu, DEMO.bot) !== oldKey);
      const missing = await helper.request().post('/semilimes-account/nope/rotate').expect(404);
      assert.match(missing.body.error, /notDeployed/);
      fs.rmSync(path.join(KEY_DIR, 'acc.json'), { force: true });
    });

    it('answers an unknown kind with 404', async () => {
      const res = await lookup('files', { account: 'acc', apiKey: PLACEHOLDER, baseUrl: emu.url }).expect(404);
      assert.match(res.body.error, /unknownKind/);
    });
  });

  describe('in a real Node-RED with adminAuth', function () {
    this.timeout(30000);
    let red;
    let base;
    let userDir;
    let output = '';

    const freePort = () =>
      new Promise((resolve) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address();
          server.close(() => resolve(port));
        });
      });

    before(async () => {
      const bcrypt = require('bcryptjs');
      userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-adminauth-'));
      const port = await freePort();
      const hash = bcrypt.hashSync('secret-pw', 8);
      const settings = {
        uiHost: '127.0.0.1',
        uiPort: port,
        flowFile: 'flows.json',
        credentialSecret: false,
        nodesDir: [path.join(__dirname, '..', '..', 'dist', 'nodes')],
        semilimesClientOptions: FAST_CLIENT,
        semilimesKeyDir: path.join(userDir, 'keys'),
        logging: { console: { level: 'warn' } },
        adminAuth: {
          type: 'credentials',
          users: [
            { username: 'reader', password: hash, permissions: 'read' },
            { username: 'flowsonly', password: hash, permissions: ['flows.read'] },
          ],
        },
      };
      fs.writeFileSync(path.join(userDir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
      fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify([{ id: 'acc', type: 'semilimes-account', name: 'bot', baseUrl: emu.url }]));
      fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify({ acc: { apiKey: keyOf(emu, DEMO.bot) } }));
      red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')], {
        cwd: userDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      red.stdout.on('data', (d) => (output += d));
      red.stderr.on('data', (d) => (output += d));
      base = `http://127.0.0.1:${port}`;
      await waitFor(async () => {
        try {
          return (await fetch(`${base}/auth/login`)).status === 200;
        } catch {
          return false;
        }
      }, 'Node-RED to start', 25000).catch((err) => {
        throw new Error(`${err.message}\n${output}`);
      });
      // The semilimes nodes must have loaded, or a 404 below would prove nothing.
      await waitFor(async () => {
        const token = await tokenFor('reader');
        const res = await fetch(`${base}/nodes`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
        const list = await res.json();
        return list.some((n) => n.types && n.types.includes('semilimes-account'));
      }, 'the semilimes nodes to load', 10000);
    });

    after(async () => {
      if (red && red.exitCode === null) {
        const exited = new Promise((resolve) => red.once('exit', resolve));
        red.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(userDir, { recursive: true, force: true });
    });

    // Node-RED only grants a token for a scope within the user's permissions: ask for exactly those.
    const SCOPES = { reader: 'read', flowsonly: 'flows.read' };
    async function tokenFor(username) {
      const res = await fetch(`${base}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'node-red-admin', grant_type: 'password', scope: SCOPES[username], username, password: 'secret-pw' }),
      });
      assert.equal(res.status, 200, `login as ${username}`);
      return (await res.json()).access_token;
    }

    const post = (kind, token) =>
      fetch(`${base}/semilimes-account/lookup/${kind}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ account: 'acc', baseUrl: emu.url, apiKey: PLACEHOLDER }),
      });

    it('refuses a request without a token', async () => {
      const res = await post('contacts');
      assert.equal(res.status, 401);
    });

    it('refuses a user without the semilimes-account.read permission', async () => {
      const res = await post('contacts', await tokenFor('flowsonly'));
      assert.equal(res.status, 401);
    });

    it('answers a user with read permission, using the deployed node\'s stored key', async () => {
      const res = await post('channels', await tokenFor('reader'));
      assert.equal(res.status, 200);
      assert.deepEqual((await res.json()).items, [{ id: DEMO.news, label: 'Home news', detail: 'Owner' }]);
    });

    it('refuses a read-only user a lookup with a typed key (the runtime would call an address of their choosing)', async () => {
      const res = await fetch(`${base}/semilimes-account/lookup/contacts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('reader')}` },
        body: JSON.stringify({ baseUrl: emu.url, apiKey: keyOf(emu, DEMO.bot) }),
      });
      assert.equal(res.status, 401);
    });

    it('refuses "rotate now" to a user with read permission only (it needs write)', async () => {
      const res = await fetch(`${base}/semilimes-account/acc/rotate`, { method: 'POST', headers: { authorization: `Bearer ${await tokenFor('reader')}` } });
      assert.equal(res.status, 401);
      const check = await fetch(`${emu.url}/apikey/~validate`, { headers: { authorization: `Bearer ${keyOf(emu, DEMO.bot)}` } });
      assert.equal(check.status, 200, 'the key was not rotated');
    });

    it('also guards the api node\'s endpoint table', async () => {
      assert.equal((await fetch(`${base}/semilimes-api/endpoints`)).status, 401);
      const res = await fetch(`${base}/semilimes-api/endpoints`, { headers: { authorization: `Bearer ${await tokenFor('reader')}` } });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).endpoints.length, 48);
    });

    it('logs no API key', () => {
      assert.ok(!output.includes(keyOf(emu, DEMO.bot)));
    });
  });
});
