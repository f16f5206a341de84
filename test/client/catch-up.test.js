'use strict';
// Catching up after a reconnect: messages others published while the socket was down come out as ordinary
// `message` events, once, in order; nothing from before the drop, nothing of our own. Emulator over real sockets.
const assert = require('node:assert/strict');
const { buildForm, buildFormComponent, epochMs } = require('../../dist/semilimes');
const { DEMO, waitFor, delay, clientSuite } = require('../helpers/env');

describe('client: catching up after a reconnect', function () {
  let emu;
  const makeClient = clientSuite((started) => (emu = started));

  const nextSecond = () => delay(1000 - (Date.now() % 1000) + 20);
  const text = (t) => ({ dataComponentType: 'text', text: t });
  const textsOf = (messages) => messages.map((m) => m.dataComponent.text ?? m.dataComponent.dataComponentType);

  /**
   * A connected client and everything it emits. The server stamps whole seconds, and a stamp in the second of the
   * first connect counts as sent before it (never delivered again, see decisions.md): the tests' outages start in
   * the next second.
   */
  async function connectedClient(extra) {
    const client = makeClient(extra);
    const received = [];
    client.on('message', (m) => received.push(m));
    client.connect();
    await waitFor(() => client.state === 'connected', 'the WebSocket to connect');
    await nextSecond();
    return { client, received };
  }

  /** Takes semilimes away until `during()` has run, then brings it back and waits for the reconnect. */
  async function outage(client, during) {
    await emu.control.setOffline(true);
    await waitFor(() => client.state !== 'connected', 'the client to notice the drop');
    await during();
    await emu.control.setOffline(false);
    await waitFor(() => client.state === 'connected', 'the reconnect', 5000);
  }

  it('delivers p2p, group chat and form answers published during the outage, once, oldest first', async () => {
    // Published before this client ever connected: never ours to deliver.
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('before connect') });
    const { client, received } = await connectedClient();
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('live') });
    await waitFor(() => received.length === 1, 'the live message');
    const form = await client.send(
      { kind: 'p2p', id: DEMO.alice },
      buildForm({ refName: 'lamp' }, [buildFormComponent('switch', 'power', { title: 'Power', value: false })]),
    );
    // Our own message in the same window: history has it, it must not come back as received.
    await client.send({ kind: 'groupchat', id: DEMO.family }, 'own message');

    await outage(client, async () => {
      // Group chats are read after p2p chats: a second later, the p2p message must still come out after it.
      emu.control.sendAs({ from: DEMO.bob, to: { groupChatId: DEMO.family }, dataComponent: text('during 1') });
      await nextSecond();
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('during 2') });
      emu.control.submitForm({ from: DEMO.alice, messageId: form.messageId, values: { power: true } });
    });

    await waitFor(() => received.length >= 4, 'the caught-up messages');
    await delay(300); // anything doubled would arrive now
    // Whole-second stamps order 'during 1' before the other two; those two share a second.
    assert.deepEqual(textsOf(received).slice(0, 2), ['live', 'during 1']);
    assert.deepEqual(textsOf(received).slice(2).sort(), ['during 2', 'formsubmission']);
    const [, group] = received;
    const p2p = received.find((m) => m.dataComponent.text === 'during 2');
    const submission = received.find((m) => m.dataComponent.dataComponentType === 'formsubmission');
    assert.equal(p2p.featureType, 'p2p');
    assert.equal(p2p.senderId, DEMO.alice);
    assert.equal(group.featureType, 'groupchat');
    assert.equal(group.groupChatId, DEMO.family);
    assert.equal(group.senderId, DEMO.bob);
    assert.equal(submission.featureType, 'p2p');
    assert.equal(submission.senderId, DEMO.alice);
    assert.equal(submission.dataComponent.replyTo.messageId, form.messageId);
    // receivedOn is the message's publishedOn, in the server's units (epoch seconds here).
    const stored = emu.control.messages().find((m) => m.messageId === p2p.messageId);
    assert.equal(p2p.receivedOn, stored.publishedOn);
    assert.ok(Math.abs(epochMs(p2p.receivedOn) - Date.now()) < 10_000);
    assert.deepEqual(
      {
        runs: client.catchUpStats.runs,
        replayed: client.catchUpStats.replayed,
        failures: client.catchUpStats.failures,
      },
      { runs: 1, replayed: 3, failures: 0 },
    );
    // The history was read over the reopened WebSocket, with the documented limits.
    const reads = emu.control.requests().filter((r) => r.path === '/communication/p2p/message');
    assert.ok(reads.length >= 1 && reads.every((r) => r.transport === 'ws'));
    assert.ok(
      reads.every((r) => String(r.query?.limit ?? r.body?.limit ?? '') === '20'),
      JSON.stringify(reads[0]),
    );
  });

  it('does not deliver twice a message the server replays after catch-up delivered it', async () => {
    const { client, received } = await connectedClient();
    let sent;
    await outage(client, async () => {
      sent = emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('only once') });
    });
    await waitFor(() => received.length === 1, 'the caught-up message');
    // A server that does queue events replays the one it could not push.
    const frame = {
      eventType: 'MessageReceived',
      featureType: 'p2p',
      eventBody: {
        senderId: DEMO.alice,
        messageId: sent.messageId,
        receivedOn: sent.publishedOn,
        dataComponent: text('only once'),
      },
    };
    emu.control.injectFrame({ accountId: DEMO.bot, frame });
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('next') });
    await waitFor(() => received.length === 2, 'the next live message');
    await delay(200);
    assert.deepEqual(textsOf(received), ['only once', 'next']);
    assert.equal(client.catchUpStats.duplicates, 1);
  });

  it('replays nothing when catch-up is off', async () => {
    const { client, received } = await connectedClient({ catchUp: false });
    await outage(client, async () => {
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('lost') });
    });
    emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('after') });
    await waitFor(() => received.length === 1, 'the live message');
    await delay(300);
    assert.deepEqual(textsOf(received), ['after']);
    assert.equal(client.catchUpStats, undefined);
    assert.equal(emu.control.requests().filter((r) => r.path === '/communication/p2p/message').length, 0);
  });

  it('honours maxChats and maxMessages', async () => {
    const { client, received } = await connectedClient({ catchUp: { maxChats: 1, maxMessages: 2 } });
    await outage(client, async () => {
      for (const t of ['a', 'b', 'c']) {
        emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text(t) });
        await delay(2);
      }
    });
    await waitFor(() => received.length === 2, 'the caught-up messages');
    await delay(200);
    assert.deepEqual(textsOf(received), ['b', 'c']);
    const reads = emu.control.requests().filter((r) => r.path === '/communication/p2p/message');
    assert.equal(reads.length, 1);
  });

  it('bounds its billed requests per reconnect, delivers what it read, and warns', async () => {
    const warnings = [];
    const logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const { client, received } = await connectedClient({ catchUp: { maxRequestsPerRun: 3 }, logger });
    const before = emu.control.requests().length;
    await outage(client, async () => {
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('p2p') });
      emu.control.sendAs({ from: DEMO.bob, to: { groupChatId: DEMO.family }, dataComponent: text('group') });
    });
    await waitFor(() => client.catchUpStats.cutShort === 1, 'the catch-up to stop at its bound');
    await delay(200);
    // Its own account, the p2p list and one p2p history: the group chat is not read.
    assert.equal(emu.control.requests().length - before, 3);
    assert.equal(client.catchUpStats.requests, 3);
    assert.deepEqual(textsOf(received), ['p2p']);
    assert.ok(
      warnings.some((w) => /stopped at the limit of 3 requests per reconnect/.test(w)),
      warnings.join('\n'),
    );
  });

  it('bounds its billed requests per hour over several reconnects', async () => {
    const { client, received } = await connectedClient({ catchUp: { maxRequestsPerHour: 6 } });
    const before = emu.control.requests().length;
    await outage(client, async () => {
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('first') });
    });
    await waitFor(() => client.catchUpStats.cutShort === 1, 'the first catch-up to reach the hourly bound');
    assert.equal(client.catchUpStats.requests, 6);
    await waitFor(() => received.length === 1, 'the message read before the bound');
    await nextSecond();
    await outage(client, async () => {
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('second') });
    });
    await waitFor(() => client.catchUpStats.cutShort === 2, 'the second catch-up to find no requests left');
    await delay(200);
    assert.equal(emu.control.requests().length - before, 6, 'no request beyond the hourly bound');
    assert.deepEqual(textsOf(received), ['first']);
  });

  it('reads stamps in epoch seconds, as documented, and in milliseconds', () => {
    assert.equal(epochMs(1700562656), 1700562656000);
    assert.equal(epochMs(1700562656123), 1700562656123);
    assert.equal(epochMs('1700562656'), undefined);
    assert.equal(epochMs(-1), undefined);
  });

  it('keeps the connection and warns when catch-up fails, then catches up after the next reconnect', async () => {
    const warnings = [];
    const logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const { client, received } = await connectedClient({ logger });
    await outage(client, async () => {
      emu.control.sendAs({ from: DEMO.alice, to: { recipientId: DEMO.bot }, dataComponent: text('delayed') });
      // The first requests after the reconnect (own account id, chat lists) fail.
      emu.control.failNext({ count: 20, status: 500, transport: 'any' });
    });
    await waitFor(() => client.catchUpStats.failures === 1, 'the failed catch-up');
    assert.equal(client.state, 'connected');
    assert.ok(
      warnings.some((w) => /catching up on missed messages/.test(w)),
      warnings.join('\n'),
    );
    assert.deepEqual(received, []);
    await emu.control.reset();
    emu.control.dropSockets({ accountId: DEMO.bot });
    await waitFor(() => received.length === 1, 'the message after the next reconnect', 5000);
    assert.deepEqual(textsOf(received), ['delayed']);
  });
});
