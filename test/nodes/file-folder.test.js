'use strict';
// Unit tests of the folder a file node's paths must stay inside, with no Node-RED: real files and links in a
// temporary directory.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { FileFolder } = require('../../dist/nodes/lib/file-folder');

describe('file node folder', () => {
  let dir;
  let userDir;
  const t = (key, subs) => `${key} ${JSON.stringify(subs || {})}`;
  const refusedAs = (key) => (err) => err.key === key && err.message.startsWith(`errors.${key}`);

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-folder-test-')));
    userDir = path.join(dir, 'node-red');
    fs.mkdirSync(path.join(userDir, 'files', 'in'), { recursive: true });
    fs.writeFileSync(path.join(userDir, 'files', 'in', 'a.txt'), 'a');
    fs.writeFileSync(path.join(userDir, 'files', '..dots.txt'), 'dots');
    fs.writeFileSync(path.join(userDir, 'flows_cred.json'), '{}');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a relative folder inside the user directory, and relative paths inside the folder', async () => {
    const folder = new FileFolder('files', userDir, t);
    assert.equal(folder.root, path.join(userDir, 'files'));
    assert.equal(await folder.reading('in/a.txt'), path.join(userDir, 'files', 'in', 'a.txt'));
    assert.equal(await folder.reading('..dots.txt'), path.join(userDir, 'files', '..dots.txt'), 'a name starting ..');
    assert.equal(await folder.writing('in/new.txt'), path.join(userDir, 'files', 'in', 'new.txt'));
  });

  it('refuses the folder itself, a way out by "..", an absolute path outside, and a link leading out', async () => {
    fs.symlinkSync(path.join(userDir, 'flows_cred.json'), path.join(userDir, 'files', 'creds'));
    const folder = new FileFolder(path.join(userDir, 'files'), '/elsewhere', t);
    for (const given of [
      '.',
      '../flows_cred.json',
      path.join(userDir, 'flows_cred.json'),
      'in/../../flows_cred.json',
      'creds',
    ]) {
      await assert.rejects(folder.reading(given), refusedAs('outsideFolder'), given);
    }
    for (const given of ['../x.txt', 'creds'])
      await assert.rejects(folder.writing(given), refusedAs('outsideFolder'), given);
  });

  it('allows any path without a folder, and says clearly when a configured folder cannot be read', async () => {
    const anywhere = new FileFolder('  ', userDir, t);
    assert.equal(anywhere.root, undefined);
    assert.equal(await anywhere.reading('../anything'), '../anything');
    const missing = new FileFolder('not-there', userDir, t);
    await assert.rejects(missing.reading('x.txt'), refusedAs('badFolder'));
    // A missing file inside an existing folder is a missing file, not a refusal.
    await assert.rejects(new FileFolder('files', userDir, t).reading('in/none.txt'), refusedAs('badPath'));
  });
});
