'use strict';
// Unit tests of the api node's parameter handling and of the key file store (no Node-RED, no network).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { findEndpoint } = require('../../dist/semilimes');
const { coerceParam, payloadInput, ParamTypeError } = require('../../dist/nodes/lib/api-params');
const { KeyFileStore, fingerprint, keyDirectory } = require('../../dist/nodes/lib/key-file');

const param = (type, name = 'p') => ({ name, type, in: 'body', description: '' });

describe('api node parameters', () => {
  const good = [
    ['string', 'abc', 'abc'], ['string', 12, '12'],
    ['integer', '12', 12], ['integer', 7, 7], ['number', '1.5', 1.5],
    ['boolean', 'true', true], ['boolean', false, false],
    ['string[]', 'a, b,,c ', ['a', 'b', 'c']], ['string[]', ['x', 1], ['x', '1']],
    ['object', '{"silent":true}', { silent: true }], ['object', { a: 1 }, { a: 1 }],
    ['object[]', '[{"a":1}]', [{ a: 1 }]],
  ];
  for (const [type, input, expected] of good) {
    it(`reads ${JSON.stringify(input)} as ${type}`, () => assert.deepEqual(coerceParam(param(type), input), expected));
  }
  const bad = [
    ['integer', '1.5', 'integer'], ['integer', 'ten', 'integer'], ['number', 'x', 'number'], ['boolean', 'yes', 'boolean'],
    ['object', '[1]', 'object'], ['object[]', '{}', 'array'], ['string', { a: 1 }, 'string'], ['string[]', 5, 'list'],
  ];
  for (const [type, input, expected] of bad) {
    it(`refuses ${JSON.stringify(input)} as ${type}, naming the parameter and what it must be`, () => {
      assert.throws(
        () => coerceParam(param(type, 'limit'), input),
        (err) => err instanceof ParamTypeError && err.param === 'limit' && err.expected === expected,
      );
    });
  }

  it('takes only documented fields from msg.payload, except for whole-bucket bodies', () => {
    const create = findEndpoint('/communication/groupchat/create');
    assert.deepEqual(payloadInput(create, { title: 't', recipientIds: ['a'], _msgid: 'x', junk: 1 }), { title: 't', recipientIds: ['a'] });
    assert.deepEqual(payloadInput(create, 'text'), {});
    assert.deepEqual(payloadInput(create, Buffer.from('x')), {});
    const bucket = findEndpoint('/communication/bucket/update');
    assert.deepEqual(payloadInput(bucket, { bucketId: 'b', dataComponentType: 'bucket' }), { bucketId: 'b', dataComponentType: 'bucket' });
  });
});

describe('key file store', () => {
  let dir;
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keyfile-')), 'semilimes-keys');
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('writes 0600 in a 0700 directory, reads it back, leaves no temp file', async () => {
    const store = new KeyFileStore(dir);
    const content = { version: 1, replaces: fingerprint('old'), key: 'new', keyId: 5, retireKeyId: 4, rotatedAt: 'now' };
    await store.write('abc123', content);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(store.pathFor('abc123')).mode & 0o777, 0o600);
    assert.deepEqual(await store.read('abc123'), content);
    assert.deepEqual(fs.readdirSync(dir), ['abc123.json']);
    await store.write('abc123', { ...content, retireKeyId: null });
    assert.equal((await store.read('abc123')).retireKeyId, null);
  });

  it('answers undefined for no file, refuses a file that is not a key file, keeps ids inside the directory', async () => {
    const store = new KeyFileStore(dir);
    assert.equal(await store.read('none'), undefined);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(store.pathFor('bad'), '{"version":2}');
    await assert.rejects(store.read('bad'), /not a semilimes key file/);
    assert.equal(path.dirname(store.pathFor('../../etc/passwd')), dir);
  });

  it('lives in the user directory unless a setting says otherwise', () => {
    assert.equal(keyDirectory({ userDir: '/srv/nr' }), path.join('/srv/nr', 'semilimes-keys'));
    assert.equal(keyDirectory({ userDir: '/srv/nr', semilimesKeyDir: '/tmp/k' }), '/tmp/k');
  });
});
