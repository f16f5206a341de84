'use strict';
// API key lifecycle through real nodes and the emulator: the key's days left on every user node's status (yellow
// under 5 days), manual rotation through the api node, automatic rotation, the durable key file (preferred over
// the credential only while the credential is the key it replaced), an interrupted rotation finished at the next
// start, and a rotation under load that loses no message and leaves only the new key valid.
// Keys are never printed: comparisons use assert.ok(a === b) so a failure cannot show a key.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { helper, nodes, DEMO, KEY_DIR, keyOf, waitFor, accountNode, startEmulator, openSockets } = require('../helpers/env');

const sha256 = (s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');
const keyFile = (id = 'acc') => path.join(KEY_DIR, `${id}.json`);
const DAY_MS = 24 * 3600 * 1000;
const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Calls the emulator's REST API directly with a key; resolves { status, body }. */
async function rest(emu, key, method, apiPath, body) {
  const res = await fetch(emu.url + apiPath, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** A fresh key of the bot account, expiring in `days` days (made with the bot's seeded key). */
async function newBotKey(emu, days, name = 'test key') {
  const { status, body } = await rest(emu, keyOf(emu, DEMO.bot), 'POST', '/apikey', { name, expire_at: rfc3339(Date.now() + days * DAY_MS) });
  assert.equal(status, 200);
  return { key: body.data.key, id: body.data.id };
}

const isValid = async (emu, key) => (await rest(emu, key, 'GET', '/apikey/~validate')).status === 200;

function flow(emu, account = {}) {
  return [
    { id: 'f1', type: 'tab' },
    { ...accountNode(emu), ...account },
    { id: 'api', z: 'f1', x: 100, y: 100, type: 'semilimes-api', account: 'acc', operation: 'rotate-key', params: {}, wires: [['out']] },
    {
      id: 'send', z: 'f1', x: 100, y: 100, type: 'semilimes-send', account: 'acc', action: 'send',
      chatKind: 'p2p', chatId: DEMO.alice, chatIdType: 'str', messageId: 'messageId',
      messageIdType: 'msg', reaction: '', reactionType: 'str', silent: true, wires: [['sent']],
    },
    { id: 'receive', z: 'f1', x: 100, y: 100, type: 'semilimes-receive', account: 'acc', p2p: true, groupchat: false, channel: false, wires: [['received']] },
    { id: 'received', z: 'f1', x: 100, y: 100, type: 'helper' },
    { id: 'out', z: 'f1', x: 100, y: 100, type: 'helper' },
    { id: 'sent', z: 'f1', x: 100, y: 100, type: 'helper' },
    { id: 'catch', z: 'f1', x: 100, y: 100, type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', x: 100, y: 100, type: 'helper' },
  ];
}

describe('API key lifecycle', function () {
  let emu;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
    fs.rmSync(keyFile(), { force: true });
  });
  afterEach(async () => {
    await helper.unload();
    await emu.close();
    fs.rmSync(keyFile(), { force: true });
  });

  const load = (apiKey, account) =>
    helper.load([nodes.account, nodes.api, nodes.send, nodes.receive, nodes.catch], flow(emu, account), { acc: { apiKey } });
  const statusOf = (id) => helper.getNode(id).status.lastCall && helper.getNode(id).status.lastCall.args[0];

  /** The rotate-key operation through the api node; resolves with its output message or throws the Catch error. */
  function rotate() {
    return new Promise((resolve, reject) => {
      const out = helper.getNode('out');
      const caught = helper.getNode('caught');
      const cleanup = () => {
        out.removeAllListeners('input');
        caught.removeAllListeners('input');
      };
      out.once('input', (m) => { cleanup(); resolve(m); });
      caught.once('input', (m) => { cleanup(); reject(m.error); });
      helper.getNode('api').receive({ payload: 'now' });
    });
  }

  it('says nothing of a long-lived key: green, "connected"', async () => {
    await load(keyOf(emu, DEMO.bot));
    await waitFor(async () => (await emu.control.requests()).some((r) => r.path === '/apikey/~validate'), 'key check');
    await waitFor(() => helper.getNode('acc').keyInfo, 'key info');
    for (const id of ['api', 'send']) {
      await waitFor(() => statusOf(id) && statusOf(id).fill === 'green', `${id} green`);
      assert.equal(statusOf(id).text, 'semilimes-account.status.connected');
    }
    const validations = (await emu.control.requests()).filter((r) => r.path === '/apikey/~validate');
    assert.equal(validations.length, 1, 'one validation at start for the account, not one per node');
  });

  it('warns in yellow when the key has fewer than 5 days left', async () => {
    const short = await newBotKey(emu, 3);
    await load(short.key);
    for (const id of ['api', 'send']) {
      await waitFor(() => statusOf(id) && statusOf(id).fill === 'yellow' && /keyDays/.test(statusOf(id).text), `${id} yellow`);
      assert.equal(statusOf(id).shape, 'dot');
    }
  });

  it('rotates by hand through the api node: new key stored 0600, socket switched, old key deleted', async () => {
    const original = await newBotKey(emu, 30, 'original');
    await load(original.key);
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'WebSocket up');
    const connectsBefore = (await emu.control.connections()).find((c) => c.accountId === DEMO.bot);

    const msg = await rotate();
    assert.equal(msg.payload.deletedKeyId, original.id);
    assert.notEqual(msg.payload.newKeyId, original.id);
    assert.equal(msg.payload.key, undefined, 'the key itself never leaves the account node');
    assert.ok(!JSON.stringify(msg).includes(original.key));

    const stored = JSON.parse(fs.readFileSync(keyFile(), 'utf8'));
    assert.equal(fs.statSync(keyFile()).mode & 0o777, 0o600);
    assert.equal(fs.statSync(KEY_DIR).isDirectory(), true);
    assert.equal(stored.keyId, msg.payload.newKeyId);
    assert.ok(stored.replaces === sha256(original.key), 'the file names the credential it replaces');
    assert.equal(stored.retireKeyId, null, 'nothing left to delete');
    assert.equal(await isValid(emu, stored.key), true, 'the new key works');
    assert.equal(await isValid(emu, original.key), false, 'the old key is deleted');

    // The WebSocket now runs on the new key (no redeploy), and the old socket is gone.
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'one socket');
    const connectsAfter = (await emu.control.connections()).find((c) => c.accountId === DEMO.bot);
    assert.ok(JSON.stringify(connectsAfter) !== JSON.stringify(connectsBefore));
    const send = helper.getNode('send');
    const sent = new Promise((resolve) => helper.getNode('sent').once('input', resolve));
    send.receive({ payload: 'after rotation' });
    await sent;
    const last = (await emu.control.requests()).filter((r) => r.path === '/communication/p2p/message/send').pop();
    assert.equal(last.transport, 'ws');
  });

  it('keeps using the stored key after a restart, and the typed key wins once it changes', async () => {
    const original = await newBotKey(emu, 30, 'original');
    await load(original.key);
    const rotated = await rotate();
    await helper.unload();

    // Restart with the same (now deleted) credential: the key file is used, nothing is unauthorized.
    await load(original.key);
    await waitFor(() => helper.getNode('acc').keyInfo, 'key checked after restart');
    const validations = (await emu.control.requests()).filter((r) => r.path === '/apikey/~validate');
    assert.equal(validations[validations.length - 1].accountId, DEMO.bot);
    assert.equal(statusOf('send').fill, 'green');
    await helper.unload();

    // A new key typed in the editor (another credential): the file no longer applies.
    const typed = await newBotKey(emu, 60, 'typed');
    await load(typed.key);
    const account = helper.getNode('acc');
    const info = await waitFor(() => account.keyInfo, 'key info');
    assert.equal(info.id, typed.id);
    assert.notEqual(info.id, rotated.payload.newKeyId);
  });

  it('finishes an interrupted rotation at the next start (deletes the key the stored one replaced)', async () => {
    const original = await newBotKey(emu, 30, 'original');
    const replacement = await newBotKey(emu, 90, 'replacement');
    fs.mkdirSync(KEY_DIR, { recursive: true });
    fs.writeFileSync(keyFile(), JSON.stringify({
      version: 1, replaces: sha256(original.key), key: replacement.key, keyId: replacement.id,
      retireKeyId: original.id, rotatedAt: new Date().toISOString(),
    }), { mode: 0o600 });
    await load(original.key);
    await waitFor(async () => !(await isValid(emu, original.key)), 'the replaced key deleted');
    assert.equal(await isValid(emu, replacement.key), true);
    await waitFor(() => JSON.parse(fs.readFileSync(keyFile(), 'utf8')).retireKeyId === null, 'file updated');
  });

  it('rotates by itself when automatic rotation is on and the key is about to expire', async () => {
    const short = await newBotKey(emu, 2, 'short');
    await load(short.key, { autoRotate: true, rotateDays: 5, keyValidityDays: 30 });
    await waitFor(async () => !(await isValid(emu, short.key)), 'the short-lived key replaced', 8000);
    const stored = JSON.parse(fs.readFileSync(keyFile(), 'utf8'));
    assert.equal(await isValid(emu, stored.key), true);
    const days = (Date.parse(stored.expireAt) - Date.now()) / DAY_MS;
    assert.ok(days > 29 && days <= 30, `new key lasts keyValidityDays (${days.toFixed(1)})`);
    await waitFor(() => statusOf('send') && statusOf('send').fill === 'green', 'status back to green');
  });

  it('does not rotate by itself when automatic rotation is off (the default)', async () => {
    const short = await newBotKey(emu, 2, 'short');
    await load(short.key);
    // A yellow dot: the key warning (a yellow ring would only be "connecting").
    await waitFor(() => statusOf('send') && statusOf('send').fill === 'yellow' && statusOf('send').shape === 'dot', 'yellow warning');
    assert.equal(await isValid(emu, short.key), true);
    assert.equal(fs.existsSync(keyFile()), false);
  });

  it('a deploy during a rotation waits for it: the key file is complete once the account has closed', async () => {
    const original = await newBotKey(emu, 30, 'original');
    await load(original.key);
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'WebSocket up');
    await waitFor(() => helper.getNode('acc').keyInfo, 'the start check done');
    // Every answer takes a while, so the rotation (seven requests) is still running when the flows stop, and outlasts
    // the second the api node gives its own work to settle.
    await emu.control.setDelay(300);
    rotate().catch(() => {});
    await waitFor(async () => (await emu.control.requests()).some((r) => r.method === 'POST' && r.path === '/apikey'), 'rotation under way');
    await helper.unload();
    const afterClose = fs.readFileSync(keyFile(), 'utf8');
    assert.equal(JSON.parse(afterClose).retireKeyId, null, 'the rotation had finished, old key deleted');
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(fs.readFileSync(keyFile(), 'utf8') === afterClose, 'nothing written after the close');
    assert.equal(await isValid(emu, original.key), false);
  });

  it('rotation under load: every message sent exactly once, none failed, only the new key valid', async function () {
    this.timeout(30000);
    const original = await newBotKey(emu, 30, 'original');
    await load(original.key);
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'WebSocket up');
    // Each answer takes a little while, so many requests are in flight on the socket when the key switches.
    await emu.control.setDelay(20);

    const send = helper.getNode('send');
    const delivered = new Map();
    const failures = [];
    helper.getNode('sent').on('input', (m) => delivered.set(m.seq, m.messageId));
    helper.getNode('caught').on('input', (m) => failures.push(m.error.message));

    const TOTAL = 400;
    let rotation;
    let rotationMs;
    const started = Date.now();
    for (let seq = 0; seq < TOTAL; seq++) {
      send.receive({ payload: `reading ${seq}`, seq });
      if (seq === 100) {
        const t0 = Date.now();
        rotation = rotate().then((m) => {
          rotationMs = Date.now() - t0;
          return m;
        });
      }
      if (seq % 10 === 9) await new Promise((r) => setTimeout(r, 5)); // a steady stream, not one burst
    }
    const rotated = await rotation;
    await waitFor(() => delivered.size + failures.length === TOTAL, 'every message answered', 20000);
    const elapsed = Date.now() - started;

    assert.deepEqual(failures, [], 'no message failed');
    assert.equal(delivered.size, TOTAL);
    const stored = (await emu.control.messages({ chat: { between: [DEMO.bot, DEMO.alice] } }))
      .filter((m) => /^reading \d+$/.test(m.dataComponent.text));
    assert.equal(stored.length, TOTAL, 'each message stored exactly once');
    assert.equal(new Set(stored.map((m) => m.dataComponent.text)).size, TOTAL);

    const sends = (await emu.control.requests()).filter((r) => r.path === '/communication/p2p/message/send');
    const keyFileContent = JSON.parse(fs.readFileSync(keyFile(), 'utf8'));
    assert.equal(await isValid(emu, original.key), false, 'old key deleted');
    assert.equal(await isValid(emu, keyFileContent.key), true, 'new key valid');
    assert.equal(rotated.payload.deletedKeyId, original.id);
    // The seeded key of the bot was only used to create the test's key; the account's own keys are the point.
    console.log(
      `      rotation under load: ${TOTAL} messages in ${elapsed} ms, rotation took ${rotationMs} ms, ` +
        `${sends.filter((r) => r.transport === 'ws').length} over the WebSocket / ${sends.filter((r) => r.transport === 'rest').length} over REST, 0 lost`,
    );
  });

  it('inbound messages during a rotation arrive exactly once (no gap, no duplicate)', async function () {
    this.timeout(30000);
    const original = await newBotKey(emu, 30, 'original');
    await load(original.key);
    await waitFor(async () => (await openSockets(emu, DEMO.bot)) === 1, 'WebSocket up');
    const seen = [];
    helper.getNode('received').on('input', (m) => seen.push(m.payload));

    const TOTAL = 300;
    let rotation;
    for (let i = 0; i < TOTAL; i++) {
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: { dataComponentType: 'text', text: `in ${i}` } });
      if (i === 50) rotation = rotate();
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 2));
    }
    await rotation;
    await waitFor(() => seen.length >= TOTAL, 'every inbound message', 10000);
    await new Promise((r) => setTimeout(r, 200)); // a late duplicate would show up now
    assert.equal(seen.length, TOTAL);
    assert.equal(new Set(seen).size, TOTAL);
    assert.equal(await isValid(emu, original.key), false);
  });

  it('a rotation that fails half way changes nothing: error to Catch, old key valid, no key file', async () => {
    const original = await newBotKey(emu, 30, 'original');
    await load(original.key);
    await waitFor(() => helper.getNode('acc').keyInfo, 'start-up key check');
    // The rotation's own validation passes; creating the new key answers 500.
    await emu.control.failNext({ count: 2, status: 500, transport: 'rest' });
    await rest(emu, original.key, 'GET', '/apikey/~validate'); // takes the first injected failure
    await assert.rejects(rotate(), (err) => /HTTP 500/.test(err.message));
    assert.equal(await isValid(emu, original.key), true);
    assert.equal(fs.existsSync(keyFile()), false);
    assert.equal(statusOf('api').fill, 'red');
    // The account keeps working with its key.
    const sent = new Promise((resolve) => helper.getNode('sent').once('input', resolve));
    helper.getNode('send').receive({ payload: 'still here' });
    assert.ok((await sent).messageId);
  });
});
