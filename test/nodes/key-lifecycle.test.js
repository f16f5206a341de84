'use strict';
// KeyLifecycle with a real client against the emulator, for the path a flow cannot provoke on purpose: the new key
// is refused right after it was stored. The rotation must put everything back and delete nothing.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { SemilimesClient } = require('../../dist/semilimes');
const { KeyFileStore } = require('../../dist/nodes/lib/key-file');
const { KeyLifecycle } = require('../../dist/nodes/lib/key-lifecycle');
const { DEMO, FAST_CLIENT, keyOf, waitFor, startEmulator } = require('../helpers/env');

describe('key lifecycle when the new key is refused', () => {
  let emu;
  let dir;
  let client;

  beforeEach(async () => {
    emu = await startEmulator({ port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-lifecycle-'));
  });
  afterEach(async () => {
    if (client) await client.close();
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores the key file and the old key, deletes nothing, and the client keeps working', async () => {
    const key = keyOf(emu, DEMO.bot);
    client = new SemilimesClient({ ...FAST_CLIENT, apiKey: key, baseUrl: emu.url });
    client.connect();
    await waitFor(() => client.state === 'connected', 'connected');

    // A store that, right after the new key is durably written, has semilimes revoke it.
    class RevokingStore extends KeyFileStore {
      async write(id, content) {
        await super.write(id, content);
        if (content.key !== key && content.retireKeyId !== null) await emu.control.revokeKey(content.key);
      }
    }
    const store = new RevokingStore(dir);
    const logs = [];
    const lifecycle = new KeyLifecycle({
      accountNodeId: 'acc',
      configuredKey: key,
      store,
      client: () => client,
      validityDays: 30,
      keyName: 'test',
      onInfo: () => {},
      log: (l) => logs.push(l),
      t: (k, subs) => `${k} ${JSON.stringify(subs || {})}`,
    });
    const before = await lifecycle.validate();

    await assert.rejects(lifecycle.rotate(), (err) => /^newKeyFailed/.test(err.message));
    assert.equal(await store.read('acc'), undefined, 'the key file is removed again (there was none before)');
    const after = await lifecycle.validate();
    assert.equal(after.id, before.id, 'the old key is still the one in use, and still valid');
    await waitFor(() => client.state === 'connected', 'still connected');
    const sent = await client.send({ kind: 'p2p', id: DEMO.alice }, 'still working');
    assert.ok(sent.messageId);
    assert.equal((await emu.control.requests()).filter((r) => r.method === 'DELETE').length, 0, 'no key deleted');
    assert.deepEqual(logs, []);
  });
});
