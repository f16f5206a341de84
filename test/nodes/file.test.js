'use strict';
// The file node in a real Node-RED runtime against the emulator over real sockets: uploads from every kind of
// source come back byte-identical, limits are checked before sending, failures reach Catch nodes only.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const { helper, nodes, DEMO, keyOf, delay, accountNode, startEmulator, coreNode, exampleEnvFor } = require('../helpers/env');
const { DEMO_IDS } = require('../../dist/emulator');

// Core nodes from the Node-RED under test (NODE_RED_PATH selects another one, e.g. 5.x), as env.js does.
const core = coreNode;

const { tab, fileNode, helperNode, catchAll, recordErrors } = require('../helpers/flows');
const { recordOutcomes } = require('../helpers/outcomes');

const fileType = require('../../dist/nodes/semilimes-file.js');

describe('semilimes-file node', function () {
  // The shipped example in this suite reads its person's id from the environment, as in the demo.
  exampleEnvFor(DEMO_IDS);
  let emu;
  let dir;
  let cwdBefore;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-file-test-'));
    cwdBefore = fs.readdirSync(process.cwd()).sort();
  });
  after(async () => {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(
      fs.readdirSync(process.cwd()).sort(),
      cwdBefore,
      'nothing may be written to the working directory',
    );
  });
  afterEach(async () => {
    await helper.unload();
    await emu.control.reset();
  });

  // Paths anywhere (a blank folder) unless a test sets one: the temporary files live outside the user directory.
  function flow(settings = {}) {
    return [
      tab(),
      accountNode(emu),
      fileNode('up', [['out']], { folder: '', ...settings.up }),
      fileNode('down', [['out']], { action: 'download', y: 200, folder: '', ...settings.down }),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];
  }

  async function load(settings) {
    await helper.load([nodes.account, fileType, nodes.catch], flow(settings), {
      acc: { apiKey: keyOf(emu, DEMO.bot) },
    });
  }

  /** Sends `msg` to a node; resolves with every output and caught error seen until it settles. */
  async function run(id, msg) {
    const seen = { out: [], errors: [] };
    const onOut = (m) => seen.out.push(m);
    const onCaught = (m) => seen.errors.push(m.error);
    helper.getNode('out').on('input', onOut);
    helper.getNode('caught').on('input', onCaught);
    helper.getNode(id).receive(msg);
    const until = Date.now() + 15000;
    while (seen.out.length + seen.errors.length === 0 && Date.now() < until) await delay(10);
    await delay(50); // anything more (a second done or send) would show now
    helper.getNode('out').off('input', onOut);
    helper.getNode('caught').off('input', onCaught);
    return seen;
  }

  async function ok(id, msg) {
    const seen = await run(id, msg);
    assert.equal(seen.errors.length, 0, `expected success, got ${seen.errors[0] && seen.errors[0].message}`);
    assert.equal(seen.out.length, 1);
    return seen.out[0];
  }

  async function fails(id, msg) {
    const seen = await run(id, msg);
    assert.equal(seen.out.length, 0, 'a failed message never reaches the output');
    assert.equal(seen.errors.length, 1, 'exactly one error (done called once)');
    return seen.errors[0];
  }

  async function waitForMessage(find) {
    const until = Date.now() + 10000;
    for (;;) {
      const found = await find();
      if (found) return found;
      if (Date.now() > until) throw new Error('timed out waiting for the message');
      await delay(20);
    }
  }

  async function download(fileId) {
    return ok('down', { fileId });
  }

  const uploads = async () => (await emu.control.requests()).filter((r) => r.path === '/service/file/upload');

  it('round-trips a Buffer byte-identical, with fileIds and the uploadedFiles list', async () => {
    await load();
    const bytes = crypto.randomBytes(300_000);
    const up = await ok('up', { payload: bytes, filename: '/some/where/photo.JPG' });
    assert.equal(up.fileIds.length, 1);
    assert.deepEqual(up.payload, [{ fileId: up.fileIds[0], title: 'photo.JPG', size: bytes.length }]);
    const down = await download(up.fileIds[0]);
    assert.ok(Buffer.isBuffer(down.payload));
    assert.ok(down.payload.equals(bytes));
    assert.equal(down.contentType, 'image/jpeg', 'sniffed from the name');
    assert.equal(down.filename, 'photo.JPG');
    assert.deepEqual(down.file, {
      fileId: up.fileIds[0],
      title: 'photo.JPG',
      contentType: 'image/jpeg',
      size: bytes.length,
    });
    const [logged] = await uploads();
    assert.deepEqual(
      logged.body.files.map((f) => f.field),
      ['httpFiles'],
    );
  });

  it('uploads a file by path (no payload) and a readable stream, both byte-identical', async () => {
    await load();
    const bytes = crypto.randomBytes(1_500_000);
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, bytes);
    const byPath = await ok('up', { filename: file });
    assert.equal(byPath.payload[0].title, 'report.pdf');
    assert.ok((await download(byPath.fileIds[0])).payload.equals(bytes));

    const chunks = [bytes.subarray(0, 1000), bytes.subarray(1000, 700_000), bytes.subarray(700_000)];
    const byStream = await ok('up', {
      payload: Readable.from(chunks),
      filename: 'stream.bin',
      contentType: 'application/x-custom',
    });
    const down = await download(byStream.fileIds[0]);
    assert.ok(down.payload.equals(bytes));
    assert.equal(down.contentType, 'application/x-custom', 'the given type wins over the name');
  });

  it('uploads a string as UTF-8 and several files in one request', async () => {
    await load();
    const text = 'Grüße aus dem Keller 🌡️ 21.5 °C';
    const file = path.join(dir, 'data.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    const up = await ok('up', {
      payload: [
        { payload: text, filename: 'note.txt' },
        { payload: Buffer.from([0, 1, 2, 255]), filename: 'raw.bin', contentType: 'application/x-raw' },
        { filename: file },
      ],
    });
    assert.equal(up.fileIds.length, 3);
    assert.deepEqual(
      up.payload.map((f) => f.title),
      ['note.txt', 'raw.bin', 'data.csv'],
    );
    assert.equal((await uploads()).length, 1, 'one multipart request');
    const note = await download(up.fileIds[0]);
    assert.equal(note.payload.toString('utf8'), text);
    assert.equal(note.contentType, 'text/plain');
    assert.deepEqual([...(await download(up.fileIds[1])).payload], [0, 1, 2, 255]);
    const csv = await download(up.fileIds[2]);
    assert.equal(csv.payload.toString(), 'a,b\n1,2\n');
    assert.equal(csv.contentType, 'text/csv');
  });

  it('refuses an upload over the size limit before sending, and stops a stream that grows past it', async () => {
    await load({ up: { maxSizeMB: 1 } });
    const err = await fails('up', { payload: Buffer.alloc(1024 * 1024 + 1), filename: 'big.bin' });
    assert.match(err.message, /more than the limit of 1048576 bytes/);
    assert.equal((await uploads()).length, 0, 'nothing was sent');

    async function* endless() {
      for (let i = 0; i < 100; i++) yield Buffer.alloc(64 * 1024, i);
    }
    const grown = await fails('up', { payload: Readable.from(endless()), filename: 'camera.mjpeg' });
    assert.match(grown.message, /grew past the limit of 1048576 bytes/);
  });

  it('reports bad input clearly: no content, missing path, a directory, a number, a used stream', async () => {
    await load();
    assert.match((await fails('up', {})).message, /noContent/);
    assert.match((await fails('up', { filename: path.join(dir, 'missing.jpg') })).message, /badPath/);
    assert.match((await fails('up', { filename: dir })).message, /notAFile/);
    assert.match((await fails('up', { payload: 42, filename: 'x' })).message, /badContent/);
    assert.match((await fails('up', { payload: [] })).message, /noContent/);
    const stream = Readable.from([Buffer.from('once')]);
    await ok('up', { payload: stream, filename: 'once.txt' });
    assert.match((await fails('up', { payload: stream, filename: 'once.txt' })).message, /streamUsed/);
    assert.equal((await uploads()).length, 1);
  });

  it('downloads into a file through a temporary name, with the thumbnail width sent as documented', async () => {
    await load({ down: { output: 'file', thumbnailSize: '640' } });
    const bytes = crypto.randomBytes(2_000_000);
    const up = await ok('up', { payload: bytes, filename: 'cam.png' });
    const target = path.join(dir, 'saved.png');
    const down = await ok('down', { fileId: up.fileIds[0], filename: target });
    assert.equal(down.payload, target);
    assert.equal(down.filename, target);
    assert.equal(down.contentType, 'image/png');
    assert.deepEqual(down.file, {
      fileId: up.fileIds[0],
      title: 'cam.png',
      contentType: 'image/png',
      size: bytes.length,
    });
    assert.ok(fs.readFileSync(target).equals(bytes));
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.part')),
      [],
      'no partial file left',
    );
    const logged = (await emu.control.requests()).find((r) => r.path === '/service/file/download');
    assert.deepEqual(logged.body, { fileId: up.fileIds[0], thumbnailSize: 640 });
  });

  it('fails downloads clearly: unknown file, no id, over the Buffer limit, unwritable path', async () => {
    await load({ down: { maxSizeMB: 0.5 } });
    const notFound = await fails('down', { fileId: 'no-such-file' });
    assert.match(notFound.message, /HTTP 404/);
    assert.match((await fails('down', {})).message, /noFileId/);
    const up = await ok('up', { payload: crypto.randomBytes(600_000), filename: 'big.bin' });
    assert.match((await fails('down', { fileId: up.fileIds[0] })).message, /downloadTooBig/);
  });

  it('fails a download to a path it cannot write, leaving nothing behind', async () => {
    await load({ down: { output: 'file' } });
    const up = await ok('up', { payload: Buffer.from('x'), filename: 'x.txt' });
    const err = await fails('down', { fileId: up.fileIds[0], filename: path.join(dir, 'no-dir', 'x.txt') });
    assert.match(err.message, /writeFailed/);
  });

  it('keeps paths from messages inside its folder: no way out through "..", absolute paths or links', async () => {
    const inside = path.join(dir, 'allowed');
    const outside = path.join(dir, 'private');
    fs.mkdirSync(path.join(inside, 'sub'), { recursive: true });
    fs.mkdirSync(outside, { recursive: true });
    fs.writeFileSync(path.join(inside, 'sub', 'ok.txt'), 'inside');
    fs.writeFileSync(path.join(outside, 'flows_cred.json'), 'secret');
    fs.symlinkSync(path.join(outside, 'flows_cred.json'), path.join(inside, 'link-to-secret.json'));
    fs.symlinkSync(outside, path.join(inside, 'link-to-private'));
    await load({ up: { folder: inside }, down: { folder: inside, output: 'file' } });

    // Inside: a relative path is taken inside the folder, an absolute one inside it works too.
    const byRelative = await ok('up', { filename: 'sub/ok.txt' });
    assert.equal(byRelative.payload[0].title, 'ok.txt');
    await ok('up', { filename: path.join(inside, 'sub', 'ok.txt') });
    const uploaded = (await uploads()).length;

    const refused = [
      '../private/flows_cred.json',
      path.join(outside, 'flows_cred.json'),
      'sub/../../private/flows_cred.json',
      'link-to-secret.json',
      'link-to-private/flows_cred.json',
    ];
    for (const filename of refused) {
      const err = await fails('up', { filename });
      assert.match(err.message, /semilimes-file\.errors\.outsideFolder/, filename);
    }
    // A list of files is checked entry by entry: one outside refuses the whole message.
    const listed = await fails('up', {
      payload: [{ payload: 'fine', filename: 'a.txt' }, { filename: '../private/flows_cred.json' }],
    });
    assert.match(listed.message, /outsideFolder/);
    assert.equal((await uploads()).length, uploaded, 'nothing outside the folder was sent');

    // Downloads are saved inside it, and refused on any way out of it; nothing is written outside.
    const before = fs.readdirSync(outside).sort();
    const saved = await ok('down', { fileId: byRelative.fileIds[0], filename: 'sub/copy.txt' });
    assert.equal(fs.readFileSync(path.join(inside, 'sub', 'copy.txt'), 'utf8'), 'inside');
    assert.equal(saved.payload, path.join(fs.realpathSync(inside), 'sub', 'copy.txt'));
    for (const filename of [
      '../private/x.txt',
      path.join(outside, 'x.txt'),
      'link-to-private/x.txt',
      'link-to-secret.json',
    ]) {
      const err = await fails('down', { fileId: byRelative.fileIds[0], filename });
      assert.match(err.message, /outsideFolder/, filename);
    }
    assert.deepEqual(fs.readdirSync(outside).sort(), before);
    assert.equal(
      fs.readFileSync(path.join(outside, 'flows_cred.json'), 'utf8'),
      'secret',
      'the file behind the link is untouched',
    );
  });

  it('a folder that does not exist fails reads clearly, and is made for the first file saved into it', async () => {
    const folder = path.join(dir, 'not-yet');
    await load({ up: { folder }, down: { folder, output: 'file' } });
    const err = await fails('up', { filename: 'x.txt' });
    assert.match(err.message, /semilimes-file\.errors\.badFolder/);
    const up = await ok('up', { payload: 'kept', filename: 'kept.txt' });
    await ok('down', { fileId: up.fileIds[0], filename: 'kept.txt' });
    assert.equal(fs.readFileSync(path.join(folder, 'kept.txt'), 'utf8'), 'kept');
  });

  it('takes the action from msg.action and refuses unknown ones', async () => {
    await load({ up: { action: 'msg' } });
    const up = await ok('up', { action: 'upload', payload: 'hi', filename: 'hi.txt' });
    const down = await ok('up', { action: 'download', fileId: up.fileIds[0] });
    assert.equal(down.payload.toString(), 'hi');
    assert.match((await fails('up', { action: 'explode' })).message, /badAction/);
  });

  it('example "Camera snapshot to chat": a snapshot is uploaded and sent to Alice as a file message', async () => {
    const example = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'camera-snapshot-to-chat.json'), 'utf8'),
    );
    for (const n of example) if (n.type === 'semilimes-account') n.baseUrl = emu.url;
    const extra = [
      'common/90-comment.js',
      'function/15-change.js',
      'common/20-inject.js',
      'network/21-httpin.js',
      'network/21-httprequest.js',
    ].map(core);
    const send = require('../../dist/nodes/semilimes-send.js');
    await helper.load([nodes.account, fileType, send, nodes.catch, ...extra], example, {
      'semilimes-demo-account': { apiKey: keyOf(emu, DEMO.bot) },
    });
    const snapshot = crypto.randomBytes(50_000);
    // What the http in node passes on for an image/jpeg POST: the body as a Buffer.
    helper.getNode('camera-name').receive({ payload: snapshot });
    const sent = await waitForMessage(() =>
      emu.control
        .messages({ chat: { between: [DEMO.bot, DEMO.alice] } })
        .find((m) => m.dataComponent.dataComponentType === 'file'),
    );
    const [fileId] = sent.dataComponent.fileIds;
    const res = await fetch(`${emu.url}/service/file/download`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keyOf(emu, DEMO.alice)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId }),
    });
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(snapshot));
  });

  it('shows progress while a large file uploads, then "uploaded"', async () => {
    await load();
    const node = helper.getNode('up');
    const statuses = [];
    const original = node.status.bind(node);
    node.status = (s) => {
      statuses.push(s);
      return original(s);
    };
    async function* slow() {
      for (let i = 0; i < 12; i++) {
        yield crypto.randomBytes(1024 * 1024);
        await delay(60);
      }
    }
    await ok('up', { payload: Readable.from(slow()), filename: 'video.mp4' });
    assert.ok(
      statuses.some((s) => s.text === 'semilimes-file.status.uploadingBytes' && s.fill === 'blue'),
      JSON.stringify(statuses),
    );
    assert.match(statuses[statuses.length - 1].text, /semilimes-file.status.uploaded \d\d:\d\d:\d\d/);
  });
  it('aborts an upload in progress on redeploy: the close is quick and the output never gets the message', async () => {
    await load();
    const node = helper.getNode('up');
    // done(err) reaches node.error; whether a Catch node still routes it depends on how far the flow has stopped.
    const failed = recordErrors(node);
    const outputs = [];
    helper.getNode('out').on('input', (m) => outputs.push(m));
    let produced = 0;
    async function* tenSeconds() {
      for (let i = 0; i < 100; i++) {
        produced += 1;
        yield Buffer.alloc(16 * 1024, i);
        await delay(100);
      }
    }
    node.receive({ payload: Readable.from(tenSeconds()), filename: 'slow.bin' });
    await delay(500);
    const started = Date.now();
    await helper.setFlows(flow(), 'full', { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    const took = Date.now() - started;
    assert.ok(took < 2000, `the redeploy waited ${took} ms for the upload`);
    assert.ok(
      failed.some((e) => /semilimes-file\.errors\.closed/.test(String(e && e.message))),
      'the message failed with "closed"',
    );
    const producedAtClose = produced;
    await delay(500);
    assert.equal(outputs.length, 0);
    assert.ok(produced <= producedAtClose + 1, 'the upload stopped reading its source');
  });

  for (const deploy of ['full', 'nodes']) {
    it(`gives each of 20 transfers in flight at a ${deploy === 'full' ? 'full' : 'modified-nodes'} deploy one outcome`, async () => {
      await load();
      const recorder = recordOutcomes(helper);
      await emu.control.setDelay(1200); // every upload is stored, and its answer held back past the deploy
      const tags = Array.from({ length: 20 }, (_, n) => n);
      for (const n of tags) helper.getNode('up').receive({ payload: `file ${n}`, filename: `f${n}.txt`, n });
      await delay(300);
      await helper.setFlows(flow({ up: { name: 'changed' } }), deploy, { acc: { apiKey: keyOf(emu, DEMO.bot) } });
      await delay(1500); // any late answer would have arrived by now
      await emu.control.setDelay(0);
      recorder.stop();
      assert.deepEqual(recorder.faults(tags), { silent: [], twice: [] });
      const errors = recorder.all().filter((o) => o.error);
      assert.equal(errors.length, 20, 'the answers were held back: every transfer was cut short');
      for (const { error } of errors) assert.match(error.message, /semilimes-file\.errors\.closed/);
    });
  }

  it("releases a caller's file stream that an upload never read (another file refused, bad input)", async () => {
    await load({ up: { maxSizeMB: 1 } });
    const file = path.join(dir, 'unread.txt');
    fs.writeFileSync(file, 'never read');
    const closed = (stream) =>
      new Promise((resolve, reject) => {
        if (stream.closed) return resolve();
        stream.once('close', resolve);
        setTimeout(() => reject(new Error('the stream (and its file descriptor) was left open')), 2000);
      });

    // The other file is over the limit: refused before anything is sent, so the stream is never opened.
    const first = fs.createReadStream(file);
    const tooBig = await fails('up', {
      payload: [
        { payload: Buffer.alloc(1024 * 1024 + 1), filename: 'big.bin' },
        { payload: first, filename: 'unread.txt' },
      ],
    });
    assert.match(tooBig.message, /more than the limit/);
    await closed(first);
    assert.equal(first.destroyed, true);
    assert.equal(first.bytesRead, 0);

    // A later entry is not a file at all: the stream given before it is released too.
    const second = fs.createReadStream(file);
    assert.match(
      (await fails('up', { payload: [{ payload: second, filename: 'unread.txt' }, 42] })).message,
      /badContent/,
    );
    await closed(second);
    assert.equal(second.destroyed, true);
  });

  it("knows a file read stream's size from its path: over the limit it is refused before sending", async () => {
    await load({ up: { maxSizeMB: 1 } });
    const file = path.join(dir, 'two-mb.bin');
    fs.writeFileSync(file, crypto.randomBytes(2 * 1024 * 1024));
    const stream = fs.createReadStream(file);
    const err = await fails('up', { payload: stream, filename: 'two-mb.bin' });
    assert.match(err.message, /"two-mb.bin" is 2097152 bytes, more than the limit/);
    assert.equal((await uploads()).length, 0, 'nothing was sent');

    // Within the limit (a part of the file, by start and end), it is sent whole, with the size it declared.
    const part = fs.createReadStream(file, { start: 100, end: 1099 });
    const done = await ok('up', { payload: part, filename: 'part.bin' });
    assert.equal(done.payload[0].size, 1000);
  });
});
