'use strict';
// Every SimpleX example flow, run as shipped (debug nodes swapped for test helpers) against an emulated CLI whose
// ids differ from the demo's (two extra contacts first): the examples name chats and people through the environment
// and the messages, never by fixed ids.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { helper, waitFor, delay, coreNode } = require('../helpers/env');
const sx = require('../helpers/simplex');

const core = [
  coreNode('common/20-inject.js'),
  coreNode('common/90-comment.js'),
  coreNode('function/10-function.js'),
  coreNode('function/10-switch.js'),
  coreNode('function/15-change.js'),
  coreNode('storage/10-file.js'),
];
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

function example(name) {
  const flow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8'));
  return flow.map((n) => (n.type === 'debug' ? { id: n.id, z: n.z, type: 'helper', wires: [] } : n));
}

describe('SimpleX example flows', function () {
  this.timeout(30_000);
  let emu;
  let saveDir;
  const env = {};
  const setEnv = (values) => {
    for (const [k, v] of Object.entries(values)) {
      env[k] = process.env[k];
      process.env[k] = v;
    }
  };

  beforeEach(async () => {
    emu = await sx.startSimplex();
    // Contacts that shift every id away from the demo's.
    for (const name of ['Yara', 'Zed']) {
      await emu.control.createPerson({ name });
      await emu.control.connect({ person: name });
    }
    saveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simplex-saved-'));
    setEnv({ SIMPLEX_CLI_URL: emu.url, SIMPLEX_FILES_FOLDER: emu.filesFolder, SIMPLEX_SAVE_FOLDER: saveDir });
  });
  afterEach(async () => {
    await helper.unload();
    await emu.close();
    fs.rmSync(saveDir, { recursive: true, force: true });
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      delete env[k];
    }
  });

  async function load(name) {
    await helper.load([...sx.ALL, ...core], example(name));
    await waitFor(() => helper.getNode('simplex-demo-cli').startup.at, 'the CLI node to be ready', 8000);
  }
  const got = (person, chat, text) =>
    sx
      .messagesOf(emu, person, chat)
      .filter((m) => m.direction === 'rcv' && m.sender === 'HomeBot' && (text === undefined || m.text === text));
  const botId = async (name) =>
    (await emu.control.command({ cmd: '/_contacts 1' })).contacts.find((c) => c.localDisplayName === name).contactId;

  it('simplex-echo-bot: echoes texts in a direct chat and a group, not /commands', async () => {
    await load('simplex-echo-bot');
    emu.control.send({ from: 'Alice', to: 'bot', text: 'echo me' });
    emu.control.send({ from: 'Bob', group: 'Family', text: 'echo us' });
    emu.control.send({ from: 'Alice', to: 'bot', text: '/help' });
    await waitFor(
      () => got('Alice', 'bot', 'echo me').length === 1 && got('Bob', '#Family', 'echo us').length === 1,
      'the echoes',
    );
    await delay(400);
    assert.equal(got('Alice', 'bot', '/help').length, 0);
    assert.equal(got('Alice', 'bot', 'echo me').length, 1);
  });

  it('simplex-welcome-help: sets the welcome and command menu, and answers /help with a quote', async () => {
    await load('simplex-welcome-help');
    const user = (await emu.control.command({ cmd: '/user' })).user;
    assert.deepEqual(
      user.profile.preferences.commands.map((c) => c.keyword || c.label),
      ['help', 'photo', 'Lights'],
    );
    await emu.control.createPerson({ name: 'Nia' });
    await emu.control.connect({ person: 'Nia' });
    await waitFor(() => got('Nia', 'bot').some((m) => /Send \/help/.test(String(m.text))), 'the welcome');
    emu.control.send({ from: 'Nia', to: 'bot', text: '/help' });
    await waitFor(
      () => got('Nia', 'bot').some((m) => String(m.text).startsWith('I am a Node-RED bot') && m.quotedText === '/help'),
      'the help',
    );
  });

  it('simplex-home-automation: obeys allowed contacts only, and nobody when the allow-list is unset', async () => {
    setEnv({ SIMPLEX_ALLOWED_CONTACTS: 'Alice' });
    await load('simplex-home-automation');
    const device = [];
    helper.getNode('sx-home-device').on('input', (m) => device.push(m.payload));
    emu.control.send({ from: 'Alice', to: 'bot', text: '/on' });
    await waitFor(() => got('Alice', 'bot', 'The lights are on.').length === 1, 'the answer');
    emu.control.send({ from: 'Bob', to: 'bot', text: '/off' });
    emu.control.send({ from: 'Alice', to: 'bot', text: '/status' });
    await waitFor(() => got('Alice', 'bot', 'The lights are on.').length === 2, 'the status');
    assert.deepEqual(device, ['on'], 'Bob switched nothing');
    assert.equal(got('Bob', 'bot').filter((m) => /lights/.test(m.text)).length, 0);
    await helper.unload();
    delete process.env.SIMPLEX_ALLOWED_CONTACTS;
    await load('simplex-home-automation');
    const after = [];
    helper.getNode('sx-home-device').on('input', (m) => after.push(m.payload));
    emu.control.send({ from: 'Alice', to: 'bot', text: '/off' });
    await delay(600);
    assert.deepEqual(after, []);
  });

  it('simplex-broadcast: a trusted contact reaches every other contact once', async () => {
    setEnv({ SIMPLEX_TRUSTED_CONTACTS: `${await botId('Bob')}` });
    await load('simplex-broadcast');
    emu.control.send({ from: 'Bob', to: 'bot', text: '/broadcast Dinner at eight' });
    await waitFor(() => got('Bob', 'bot').some((m) => m.text === 'Forwarded to 3 contact(s).'), 'the confirmation');
    for (const person of ['Alice', 'Yara', 'Zed']) {
      await waitFor(() => got(person, 'bot', 'Dinner at eight').length === 1, `the copy to ${person}`);
    }
    assert.equal(got('Bob', 'bot', 'Dinner at eight').length, 0);
    emu.control.send({ from: 'Alice', to: 'bot', text: '/broadcast not allowed' });
    await delay(500);
    assert.equal(got('Zed', 'bot', 'not allowed').length, 0);
  });

  it('simplex-camera-photo: sends the snapshot as a picture on the button and on /photo', async () => {
    const alice = await botId('Alice');
    setEnv({ SIMPLEX_PHOTO_CHAT: `@${alice}`, SIMPLEX_ALLOWED_CONTACTS: 'Bob' });
    await load('simplex-camera-photo');
    helper.getNode('sx-photo-button').receive({});
    await waitFor(() => got('Alice', 'bot').some((m) => m.msgContent && m.msgContent.type === 'image'), 'the photo');
    const photo = got('Alice', 'bot').find((m) => m.msgContent && m.msgContent.type === 'image');
    assert.equal(photo.msgContent.text, 'Front door');
    assert.match(photo.file.fileName, /^door-\d+\.png$/);
    await emu.control.acceptFile({ person: 'Alice' });
    const file = emu.control.files({ person: 'Alice', content: 'base64' }).find((f) => f.name.startsWith('door-'));
    assert.equal(Buffer.from(file.base64, 'base64').subarray(1, 4).toString(), 'PNG');
    emu.control.send({ from: 'Bob', to: 'bot', text: '/photo' });
    await waitFor(
      () => got('Bob', 'bot').some((m) => m.msgContent && m.msgContent.type === 'image'),
      'the photo for Bob',
    );
  });

  it('simplex-save-files: saves a received file with the same bytes under a safe name', async () => {
    await load('simplex-save-files');
    const bytes = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 13) % 251));
    emu.control.send({
      from: 'Alice',
      to: 'bot',
      text: '',
      file: { name: '../../etc/evil name.bin', base64: bytes.toString('base64') },
    });
    await waitFor(() => fs.readdirSync(saveDir).length === 1, 'the saved file');
    const [saved] = fs.readdirSync(saveDir);
    assert.match(saved, /^\d+-evil_name\.bin$/);
    await waitFor(() => fs.statSync(path.join(saveDir, saved)).size === bytes.length, 'the whole file');
    assert.ok(fs.readFileSync(path.join(saveDir, saved)).equals(bytes));
    await waitFor(() => got('Alice', 'bot').some((m) => String(m.text).startsWith('Saved as ')), 'the answer');
  });

  it('simplex-group-moderation: removes a message with a banned word for everyone and warns the sender', async () => {
    await load('simplex-group-moderation');
    emu.control.send({ from: 'Bob', group: 'Family', text: 'cheap SPAM here' });
    emu.control.send({ from: 'Alice', group: 'Family', text: 'hello all' });
    await waitFor(
      () => got('Alice', '#Family').some((m) => /^Bob, that message was removed/.test(m.text)),
      'the warning',
    );
    await waitFor(
      () => sx.messagesOf(emu, 'Alice', '#Family').some((m) => m.text === 'cheap SPAM here' && m.deleted),
      'the removal',
    );
    assert.ok(sx.messagesOf(emu, 'Alice', '#Family').some((m) => m.text === 'hello all' && !m.deleted));
  });
});
