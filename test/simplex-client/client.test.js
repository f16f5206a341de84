'use strict';
// The SimpleX client against the emulated CLI over real sockets: direct chats and groups, replies, edits, reactions,
// deletions, files both ways with the same bytes, contact requests, address and profile set-up.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Readable } = require('node:stream');
const { ChatCommandError, InvalidInputError, TimeoutError, SHARED_DIR_PREFIX } = require('../../dist/simplex');
const { startEmulator, connectedClient, nextItem, received, waitFor, commandLog } = require('./helpers');

async function contactRef(client, name) {
  const contacts = await client.listContacts();
  const contact = contacts.find((c) => c.profile.displayName === name);
  assert.ok(contact, `the bot has a contact ${name}`);
  return `@${contact.contactId}`;
}

async function groupRef(client, name) {
  const group = (await client.listGroups()).find((g) => g.groupProfile.displayName === name);
  assert.ok(group, `the bot is in group ${name}`);
  return `#${group.groupId}`;
}

describe('SimpleX client against the emulated CLI', function () {
  this.timeout(20_000);
  let emu;
  let client;

  /** Waits until `person` has been offered a file named `name` (it travels through the relay). */
  const offered = (person, name) =>
    waitFor(
      async () =>
        (await emu.control.messages({ person })).some(
          (m) => m.direction === 'rcv' && m.file && m.file.fileName === name && m.file.status === 'rcvInvitation',
        ),
      `${person} to be offered ${name}`,
    );

  before(async () => {
    emu = await startEmulator();
  });
  after(async () => {
    if (emu) await emu.close();
  });
  beforeEach(async () => {
    await emu.control.resetFaults({});
    client = await connectedClient(emu);
  });
  afterEach(async () => {
    if (client) await client.stop();
    client = undefined;
  });

  it('connects, reads the active user and reports it with the state', async () => {
    assert.equal(client.state, 'connected');
    assert.equal(client.user.profile.displayName, 'HomeBot');
    assert.equal(client.session.status.user.userId, client.user.userId);
    assert.equal(typeof (await client.userId()), 'number');
  });

  it('receives a direct message and replies to it, quoting it', async () => {
    const incoming = nextItem(client, received('hello bot'));
    await emu.control.send({ from: 'Alice', text: 'hello bot' });
    const item = await incoming;
    assert.equal(item.chatType, 'direct');
    assert.match(item.chatRef, /^@\d+$/);
    assert.equal(item.sender.displayName, 'Alice');
    const sent = await client.reply(item.chatRef, item.chatItemId, 'hello Alice');
    assert.equal(sent.items[0].direction, 'snd');
    assert.equal(sent.items[0].quoted.itemId, item.chatItemId);
    await waitFor(async () => {
      const got = (await emu.control.messages({ person: 'Alice' })).find((m) => m.text === 'hello Alice');
      return got && got.quotedText === 'hello bot';
    }, 'Alice to receive the quoting reply');
  });

  it('parses a /command in a received message', async () => {
    const incoming = nextItem(client, received());
    await emu.control.send({ from: 'Bob', text: '/lights on kitchen' });
    const item = await incoming;
    assert.deepEqual(item.command, { keyword: 'lights', params: 'on kitchen' });
  });

  it('receives a group message with its sender and answers in the group', async () => {
    const family = await groupRef(client, 'Family');
    const incoming = nextItem(client, received('hi all'));
    await emu.control.send({ from: 'Bob', group: 'Family', text: 'hi all' });
    const item = await incoming;
    assert.equal(item.chatRef, family);
    assert.equal(item.chatType, 'group');
    assert.equal(item.sender.displayName, 'Bob');
    assert.equal(typeof item.sender.groupMemberId, 'number');
    await client.sendText(family, 'hello family');
    for (const person of ['Alice', 'Bob']) {
      await waitFor(
        async () => (await emu.control.messages({ person })).some((m) => m.text === 'hello family'),
        `${person} to receive the group message`,
      );
    }
  });

  it('edits, reacts to and deletes a sent message', async () => {
    const alice = await contactRef(client, 'Alice');
    const sent = await client.sendText(alice, 'first version');
    const id = sent.chatItemId;
    const updated = await client.update(alice, id, 'second version');
    assert.equal(updated.type, 'chatItemUpdated');
    await waitFor(
      async () =>
        (await emu.control.messages({ person: 'Alice' })).some((m) => m.text === 'second version' && m.edited),
      'the edit',
    );
    const incoming = nextItem(client, received('react to me'));
    await emu.control.send({ from: 'Alice', text: 'react to me' });
    const item = await incoming;
    const reacted = await client.react(alice, item.chatItemId, '👍');
    assert.equal(reacted.type, 'chatItemReaction');
    assert.equal(reacted.added, true);
    await waitFor(
      async () =>
        (await emu.control.messages({ person: 'Alice' })).some(
          (m) => m.text === 'react to me' && m.reactions.includes('👍'),
        ),
      'the reaction',
    );
    const deleted = await client.delete(alice, id);
    assert.equal(deleted.type, 'chatItemsDeleted');
    await waitFor(
      async () =>
        (await emu.control.messages({ person: 'Alice' })).some((m) => m.text === 'second version' && m.deleted),
      'the deletion',
    );
  });

  it('refuses a reaction the CLI does not know before sending anything', async () => {
    const alice = await contactRef(client, 'Alice');
    const before = (await commandLog(emu)).length;
    await assert.rejects(client.react(alice, 1, '🙂'), InvalidInputError);
    await assert.rejects(client.sendText('@1 live=on', 'x'), InvalidInputError);
    assert.equal((await commandLog(emu)).length, before);
  });

  it('reports a chat error with its tag and keeps working', async () => {
    await assert.rejects(client.sendText('@987654', 'nobody'), (err) => {
      assert.ok(err instanceof ChatCommandError);
      assert.equal(err.code, 'CHAT_ERROR');
      assert.match(err.tag, /NotFound|notFound/);
      assert.match(err.message, /\/_send @987654/);
      return true;
    });
    assert.equal((await client.command('/user')).type, 'activeUser');
  });

  it('sends a Buffer as a file with the same bytes, and removes its copy once uploaded', async () => {
    const alice = await contactRef(client, 'Alice');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    const done = client.waitFor('sndFileCompleteXFTP', 5000);
    const sent = await client.sendFile(alice, { data: bytes, fileName: 'report.bin' }, { text: 'the report' });
    const file = sent.items[0].file;
    assert.equal(file.fileName, 'report.bin');
    assert.equal(file.fileSize, bytes.length);
    assert.ok(path.isAbsolute(file.filePath));
    await done;
    await waitFor(() => !fs.existsSync(file.filePath), 'the shared copy to be removed');
    assert.deepEqual(
      fs.readdirSync(emu.filesFolder).filter((n) => n.startsWith(SHARED_DIR_PREFIX)),
      [],
    );
    await offered('Alice', 'report.bin');
    const accepted = await emu.control.acceptFile({ person: 'Alice' });
    assert.equal(accepted.status, 'rcvComplete');
    assert.deepEqual(fs.readFileSync(accepted.path), bytes);
  });

  it('sends a stream as a file, and a file by path without deleting it', async () => {
    const bob = await contactRef(client, 'Bob');
    const chunks = [Buffer.from('line 1\n'), Buffer.from('line 2\n')];
    const uploaded = client.waitFor('sndFileCompleteXFTP', 5000);
    const sent = await client.sendFile(bob, { data: Readable.from(chunks), fileName: 'notes.txt' });
    await uploaded;
    await waitFor(() => !fs.existsSync(sent.items[0].file.filePath), 'the shared copy to be removed');
    await offered('Bob', 'notes.txt');
    let accepted = await emu.control.acceptFile({ person: 'Bob' });
    assert.deepEqual(fs.readFileSync(accepted.path), Buffer.concat(chunks));
    const own = path.join(emu.dir, 'own.txt');
    fs.writeFileSync(own, 'kept');
    const done = client.waitFor('sndFileCompleteXFTP', 5000);
    await client.sendFile(bob, { path: own });
    await done;
    await offered('Bob', 'own.txt');
    accepted = await emu.control.acceptFile({ person: 'Bob' });
    assert.equal(fs.readFileSync(accepted.path, 'utf8'), 'kept');
    assert.ok(fs.existsSync(own), 'a file given by path is never deleted');
  });

  it('removes the copy when the upload fails', async () => {
    const alice = await contactRef(client, 'Alice');
    await emu.control.failUploads({ count: 1 });
    const failed = client.waitFor('sndFileError', 5000);
    const sent = await client.sendFile(alice, { data: Buffer.from('doomed'), fileName: 'doomed.txt' });
    await failed;
    await waitFor(() => !fs.existsSync(sent.items[0].file.filePath), 'the shared copy to be removed');
  });

  it('joins a group it is invited to', async () => {
    const invited = client.waitFor('receivedGroupInvitation', 5000);
    await emu.control.createGroup({ owner: 'Alice', name: 'Club', members: ['HomeBot'] });
    const invitation = await invited;
    const groupId = invitation.groupInfo.groupId;
    const joined = client.waitFor('userJoinedGroup', (e) => e.groupInfo.groupId === groupId, 5000);
    assert.equal((await client.joinGroup(groupId)).type, 'userAcceptedGroupSent');
    await joined;
    const incoming = nextItem(client, received('welcome to the club'));
    await emu.control.send({ from: 'Alice', group: 'Club', text: 'welcome to the club' });
    assert.equal((await incoming).chatRef, `#${groupId}`);
  });

  it('removes the copy at once when the send is refused', async () => {
    const copies = () => fs.readdirSync(emu.filesFolder).filter((n) => n.startsWith(SHARED_DIR_PREFIX));
    const before = copies();
    await assert.rejects(client.sendFile('@987654', { data: Buffer.from('x'), fileName: 'x.txt' }), ChatCommandError);
    assert.deepEqual(copies(), before);
    const data = Buffer.from('x');
    await assert.rejects(client.sendFile('@1', { data, fileName: 'x.txt' }, { text: 'x'.repeat(20_000) }), /too large/);
    await assert.rejects(client.sendFile('@1', { data, fileName: 'x.txt' }, { quotedItemId: -1 }), InvalidInputError);
    await assert.rejects(client.sendFile('@1', { data: 'text', fileName: 'x.txt' }), InvalidInputError);
    assert.deepEqual(copies(), before);
  });

  it('receives a file from a person with the same bytes, inside the files folder', async () => {
    const bytes = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256));
    const incoming = nextItem(client, (item) => item.direction === 'rcv' && item.file !== undefined);
    await emu.control.send({
      from: 'Alice',
      file: { name: 'photo.jpg', base64: bytes.toString('base64') },
      text: 'a photo',
    });
    const item = await incoming;
    assert.equal(item.file.status, 'rcvInvitation');
    assert.equal(item.file.fileName, 'photo.jpg');
    const got = await client.downloadFile(item.file.fileId, { read: true, timeoutMs: 5000 });
    assert.deepEqual(got.data, bytes);
    assert.ok(got.path.startsWith(fs.realpathSync(emu.filesFolder)));
    // Again: the file is known complete, so the same file comes back without a second download.
    const again = await client.downloadFile(item.file.fileId, { read: true });
    assert.deepEqual(again.data, bytes);
  });

  it('moves files both ways in a group with the same bytes', async () => {
    const family = await groupRef(client, 'Family');
    const fromBob = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 11) % 256));
    const incoming = nextItem(client, (item) => item.direction === 'rcv' && item.file && item.chatRef === family);
    await emu.control.send({
      from: 'Bob',
      group: 'Family',
      file: { name: 'plan.bin', base64: fromBob.toString('base64') },
    });
    const item = await incoming;
    assert.equal(item.sender.displayName, 'Bob');
    assert.deepEqual((await client.downloadFile(item.file.fileId, { read: true })).data, fromBob);
    const toAll = Buffer.from('minutes of the meeting\n'.repeat(500));
    await client.sendFile(family, { data: toAll, fileName: 'minutes.txt' }, { text: 'for everyone' });
    await offered('Alice', 'minutes.txt');
    const accepted = await emu.control.acceptFile({ person: 'Alice' });
    assert.deepEqual(fs.readFileSync(accepted.path), toAll);
  });

  it('streams a live message and finishes it', async () => {
    const alice = await contactRef(client, 'Alice');
    const sent = await client.sendText(alice, 'thinking', { live: true });
    assert.equal(sent.items[0].live, true);
    await client.update(alice, sent.chatItemId, 'thinking about it', { live: true });
    const done = await client.update(alice, sent.chatItemId, 'the answer is 42');
    assert.equal(done.type, 'chatItemUpdated');
    await waitFor(
      async () => (await emu.control.messages({ person: 'Alice' })).some((m) => m.text === 'the answer is 42'),
      'the final text',
    );
  });

  it('waits for an event matching a predicate, and times out otherwise', async () => {
    const wait = client.waitFor(
      'newChatItems',
      (resp) => resp.chatItems.some((i) => i.chatItem.content.msgContent?.text === 'ping 42'),
      3000,
    );
    await emu.control.send({ from: 'Alice', text: 'ping 41' });
    await emu.control.send({ from: 'Alice', text: 'ping 42' });
    const resp = await wait;
    assert.equal(resp.type, 'newChatItems');
    await assert.rejects(client.waitFor('noSuchEvent', 100), TimeoutError);
  });

  it('lists contacts and groups', async () => {
    const contacts = await client.listContacts();
    assert.deepEqual(contacts.map((c) => c.profile.displayName).sort(), ['Alice', 'Bob']);
    const groups = await client.listGroups();
    assert.ok(groups.some((g) => g.groupProfile.displayName === 'Family'));
    const family = groups.find((g) => g.groupProfile.displayName === 'Family');
    const members = await client.listMembers(family.groupId);
    assert.ok(members.length >= 2);
  });
});

describe('SimpleX client: address, profile and contact requests', function () {
  this.timeout(20_000);
  let emu;
  let client;

  beforeEach(async () => {
    emu = await startEmulator({ seed: 'none' });
    client = await connectedClient(emu);
  });
  afterEach(async () => {
    if (client) await client.stop();
    if (emu) await emu.close();
  });

  it('creates the address once and changes its settings only when they differ', async () => {
    const first = await client.ensureAddress({ autoAccept: true, welcome: 'Welcome!' });
    assert.equal(first.created, true);
    assert.equal(first.settingsChanged, true);
    assert.match(first.link, /^https:\/\//);
    const logBefore = (await commandLog(emu)).length;
    const second = await client.ensureAddress({ autoAccept: true, welcome: 'Welcome!' });
    assert.equal(second.created, false);
    assert.equal(second.settingsChanged, false);
    assert.equal(second.link, first.link);
    const writes = (await commandLog(emu)).slice(logBefore).filter((e) => /^\/_address/.test(e.cmd));
    assert.deepEqual(writes, [], 'no address command when nothing changed');
    const welcomed = client.waitFor('contactConnected', 5000);
    await emu.control.connect({ person: 'Alice' });
    const connected = await welcomed;
    assert.equal(connected.contact.profile.displayName, 'Alice');
    await waitFor(
      async () => (await emu.control.messages({ person: 'Alice' })).some((m) => m.text === 'Welcome!'),
      'the welcome',
    );
  });

  it('accepts and rejects contact requests when auto-accept is off', async () => {
    await client.ensureAddress({ autoAccept: false });
    let request = client.waitFor('receivedContactRequest', 5000);
    await emu.control.connect({ person: 'Alice' });
    let resp = await request;
    const connected = client.waitFor('contactConnected', 5000);
    const accepted = await client.acceptContact(resp.contactRequest.contactRequestId);
    assert.equal(accepted.type, 'acceptingContactRequest');
    await connected;
    request = client.waitFor('receivedContactRequest', 5000);
    await emu.control.connect({ person: 'Bob' });
    resp = await request;
    const rejected = await client.rejectContact(resp.contactRequest.contactRequestId);
    assert.equal(rejected.type, 'contactRequestRejected');
    assert.deepEqual(
      (await client.listContacts()).map((c) => c.profile.displayName),
      ['Alice'],
    );
  });

  it('sets the bot profile with files allowed and a command menu, once', async () => {
    const commands = [
      { type: 'command', keyword: 'help', label: 'Help' },
      { type: 'menu', label: 'Lights', commands: [{ type: 'command', keyword: 'on', label: 'On' }] },
    ];
    assert.equal(await client.ensureProfile({ allowFiles: true, commands }), true);
    const user = (await client.command('/user')).user;
    assert.equal(user.profile.peerType, 'bot');
    assert.deepEqual(user.profile.preferences.commands, commands);
    assert.equal(user.profile.preferences.files.allow, 'yes');
    const logBefore = (await commandLog(emu)).length;
    assert.equal(await client.ensureProfile({ allowFiles: true, commands }), false);
    assert.deepEqual(
      (await commandLog(emu)).slice(logBefore).filter((e) => e.cmd.startsWith('/_profile ')),
      [],
    );
    await assert.rejects(
      client.ensureProfile({ commands: [{ type: 'command', keyword: 'two words' }] }),
      InvalidInputError,
    );
  });
});

describe('SimpleX client with a CLI that accepts files by itself (-a)', function () {
  this.timeout(20_000);
  let emu;
  let client;

  before(async () => {
    emu = await startEmulator({ autoAcceptFiles: true });
    client = await connectedClient(emu);
  });
  after(async () => {
    if (client) await client.stop();
    if (emu) await emu.close();
  });

  it('downloads a file the CLI already accepts, whether or not it is complete yet', async () => {
    for (const [name, size] of [
      ['early.bin', 20_000],
      ['late.bin', 30_000],
    ]) {
      const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 3) % 256));
      const incoming = nextItem(client, (item) => item.direction === 'rcv' && item.file && item.file.fileName === name);
      const complete = client.waitFor('rcvFileComplete', 5000);
      await emu.control.send({ from: 'Bob', file: { name, base64: bytes.toString('base64') } });
      const item = await incoming;
      // The first file is asked for at once (still on its way: fileAlreadyReceiving), the second after it arrived.
      if (name === 'late.bin') await complete;
      const got = await client.downloadFile(item.file.fileId, { read: true, timeoutMs: 5000 });
      assert.deepEqual(got.data, bytes, name);
      assert.equal(await client.receiveFile(item.file.fileId), 'alreadyReceiving');
    }
  });
});
