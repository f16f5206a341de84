'use strict';
// Against a real `simplex-chat -p PORT`, when one is given: SIMPLEX_CLI_URL=ws://127.0.0.1:5225 npx mocha ...
// Skipped otherwise. It only reads, unless SIMPLEX_CLI_CHAT names a chat (e.g. @3) to send one test message to and
// edit, react to and delete. Differences from the emulator found here belong in docs/decisions.md.
const assert = require('node:assert/strict');
const { SimplexClient, ChatCommandError } = require('../../dist/simplex');

const url = process.env.SIMPLEX_CLI_URL;
const chat = process.env.SIMPLEX_CLI_CHAT;

(url ? describe : describe.skip)('SimpleX client against a real CLI (SIMPLEX_CLI_URL)', function () {
  this.timeout(60_000);
  let client;
  const events = [];

  before(async () => {
    client = new SimplexClient({
      url,
      allowUnencryptedRemote: process.env.SIMPLEX_CLI_ALLOW_UNENCRYPTED === '1',
      username: process.env.SIMPLEX_CLI_USER,
      password: process.env.SIMPLEX_CLI_PASSWORD,
      filesFolder: process.env.SIMPLEX_CLI_FILES,
    });
    client.on('event', (resp) => events.push(resp));
    client.start();
    await client.session.ready(15_000);
  });
  after(async () => {
    if (client) await client.stop();
  });

  it('reads the active user, contacts and groups with the documented reply types', async () => {
    assert.equal(typeof client.user.userId, 'number');
    const contacts = await client.listContacts();
    for (const c of contacts) assert.equal(typeof c.contactId, 'number');
    const groups = await client.listGroups();
    for (const g of groups) assert.equal(typeof g.groupId, 'number');
    const address = await client.call('APIShowMyAddress', { userId: client.user.userId }).catch((err) => err);
    if (address instanceof ChatCommandError) assert.equal(address.tag, 'userContactLinkNotFound');
    else assert.equal(address.type, 'userContactLink');
  });

  it('answers a command it cannot parse with a command error carrying our corrId', async () => {
    const err = await client.command('/_send @1 json {"bare":"object"}').catch((e) => e);
    assert.ok(err instanceof ChatCommandError, String(err));
    assert.equal(client.session.stats.lateReplies, 0);
  });

  it('decodes the startup burst and every event seen as known or tolerated', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(client.session.stats.malformedFrames, 0);
    for (const e of events) assert.equal(typeof e.type, 'string');
  });

  (chat ? it : it.skip)('sends, edits, reacts to and deletes one message in SIMPLEX_CLI_CHAT', async () => {
    const sent = await client.sendText(chat, 'node-red-simplex client test');
    const id = sent.chatItemId;
    assert.equal((await client.update(chat, id, 'node-red-simplex client test (edited)')).type, 'chatItemUpdated');
    await client.react(chat, id, '✅').catch((err) => assert.ok(err instanceof ChatCommandError));
    assert.equal((await client.delete(chat, id)).type, 'chatItemsDeleted');
  });
});
