'use strict';
// The session's promises under faults of the emulated CLI, over real sockets: replies in shuffled order, slow and
// unanswered commands, drops, half-open sockets, restarts with a backlog, every wire dialect, and garbage frames.
const assert = require('node:assert/strict');
const {
  SimplexClient,
  SimplexSession,
  DEFAULT_MAX_IN_FLIGHT,
  InvalidInputError,
  ChatCommandError,
  isOutcomeUnknown,
  isNotSent,
} = require('../../dist/simplex');
const { startEmulator, connectedClient, nextItem, received, waitFor, commandLog, delay, FAST } = require('./helpers');
const { fuzzFrames } = require('./fuzz');

describe('SimpleX session against the emulated CLI', function () {
  this.timeout(30_000);
  let emu;
  let client;

  before(async () => {
    emu = await startEmulator();
  });
  after(async () => {
    if (emu) await emu.close();
  });
  beforeEach(async () => {
    await emu.control.resetFaults({});
  });
  afterEach(async () => {
    if (client) await client.stop();
    client = undefined;
    await emu.control.resetFaults({});
  });

  it('pairs each reply with its command when the CLI answers in shuffled order', async () => {
    client = await connectedClient(emu, { maxInFlight: 2 });
    const userId = client.user.userId;
    await emu.control.setReorder({ count: 2 });
    const commands = ['/user', `/_contacts ${userId}`, '/users', `/_groups ${userId}`, '/user', `/_contacts ${userId}`];
    const expected = ['activeUser', 'contactsList', 'usersList', 'groupsList', 'activeUser', 'contactsList'];
    const replies = await Promise.all(commands.map((cmd) => client.command(cmd)));
    assert.deepEqual(
      replies.map((r) => r.type),
      expected,
    );
    const log = (await commandLog(emu)).slice(-commands.length);
    assert.deepEqual(
      log.map((e) => e.cmd),
      commands,
      'each written once, in order',
    );
    assert.equal(new Set(log.map((e) => e.corrId)).size, commands.length, 'each with its own corrId');
  });

  it('keeps at most the configured number of commands in flight', async () => {
    client = await connectedClient(emu, { maxInFlight: 1 });
    await emu.control.delay({ match: '^/users$', ms: 300, count: 3 });
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, client.session.inFlight)), 5);
    try {
      await Promise.all([client.command('/users'), client.command('/users'), client.command('/users')]);
    } finally {
      clearInterval(watch);
    }
    assert.equal(most, 1);
    assert.throws(() => new SimplexSession({ maxInFlight: 65 }), InvalidInputError);
    assert.throws(() => new SimplexSession({ maxInFlight: 0 }), InvalidInputError);
  });

  it('writes up to 16 commands ahead by default: behind a slow one they keep their order and trip no heartbeat', async () => {
    client = await connectedClient(emu);
    const contacts = await client.listContacts();
    const alice = `@${contacts.find((c) => c.profile.displayName === 'Alice').contactId}`;
    await emu.control.delay({ match: '^/users$', ms: 1000 });
    let most = 0;
    const watch = setInterval(() => (most = Math.max(most, client.session.inFlight)), 5);
    const texts = Array.from({ length: 40 }, (_, i) => `in order ${i}`);
    try {
      const slow = client.command('/users', { timeoutMs: 5000 });
      const sent = await Promise.all(texts.map((text) => client.sendText(alice, text)));
      assert.equal((await slow).type, 'usersList');
      const ids = sent.map((s) => s.chatItemId);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'each send answered with its own item, in the order given',
      );
    } finally {
      clearInterval(watch);
    }
    assert.equal(most, DEFAULT_MAX_IN_FLIGHT);
    assert.equal(DEFAULT_MAX_IN_FLIGHT, 16);
    // Alice's device gets them over the relay after its latency: all of them, in the order sent.
    const aliceGot = async () =>
      (await emu.control.messages({ person: 'Alice' })).map((m) => m.text).filter((t) => texts.includes(t));
    await waitFor(async () => (await aliceGot()).length >= texts.length, 'Alice to get every text');
    assert.deepEqual(await aliceGot(), texts);
    assert.equal(client.session.stats.heartbeatTimeouts, 0);
    assert.equal(client.session.stats.drops, 0);
  });

  it('times out an unanswered command as "outcome unknown", never resends it, and carries on', async () => {
    client = await connectedClient(emu);
    await emu.control.delay({ match: '^/users$', ms: 800 });
    const before = (await commandLog(emu)).filter((e) => e.cmd === '/users').length;
    const err = await client.command('/users', { timeoutMs: 200 }).catch((e) => e);
    assert.equal(err.code, 'TIMEOUT');
    assert.ok(isOutcomeUnknown(err));
    assert.match(err.message, /not resent/);
    await waitFor(() => client.session.stats.lateReplies === 1, 'the late reply to be set aside');
    assert.equal((await commandLog(emu)).filter((e) => e.cmd === '/users').length, before + 1);
    assert.equal((await client.command('/user')).type, 'activeUser');
  });

  it('a slow command does not trip the heartbeat, even when the CLI stops reading behind it', async () => {
    client = await connectedClient(emu, { maxInFlight: 3 });
    await emu.control.delay({ match: '^/users$', ms: 1500 });
    // Two commands wait behind the slow one: the emulated CLI stops reading the socket and answering pings.
    const slow = client.command('/users', { timeoutMs: 5000 });
    const behind = [client.command('/user', { timeoutMs: 5000 }), client.command('/user', { timeoutMs: 5000 })];
    const replies = await Promise.all([slow, ...behind]);
    assert.deepEqual(
      replies.map((r) => r.type),
      ['usersList', 'activeUser', 'activeUser'],
    );
    assert.equal(client.session.stats.heartbeatTimeouts, 0);
    assert.equal(client.session.stats.drops, 0);
  });

  it('detects a half-open socket by the heartbeat and reconnects by itself', async () => {
    client = await connectedClient(emu);
    const connects = client.session.stats.connects;
    await emu.control.setPongs({ enabled: false });
    await emu.control.setStopReading({ enabled: true });
    await waitFor(() => client.session.stats.heartbeatTimeouts > 0, 'the heartbeat to give up');
    await emu.control.resetFaults({});
    await waitFor(
      () => client.state === 'connected' && client.session.stats.connects > connects && client.user,
      'the reconnect',
    );
    assert.equal((await client.command('/user')).type, 'activeUser');
  });

  it('fails a command written on a socket that dies as "outcome unknown", and does not resend it', async () => {
    client = await connectedClient(emu);
    await emu.control.delay({ match: '^/users$', ms: 1000 });
    const before = (await commandLog(emu)).length;
    const pending = client.command('/users', { timeoutMs: 5000 });
    await waitFor(
      async () => (await commandLog(emu)).some((e) => e.cmd === '/users' && !e.replied),
      'the command to arrive',
    );
    await emu.control.dropSockets({});
    const err = await pending.catch((e) => e);
    assert.equal(err.code, 'OUTCOME_UNKNOWN');
    await waitFor(() => client.state === 'connected' && client.user, 'the reconnect');
    await delay(200);
    assert.equal((await commandLog(emu)).slice(before).filter((e) => e.cmd === '/users').length, 1, 'written once');
  });

  it('waits for the connection before sending, then fails as "not sent" when it does not come', async () => {
    client = await connectedClient(emu);
    await emu.control.setOffline({ offline: true });
    try {
      await waitFor(() => client.state !== 'connected', 'the drop');
      const before = (await commandLog(emu)).length;
      const err = await client.command('/users', { offlineWaitMs: 300 }).catch((e) => e);
      assert.equal(err.code, 'OFFLINE');
      assert.ok(isNotSent(err));
      const waiting = client.command('/users', { offlineWaitMs: 5000 });
      await delay(100);
      await emu.control.setOffline({ offline: false });
      assert.equal((await waiting).type, 'usersList');
      assert.equal((await commandLog(emu)).slice(before).filter((e) => e.cmd === '/users').length, 1);
    } finally {
      await emu.control.setOffline({ offline: false });
    }
  });

  it('after a restart of the CLI, delivers the messages that came meanwhile exactly once and reads the user again', async () => {
    client = await connectedClient(emu);
    const texts = [];
    client.on('item', (item) => {
      if (item.direction === 'rcv' && item.isMessage && item.text.startsWith('backlog ')) texts.push(item.text);
    });
    const userReads = (await commandLog(emu)).filter((e) => e.cmd === '/user').length;
    await emu.control.setOffline({ offline: true });
    await waitFor(() => client.state !== 'connected', 'the drop');
    for (let i = 0; i < 5; i += 1) await emu.control.send({ from: i % 2 ? 'Alice' : 'Bob', text: `backlog ${i}` });
    await delay(100);
    assert.deepEqual(texts, [], 'nothing arrives while disconnected');
    await emu.control.setOffline({ offline: false });
    await waitFor(() => texts.length === 5, 'the backlog');
    await delay(300);
    assert.deepEqual(texts, ['backlog 0', 'backlog 1', 'backlog 2', 'backlog 3', 'backlog 4']);
    await waitFor(
      async () => (await commandLog(emu)).filter((e) => e.cmd === '/user').length > userReads,
      'the user to be read again',
    );
    await emu.control.restart({ downMs: 100 });
    await waitFor(
      async () => (await commandLog(emu)).filter((e) => e.cmd === '/user').length > userReads + 1,
      'the user to be read after the restart',
    );
  });

  for (const dialect of ['flat', 'either', 'legacy']) {
    it(`speaks the ${dialect} wire dialect: replies, chat errors and received messages`, async () => {
      await emu.control.setDialect({ dialect });
      client = await connectedClient(emu);
      assert.equal((await client.command('/users')).type, 'usersList');
      await assert.rejects(client.sendText('@987654', 'x'), ChatCommandError);
      const incoming = nextItem(client, received(`in ${dialect}`));
      await emu.control.send({ from: 'Alice', text: `in ${dialect}` });
      const item = await incoming;
      assert.equal(item.sender.displayName, 'Alice');
      const sent = await client.reply(item.chatRef, item.chatItemId, `back in ${dialect}`);
      assert.equal(typeof sent.chatItemId, 'number');
    });
  }

  it('survives 10,000 fuzzed frames without a crash, a lost reply or a false message', async () => {
    client = await connectedClient(emu);
    const items = [];
    client.on('item', (item) => items.push(item));
    const crashes = [];
    const onUncaught = (err) => crashes.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const frames = fuzzFrames(10_000, 7);
      const stats = client.session.stats;
      const events = stats.events;
      for (let i = 0; i < frames.length; i += 1) {
        await emu.control.inject({ frame: frames[i], binary: i % 997 === 0 });
        if (i % 500 === 0) await delay(1);
      }
      // Interleave real commands: their replies must still find them.
      const replies = await Promise.all([client.command('/user'), client.command('/users')]);
      assert.deepEqual(
        replies.map((r) => r.type),
        ['activeUser', 'usersList'],
      );
      await waitFor(
        () => stats.malformedFrames + stats.lateReplies + stats.protocolErrors + stats.events - events >= 10_000,
        'every frame to be read',
        20_000,
      );
      assert.ok(stats.malformedFrames > 100);
      assert.ok(stats.protocolErrors > 100, 'command errors without a corrId are set aside too');
      assert.ok(stats.lateReplies > 100, 'replies to nobody are set aside, not delivered as events');
      assert.equal(client.state, 'connected');
      for (const item of items) assert.equal(typeof item.chatRef, 'string');
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(crashes, []);
  });

  it('fails a reply of a type the reference does not list for the command', async () => {
    client = await connectedClient(emu);
    const err = await client.command('/user', { expect: ['usersList'] }).catch((e) => e);
    assert.equal(err.code, 'UNEXPECTED_REPLY');
    assert.equal(err.responseType, 'activeUser');
    assert.equal(err.reply.type, 'activeUser');
  });

  it('on stop, fails what waits (written: outcome unknown; queued: not sent) and closes within the grace', async () => {
    client = await connectedClient(emu, { maxInFlight: 1 });
    await emu.control.delay({ match: '^/users$', ms: 2000 });
    const written = client.command('/users').catch((e) => e);
    const queued = client.command('/user').catch((e) => e);
    await waitFor(
      async () => (await commandLog(emu)).some((e) => e.cmd === '/users' && !e.replied),
      'the command to arrive',
    );
    const started = Date.now();
    await client.stop();
    assert.ok(Date.now() - started < 1500);
    assert.equal((await written).code, 'OUTCOME_UNKNOWN');
    assert.equal((await queued).code, 'OFFLINE');
    assert.equal(client.state, 'closed');
    assert.equal((await client.command('/user').catch((e) => e)).code, 'CLOSED');
  });

  it('warns when a second client of this process connects to the same CLI', async () => {
    const lines = [];
    const logger = { debug() {}, info() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    client = await connectedClient(emu);
    assert.equal(client.session.competing, 0);
    const second = await connectedClient(emu, { logger });
    try {
      assert.equal(client.session.competing, 1);
      assert.equal(second.session.competing, 1);
      assert.ok(
        lines.some((l) => /2 clients in this process connect to/.test(l)),
        lines.join('\n'),
      );
    } finally {
      await second.stop();
    }
    assert.equal(client.session.competing, 0);
  });

  it('keeps a profile password out of errors', async () => {
    client = await connectedClient(emu);
    const err = await client.call('APISetActiveUser', { userId: 999, viewPwd: 'hunter2 secret' }).catch((e) => e);
    assert.ok(err instanceof ChatCommandError, String(err));
    assert.ok(!JSON.stringify({ ...err, message: err.message, command: err.command }).includes('hunter2'));
    assert.equal(err.command, '/_user 999 "***"');
  });

  it('refuses ws:// to another host unless allowed, and then says it is unencrypted', () => {
    assert.throws(() => new SimplexClient({ url: 'ws://192.0.2.10:5225' }), InvalidInputError);
    const allowed = new SimplexClient({ url: 'ws://192.0.2.10:5225', allowUnencryptedRemote: true });
    assert.equal(allowed.session.unencrypted, true);
    assert.equal(new SimplexClient({ url: 'ws://localhost:5225' }).session.unencrypted, false);
    assert.throws(() => new SimplexClient({ url: 'http://127.0.0.1:5225' }), InvalidInputError);
  });

  it('reports "no user profile" for a CLI started without one', async () => {
    const bare = await startEmulator({ seed: 'none', botDisplayName: null });
    const lonely = new SimplexClient({ url: bare.url, ...FAST });
    try {
      lonely.start();
      await waitFor(() => lonely.session.status.reason === 'no user profile', 'the state to say so');
      assert.equal(lonely.state, 'connected');
      await assert.rejects(lonely.listContacts(), (err) => err.code === 'OFFLINE');
    } finally {
      await lonely.stop();
      await bare.close();
    }
  });
});
