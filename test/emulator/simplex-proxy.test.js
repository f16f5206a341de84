'use strict';
// The semilimes emulator passes the phone page's SimpleX calls on to a SimpleX CLI emulator's control API, over
// real sockets: only the page's routes, JSON bodies only, answers and files passed back as they came.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startEmulator } = require('../../dist/emulator');
const { CliClient, controlOk, startSimplexEmulator, waitFor } = require('../simplex-emulator/helpers');

describe('semilimes emulator: the phone page’s way to the SimpleX emulator', function () {
  this.timeout(20000);
  let sx;
  let emu;
  let bot;

  beforeEach(async () => {
    sx = await startSimplexEmulator({ seed: 'demo' });
    emu = await startEmulator({ port: 0, simplexControlUrl: sx.controlUrl });
    bot = await CliClient.connect(sx.url);
  });
  afterEach(async () => {
    bot.close();
    await emu.close();
    await sx.close();
  });

  const post = (route, body, type = 'application/json') =>
    fetch(`${emu.url}/_emulator/simplex${route}`, {
      method: 'POST',
      headers: { 'Content-Type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('says which services the page can act in', async () => {
    assert.deepEqual(await (await fetch(`${emu.url}/_emulator/services`)).json(), { semilimes: true, simplex: true });
    const alone = await startEmulator({ port: 0 });
    try {
      assert.deepEqual(await (await fetch(`${alone.url}/_emulator/services`)).json(), {
        semilimes: true,
        simplex: false,
      });
      const res = await fetch(`${alone.url}/_emulator/simplex/devices`);
      assert.equal(res.status, 404);
      assert.match((await res.json()).error, /no SimpleX emulator/);
    } finally {
      await alone.close();
    }
  });

  it('passes reads and actions on: the people, and Alice writing to the bot', async () => {
    const devices = await (await fetch(`${emu.url}/_emulator/simplex/devices`)).json();
    assert.deepEqual(
      devices.map((d) => d.name),
      ['bot', 'Alice', 'Bob'],
    );
    const res = await post('/send', { from: 'Alice', to: 'bot', text: 'through the proxy' });
    assert.equal(res.status, 200);
    const got = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'through the proxy',
    );
    assert.equal(got.chatItems[0].chatInfo.contact.localDisplayName, 'Alice');
    const failed = await post('/send', { from: 'Nobody', to: 'bot', text: 'x' });
    assert.equal(failed.status, 404);
    assert.match((await failed.json()).error, /no device named "Nobody"/);
  });

  it('refuses a POST that is not JSON, and routes the page does not use', async () => {
    const before = (await controlOk(sx, 'GET', '/messages?person=Alice&chat=bot')).length;
    const form = await post('/send', 'from=Alice&to=bot&text=forged', 'application/x-www-form-urlencoded');
    assert.equal(form.status, 415);
    const fault = await post('/faults/offline', { offline: true });
    assert.equal(fault.status, 404);
    const command = await post('/command', { cmd: '/_delete @1 full' });
    assert.equal(command.status, 404);
    assert.equal((await controlOk(sx, 'GET', '/messages?person=Alice&chat=bot')).length, before);
    const again = await CliClient.connect(sx.url);
    again.close();
  });

  it('passes a file back with its type, name and policy', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-proxy-'));
    try {
      const file = path.join(dir, 'plan.txt');
      fs.writeFileSync(file, 'the plan');
      const alice = (await bot.ok('/_contacts 1')).contacts.find((c) => c.localDisplayName === 'Alice');
      await bot.ok(
        `/_send @${alice.contactId} json ${JSON.stringify([{ msgContent: { type: 'file', text: '' }, fileSource: { filePath: file } }])}`,
      );
      const item = await waitFor(async () =>
        (await controlOk(sx, 'GET', '/messages?person=Alice&chat=bot')).find((m) => m.file),
      );
      const res = await fetch(`${emu.url}/_emulator/simplex/file?person=Alice&fileId=${item.file.fileId}&download=1`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/octet-stream');
      assert.match(res.headers.get('content-disposition'), /^attachment; filename="plan.txt"/);
      assert.match(res.headers.get('content-security-policy'), /sandbox/);
      assert.equal(await res.text(), 'the plan');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 502 when the SimpleX emulator is gone', async () => {
    await sx.close();
    const res = await fetch(`${emu.url}/_emulator/simplex/devices`);
    assert.equal(res.status, 502);
    assert.match((await res.json()).error, /does not answer/);
  });
});
