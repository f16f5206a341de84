'use strict';
// Files on a real disk: shared copies for the CLI to send, and received files confined to the CLI files folder.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Readable } = require('node:stream');
const {
  writeSharedFile,
  removeSharedFile,
  sweepSharedFolder,
  resolveReceivedPath,
  readReceivedFile,
  safeFileName,
  FileTooLargeError,
  InvalidInputError,
  SHARED_DIR_PREFIX,
} = require('../../dist/simplex');

describe('SimpleX files', () => {
  let root;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'simplex-files-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes a Buffer under its own name in a fresh directory, readable by this user only', async () => {
    const data = Buffer.from('report body');
    const a = await writeSharedFile(root, 'report.pdf', data);
    const b = await writeSharedFile(root, 'report.pdf', data);
    assert.notEqual(a, b);
    for (const file of [a, b]) {
      assert.ok(path.isAbsolute(file));
      assert.equal(path.basename(file), 'report.pdf');
      assert.ok(path.basename(path.dirname(file)).startsWith(SHARED_DIR_PREFIX));
      assert.deepEqual(fs.readFileSync(file), data);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ['report.pdf'], 'no temporary file left');
    }
  });

  it('writes a stream and refuses one larger than the limit, leaving nothing behind', async () => {
    const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000, i));
    const file = await writeSharedFile(root, 'big.bin', Readable.from(chunks));
    assert.deepEqual(fs.readFileSync(file), Buffer.concat(chunks));
    await fs.promises.rm(path.dirname(file), { recursive: true });
    await assert.rejects(
      writeSharedFile(root, 'big.bin', Readable.from(chunks), { maxBytes: 10_000 }),
      FileTooLargeError,
    );
    await assert.rejects(
      writeSharedFile(root, 'big.bin', Buffer.alloc(10_001), { maxBytes: 10_000 }),
      FileTooLargeError,
    );
    assert.deepEqual(fs.readdirSync(root), []);
  });

  it('a stream that fails midway leaves nothing behind', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(100));
        this.destroy(new Error('source broke'));
      },
    });
    await assert.rejects(writeSharedFile(root, 'x.bin', failing), /source broke/);
    assert.deepEqual(fs.readdirSync(root), []);
  });

  it('keeps file names to one safe path part', () => {
    assert.equal(safeFileName('../../etc/passwd'), 'passwd');
    assert.equal(safeFileName('a\\b\\c.txt'), 'c.txt');
    assert.equal(safeFileName('..'), 'file');
    assert.equal(safeFileName(''), 'file');
    assert.equal(safeFileName(undefined), 'file');
    assert.equal(safeFileName('.hidden'), '_hidden');
    assert.equal(safeFileName('bad\nname\u0000.txt'), 'badname.txt');
    assert.ok(Buffer.byteLength(safeFileName('é'.repeat(300))) <= 200);
  });

  it('removes only copies it made', async () => {
    const file = await writeSharedFile(root, 'a.txt', Buffer.from('a'));
    const own = path.join(root, 'mine.txt');
    fs.writeFileSync(own, 'keep');
    assert.equal(await removeSharedFile(own), false);
    assert.ok(fs.existsSync(own));
    assert.equal(await removeSharedFile(file), true);
    assert.ok(!fs.existsSync(path.dirname(file)));
  });

  it('sweeps copies older than the limit and keeps newer ones', async () => {
    const old = await writeSharedFile(root, 'old.txt', Buffer.from('o'));
    const fresh = await writeSharedFile(root, 'new.txt', Buffer.from('n'));
    const past = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.dirname(old), past, past);
    assert.equal(await sweepSharedFolder(root, 60_000), 1);
    assert.ok(!fs.existsSync(old));
    assert.ok(fs.existsSync(fresh));
    assert.equal(await sweepSharedFolder(path.join(root, 'missing'), 0), 0);
  });

  it('resolves received paths inside the files folder and refuses any way out', async () => {
    const files = path.join(root, 'files');
    fs.mkdirSync(files);
    fs.writeFileSync(path.join(files, 'photo.jpg'), 'jpg');
    const outside = path.join(root, 'secret.txt');
    fs.writeFileSync(outside, 'secret');
    fs.symlinkSync(outside, path.join(files, 'link.txt'));
    const real = fs.realpathSync(files);
    assert.equal(await resolveReceivedPath(files, 'photo.jpg'), path.join(real, 'photo.jpg'));
    assert.equal(await resolveReceivedPath(files, path.join(files, 'photo.jpg')), path.join(real, 'photo.jpg'));
    assert.deepEqual(await readReceivedFile(files, 'photo.jpg'), Buffer.from('jpg'));
    for (const bad of ['../secret.txt', outside, 'link.txt', '/etc/passwd', '', 'a\u0000b']) {
      await assert.rejects(resolveReceivedPath(files, bad), InvalidInputError, bad);
    }
    await assert.rejects(readReceivedFile(files, 'photo.jpg', { maxBytes: 2 }), FileTooLargeError);
    await assert.rejects(resolveReceivedPath(path.join(root, 'nope'), 'x'), InvalidInputError);
  });
});
