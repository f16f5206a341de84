'use strict';
// Files move as real bytes between the devices' files folders, in both directions and to groups.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { CliClient, controlOk, startSimplexEmulator, waitFor } = require('./helpers');

const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

describe('SimpleX emulator: files with identical bytes', function () {
  this.timeout(20000);
  let emu;
  let bot;
  let tmp;
  let folder;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-files-'));
    folder = path.join(tmp, 'bot-files');
    emu = await startSimplexEmulator({ seed: 'demo', filesFolder: folder });
    bot = await CliClient.connect(emu.url);
  });
  afterEach(async () => {
    bot.close();
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function receiveOnBot(name, bytes) {
    const mark = bot.events.length;
    await controlOk(emu, 'POST', '/send', {
      from: 'Alice',
      to: 'bot',
      file: { name, base64: bytes.toString('base64') },
    });
    const offer = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.file?.fileName === name,
      3000,
      mark,
    );
    const fileId = offer.chatItems[0].chatItem.file.fileId;
    await bot.ok(`/freceive ${fileId}`);
    const done = await bot.waitEvent(
      (e) => e.type === 'rcvFileComplete' && e.chatItem.chatItem.file.fileId === fileId,
      3000,
      mark,
    );
    return done.chatItem.chatItem.file;
  }

  it('Alice -> bot: the bot finds the same bytes in its files folder, under a unique name', async () => {
    const bytes = crypto.randomBytes(300 * 1024);
    const first = await receiveOnBot('photo.jpg', bytes);
    assert.equal(first.fileSize, bytes.length);
    assert.equal(sha(fs.readFileSync(path.join(folder, first.fileSource.filePath))), sha(bytes));
    const other = Buffer.from([0, 255, 0, 1, 2]);
    const second = await receiveOnBot('photo.jpg', other);
    assert.notEqual(second.fileSource.filePath, first.fileSource.filePath);
    assert.deepEqual([...fs.readFileSync(path.join(folder, second.fileSource.filePath))], [...other]);
    const empty = await receiveOnBot('empty.txt', Buffer.alloc(0));
    assert.equal(fs.statSync(path.join(folder, empty.fileSource.filePath)).size, 0);
  });

  it('receives into the path given to /freceive', async () => {
    const bytes = crypto.randomBytes(1000);
    const mark = bot.events.length;
    await controlOk(emu, 'POST', '/send', {
      from: 'Alice',
      to: 'bot',
      file: { name: 'a.bin', base64: bytes.toString('base64') },
    });
    const offer = await bot.waitEvent((e) => e.type === 'rcvFileDescrReady', 3000, mark);
    const target = path.join(tmp, 'chosen', 'b.bin');
    await bot.ok(`/freceive ${offer.rcvFileTransfer.fileId} ${target}`);
    const done = await bot.waitEvent('rcvFileComplete', 3000, mark);
    assert.equal(done.chatItem.chatItem.file.fileSource.filePath, target);
    assert.equal(sha(fs.readFileSync(target)), sha(bytes));
  });

  it('bot -> Alice and bot -> group: every receiver gets the same bytes', async () => {
    const bytes = crypto.randomBytes(200 * 1024);
    const source = path.join(tmp, 'report.pdf');
    fs.writeFileSync(source, bytes);
    const alice = (await bot.ok('/_contacts 1')).contacts.find((c) => c.localDisplayName === 'Alice');
    await bot.ok(
      `/_send @${alice.contactId} json ${JSON.stringify([{ fileSource: { filePath: source }, msgContent: { type: 'file', text: 'the report' } }])}`,
    );
    await bot.waitEvent('sndFileCompleteXFTP');
    const got = await controlOk(emu, 'POST', '/accept-file', { person: 'Alice' });
    assert.equal(got.status, 'rcvComplete');
    assert.ok(path.isAbsolute(got.path), 'Alice has no --files-folder: an absolute path');
    assert.equal(sha(fs.readFileSync(got.path)), sha(bytes));

    const relative = 'relative.bin';
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, relative), bytes.subarray(0, 5000));
    await bot.ok(
      `/_send #1 json ${JSON.stringify([{ fileSource: { filePath: relative }, msgContent: { type: 'file', text: '' } }])}`,
    );
    for (const person of ['Alice', 'Bob']) {
      await waitFor(async () =>
        (await controlOk(emu, 'GET', `/messages?person=${person}&chat=%23Family`)).some(
          (m) => m.file?.fileName === relative,
        ),
      );
      const received = await controlOk(emu, 'POST', '/accept-file', { person });
      assert.equal(sha(fs.readFileSync(received.path)), sha(bytes.subarray(0, 5000)), person);
    }
    const listed = await controlOk(emu, 'GET', '/files?person=Bob&content=base64');
    assert.ok(
      listed.some((f) => f.name === relative && Buffer.from(f.base64, 'base64').equals(bytes.subarray(0, 5000))),
    );
  });
});
