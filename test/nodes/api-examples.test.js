'use strict';
// The api node's example flows, run as shipped (debug nodes swapped for test helpers, the account pointed at the
// emulator): create a group chat and invite contacts; publish to the account feed; check and rotate the API key.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { helper, nodes, DEMO, KEY_DIR, keyOf, emulatorPerTest, exampleEnvFor, coreNode } = require('../helpers/env');

const core = {
  inject: coreNode('common/20-inject.js'),
  change: coreNode('function/15-change.js'),
  comment: coreNode('common/90-comment.js'),
};

/** The shipped examples, and the same flows as 0.1.0 saved them (older property names: they must still work). */
const FOLDERS = {
  shipped: path.join(__dirname, '..', '..', 'examples'),
  'saved by 0.1.0': path.join(__dirname, '..', 'fixtures', 'flows-0.1.0'),
};

function example(folder, file, emu) {
  const flows = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
  return flows.map((n) => {
    if (n.type === 'debug') return { id: n.id, z: n.z, type: 'helper', x: n.x, y: n.y, wires: [] };
    if (n.type === 'semilimes-account') return { ...n, baseUrl: emu.url };
    return n;
  });
}

/** Clicks an inject node and resolves with the next message at helper node `outId`. */
function trigger(injectId, outId) {
  return new Promise((resolve) => {
    helper.getNode(outId).once('input', resolve);
    helper.getNode(injectId).receive({});
  });
}

for (const [which, folder] of Object.entries(FOLDERS)) describe(`api node examples (${which})`, function () {
  let emu;
  emulatorPerTest((started) => (emu = started));
  exampleEnvFor(require('../../dist/emulator').DEMO_IDS);

  async function load(file, apiKey = keyOf(emu, DEMO.bot)) {
    await helper.load(
      [nodes.account, nodes.api, nodes.send, core.inject, core.change, core.comment],
      example(folder, file, emu),
      { 'semilimes-demo-account': { apiKey } },
    );
  }

  it('create-group-chat: creates the chat with Alice, invites Bob, greets everyone', async () => {
    await load('create-group-chat.json');
    const sent = await trigger('groupchat-inject', 'groupchat-debug');
    const chatId = sent.groupChatId;
    assert.ok(chatId);
    const created = (await emu.control.requests()).find((r) => r.path === '/communication/groupchat/create');
    assert.deepEqual(created.body, { title: 'Garden party', recipientIds: [DEMO.alice] });
    const invite = (await emu.control.requests()).find((r) => r.path === '/communication/groupchat/invite');
    assert.deepEqual(invite.body, { groupChatId: chatId, recipientIds: [DEMO.bob] });
    const [greeting] = await emu.control.messages({ chat: { groupChatId: chatId } });
    assert.equal(greeting.dataComponent.text, 'Welcome to the garden party chat!');
    assert.equal(greeting.publisherId, DEMO.bot);
  });

  it('publish-to-feed: adds a post with a computed title and reads it back', async () => {
    await load('publish-to-feed.json');
    const added = await trigger('feed-inject', 'feed-debug');
    const bucketId = added.payload.addedPost.dataComponent.bucketId;
    const request = (await emu.control.requests()).find((r) => r.path === '/account/feed/post/add');
    assert.match(request.body.title, /^Home report \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(request.body.visible, true);
    assert.deepEqual(request.body.dataComponents, [{ dataComponentType: 'text', text: 'Heating on, all windows closed.' }]);
    const feed = await trigger('feed-read-inject', 'feed-read-debug');
    assert.ok(feed.payload.posts.some((p) => p.dataComponent.bucketId === bucketId));
    assert.equal((await emu.control.requests()).find((r) => r.path === '/account/feed').query.limit, '5');
  });

  it('api-key-rotation: shows the key info, then rotates it', async () => {
    const keyPath = path.join(KEY_DIR, 'semilimes-demo-account.json');
    fs.rmSync(keyPath, { force: true });
    try {
      await load('api-key-rotation.json');
      const info = await trigger('apikey-check-inject', 'apikey-validate-debug');
      assert.equal(typeof info.payload.id, 'number');
      const rotated = await trigger('apikey-rotate-inject', 'apikey-rotate-debug');
      assert.equal(rotated.payload.deletedKeyId, info.payload.id);
      const again = await trigger('apikey-check-inject', 'apikey-validate-debug');
      assert.equal(again.payload.id, rotated.payload.newKeyId);
      assert.equal(fs.statSync(keyPath).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(keyPath, { force: true });
    }
  });
});
