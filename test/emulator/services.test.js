'use strict';
// API keys, files, tunnels, buckets, profile and feed: behaviour beyond the response shapes.
const assert = require('node:assert/strict');
const { startEmulator, DEMO_IDS, api, ok, openWs, keyOf, upgradeStatus } = require('./helpers');

const { bot: BOT, alice: ALICE } = DEMO_IDS;

describe('emulator: services, API keys, buckets, profile, feed', function () {
  let emu;
  let botKey;
  let aliceKey;
  beforeEach(async function () {
    emu = await startEmulator({ port: 0 });
    botKey = keyOf(emu, BOT);
    aliceKey = keyOf(emu, ALICE);
  });
  afterEach(() => emu.close());

  describe('API key rotation', function () {
    it('validates the calling key', async function () {
      const data = await ok(emu, botKey, 'GET', '/apikey/~validate');
      assert.equal(data.is_active, true);
      assert.ok(Date.parse(data.expire_at) > Date.now(), 'expires in the future');
      assert.equal(data.previous_api_key_id, null);
    });

    it('creates a key that works at once and remembers the previous key; deleting the old key stops it', async function () {
      const old = await ok(emu, botKey, 'GET', '/apikey/~validate');
      const created = await ok(emu, botKey, 'POST', '/apikey', {
        body: { name: 'rotated', expire_at: '2099-01-02T15:04:05+01:00' },
      });
      assert.equal(created.name, 'rotated');
      assert.equal(created.expire_at, '2099-01-02T14:04:05Z');
      const validated = await ok(emu, created.key, 'GET', '/apikey/~validate');
      assert.equal(validated.id, created.id);
      assert.equal(validated.previous_api_key_id, old.id);
      const ws = await openWs(emu, botKey);
      const closed = new Promise((resolve) => ws.ws.once('close', resolve));
      assert.deepEqual(await ok(emu, created.key, 'DELETE', `/apikey/${old.id}`), { id: old.id });
      await closed;
      assert.equal((await api(emu, botKey, 'GET', '/account/my')).status, 401);
      assert.equal(await upgradeStatus(emu, { Authorization: `Bearer ${botKey}` }), 401);
      assert.equal((await api(emu, created.key, 'GET', '/account/my')).status, 200);
    });

    it("validates the create body and cannot delete other accounts' keys", async function () {
      assert.equal(
        (await api(emu, botKey, 'POST', '/apikey', { body: { name: 'x', expire_at: 'tomorrow' } })).status,
        400,
      );
      assert.equal(
        (await api(emu, botKey, 'POST', '/apikey', { body: { name: 'x', expire_at: '2001-01-01T00:00:00Z' } })).status,
        400,
      );
      assert.equal(
        (await api(emu, botKey, 'POST', '/apikey', { body: { expire_at: '2099-01-01T00:00:00Z' } })).status,
        400,
      );
      const aliceKeyId = (await ok(emu, aliceKey, 'GET', '/apikey/~validate')).id;
      assert.equal((await api(emu, botKey, 'DELETE', `/apikey/${aliceKeyId}`)).status, 404);
      assert.equal((await api(emu, botKey, 'DELETE', '/apikey/abc')).status, 400);
      assert.equal((await api(emu, aliceKey, 'GET', '/account/my')).status, 200);
    });
  });

  describe('files', function () {
    it('uploads several files in httpFiles and downloads the same bytes and content type', async function () {
      const form = new FormData();
      form.append('httpFiles', new Blob([Buffer.from([0, 1, 2, 255])], { type: 'application/x-thing' }), 'a.bin');
      form.append('httpFiles', new Blob(['second'], { type: 'text/plain' }), 'b.txt');
      const res = await fetch(`${emu.url}/service/file/upload`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${botKey}` },
        body: form,
      });
      const { data } = await res.json();
      assert.deepEqual(
        data.uploadedFiles.map((f) => [f.title, f.size]),
        [
          ['a.bin', 4],
          ['b.txt', 6],
        ],
      );
      const download = await fetch(`${emu.url}/service/file/download`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${aliceKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ fileId: data.uploadedFiles[0].fileId }),
      });
      assert.equal(download.headers.get('content-type'), 'application/x-thing');
      assert.deepEqual([...Buffer.from(await download.arrayBuffer())], [0, 1, 2, 255]);
    });

    it('refuses uploads without httpFiles or not multipart, and unknown downloads (404 envelope)', async function () {
      const form = new FormData();
      form.append('file', new Blob(['x']), 'x.txt');
      const wrongField = await fetch(`${emu.url}/service/file/upload`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${botKey}` },
        body: form,
      });
      assert.equal(wrongField.status, 400);
      assert.match((await wrongField.json()).error, /httpFiles/);
      assert.equal((await api(emu, botKey, 'POST', '/service/file/upload', { body: { httpFiles: [] } })).status, 415);
      const missing = await api(emu, botKey, 'POST', '/service/file/download', { body: { fileId: 'nope' } });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.success, false);
    });
  });

  describe('tunnels', function () {
    it('creates, opens (placeholders), closes and deletes tunnels of the caller only', async function () {
      const body = { name: 'cam', clientPort: 8554, clientPath: 'live', publicKey: 'ssh-rsa AAAA' };
      const { tunnelId } = await ok(emu, botKey, 'POST', '/service/tunnel/create', { body });
      let [listed] = await ok(emu, botKey, 'GET', '/service/tunnel');
      assert.equal(listed.host, null, 'not set before opening');
      const opened = await ok(emu, botKey, 'POST', '/service/tunnel/open', { body: { tunnelId } });
      assert.equal(typeof opened.port, 'number');
      assert.match(opened.tunnelUrl, /^https:\/\//);
      [listed] = await ok(emu, botKey, 'GET', '/service/tunnel');
      assert.equal(listed.host, opened.host);
      assert.deepEqual(await ok(emu, aliceKey, 'GET', '/service/tunnel'), []);
      assert.equal((await api(emu, aliceKey, 'POST', '/service/tunnel/open', { body: { tunnelId } })).status, 404);
      assert.deepEqual(await ok(emu, botKey, 'POST', '/service/tunnel/close', { body: { tunnelId } }), {});
      [listed] = await ok(emu, botKey, 'GET', '/service/tunnel');
      assert.equal(listed.port, null);
      await ok(emu, botKey, 'POST', '/service/tunnel/delete', { body: { tunnelId } });
      assert.deepEqual(await ok(emu, botKey, 'GET', '/service/tunnel'), []);
      assert.equal(
        (await api(emu, botKey, 'POST', '/service/tunnel/create', { body: { ...body, clientPort: 70000 } })).status,
        400,
      );
    });
  });

  describe('buckets, profile and feed', function () {
    it('creates a bucket from a feed post; only the owner updates it; likes need enableReactions', async function () {
      const added = await ok(emu, botKey, 'POST', '/account/feed/post/add', {
        body: { title: 'Post', dataComponents: [{ dataComponentType: 'text', text: 'hi' }] },
      });
      const bucketId = added.addedPost.dataComponent.bucketId;
      const opened = await ok(emu, aliceKey, 'POST', '/communication/bucket', { query: { bucketId } });
      assert.equal(opened.role, 'Viewer');
      assert.equal(opened.ownerId, BOT);
      assert.equal(
        (await api(emu, aliceKey, 'POST', '/communication/bucket/update', { body: { bucketId, title: 'x' } })).status,
        403,
      );
      assert.deepEqual(await ok(emu, aliceKey, 'POST', '/communication/bucket/like', { body: { bucketId } }), {
        bucketId,
        like: true,
      });
      const me = await ok(emu, botKey, 'GET', '/account/my', { query: { details: 'true' } });
      assert.equal(me.currentAccount.likeCount, 1);
      await ok(emu, botKey, 'POST', '/communication/bucket/update', { body: { bucketId, enableReactions: false } });
      assert.equal(
        (await api(emu, aliceKey, 'POST', '/communication/bucket/unlike', { body: { bucketId } })).status,
        403,
      );
      assert.equal(
        (await api(emu, aliceKey, 'POST', '/communication/bucket', { query: { bucketId: 'nope' } })).status,
        404,
      );
      assert.equal(
        (await api(emu, aliceKey, 'POST', '/communication/bucket', { body: { bucketId } })).status,
        400,
        'bucketId is a request parameter',
      );
    });

    it('a bucket component sent without bucketId creates a bucket', async function () {
      const data = await ok(emu, botKey, 'POST', '/communication/p2p/message/send', {
        body: {
          recipientId: ALICE,
          dataComponent: { dataComponentType: 'bucket', title: 'Shared', dataComponents: [] },
        },
      });
      const bucketId = data.sentMessage.dataComponent.bucketId;
      assert.equal(typeof bucketId, 'string');
      assert.equal((await ok(emu, aliceKey, 'POST', '/communication/bucket', { query: { bucketId } })).title, 'Shared');
    });

    it('updates the profile and shows it to others; validates the pin wall', async function () {
      await ok(emu, botKey, 'POST', '/account/profile/update', {
        body: { title: 'Home bot', pinWall: [{ dataComponentType: 'text', text: 'pinned' }] },
      });
      const seen = await ok(emu, aliceKey, 'GET', '/account/profile', { query: { accountId: BOT } });
      assert.equal(seen.title, 'Home bot');
      assert.deepEqual(seen.pinWall, [{ dataComponentType: 'text', text: 'pinned' }]);
      const bad = await api(emu, botKey, 'POST', '/account/profile/update', {
        body: { pinWall: [{ dataComponentType: 'nope' }] },
      });
      assert.equal(bad.status, 400);
      assert.equal((await api(emu, botKey, 'GET', '/account/profile', { query: { accountId: 'ghost' } })).status, 404);
    });

    it('lists feed posts with limit, and updates only posts of the caller', async function () {
      const ids = [];
      for (const title of ['a', 'b', 'c']) {
        ids.push(
          (await ok(emu, botKey, 'POST', '/account/feed/post/add', { body: { title } })).addedPost.dataComponent
            .bucketId,
        );
      }
      const feed = await ok(emu, aliceKey, 'GET', '/account/feed', { query: { accountId: BOT, limit: 2 } });
      assert.deepEqual(
        feed.posts.map((p) => p.dataComponent.bucketId),
        ids.slice(1),
      );
      assert.equal(feed.accountId, BOT);
      const updated = await ok(emu, botKey, 'POST', '/account/feed/post/update', {
        body: { bucketId: ids[0], title: 'A!' },
      });
      assert.equal(updated.updatedPost.dataComponent.bucketId, ids[0]);
      assert.equal(
        (await ok(emu, botKey, 'POST', '/communication/bucket', { query: { bucketId: ids[0] } })).title,
        'A!',
      );
      assert.equal(
        (await api(emu, aliceKey, 'POST', '/account/feed/post/update', { body: { bucketId: ids[0], title: 'x' } }))
          .status,
        404,
      );
    });

    it('lists subaccounts of the caller and honours main/sub/shared=false', async function () {
      const sub = emu.control.createAccount({ accountName: 'Garage', parentAccountId: BOT });
      const mine = await ok(emu, botKey, 'GET', '/account/my');
      assert.deepEqual(
        mine.subAccounts.map((a) => [a.accountId, a.parentAccountId, a.accessRole]),
        [[sub.accountId, BOT, 'Owner']],
      );
      const lean = await ok(emu, botKey, 'GET', '/account/my', {
        query: { main: 'false', sub: 'false', shared: 'false' },
      });
      assert.deepEqual(Object.keys(lean), ['currentAccount']);
      const asSub = await ok(emu, sub.apiKey, 'GET', '/account/my');
      assert.equal(asSub.mainAccount.accountId, BOT);
    });

    it('lists the LLMs of the caller', async function () {
      assert.deepEqual(await ok(emu, botKey, 'GET', '/service/llms'), {
        llms: [{ id: DEMO_IDS.botLlm, autoResponse: false }],
      });
      assert.deepEqual(await ok(emu, aliceKey, 'GET', '/service/llms'), { llms: [] });
    });
  });
});
