'use strict';
// The SimpleX send and command nodes in a real Node-RED runtime against the emulated CLI: every send action, files
// from a Buffer with the same bytes, refused injection attempts (nothing reaches the CLI), long text, the delivery
// output, 500 concurrent sends correlated with their replies, and the command node's table, raw mode and errors.
const assert = require('node:assert/strict');
const { helper, waitFor, nodes, coreNode } = require('../helpers/env');
const { AT, tab, helperNode, catchAll, runThrough } = require('../helpers/flows');
const sx = require('../helpers/simplex');

describe('simplex-send and simplex-command nodes', function () {
  let emu;
  let alice; // the bot's contact id of Alice
  let family; // the bot's group id of Family
  beforeEach(async () => {
    emu = await sx.startSimplex();
    const bot = emu.control.devices().find((d) => d.name === 'bot' || d.user?.localDisplayName === 'HomeBot');
    const contacts = await emu.control.command({ cmd: '/_contacts 1' });
    alice = contacts.contacts.find((c) => c.localDisplayName === 'Alice').contactId;
    const groups = await emu.control.command({ cmd: '/_groups 1' });
    family = groups.groups.find((g) => g.localDisplayName === 'Family').groupId;
    assert.ok(bot);
  });
  afterEach(async () => {
    await helper.unload();
    await emu.close();
  });

  const flow = (settings = {}, extra = []) => [
    tab(),
    sx.cliNode(emu),
    sx.sendNode('send', [['out']], settings),
    helperNode('out'),
    catchAll('catch', 'caught'),
    helperNode('caught'),
    ...extra,
  ];
  const aliceSees = () => sx.messagesOf(emu, 'Alice', 'bot');
  const commandsSent = () => emu.control.log({}).map((e) => e.cmd);
  const through = (msg, options) => runThrough(helper, msg, options);

  it('sends, replies, edits, reacts, unreacts and deletes', async () => {
    await sx.loadSimplex(emu, flow({ action: 'msg' }));
    const chatRef = `@${alice}`;
    const first = await through({ payload: 'first', chatRef, action: 'send' });
    assert.equal(first.error, undefined, first.error && first.error.message);
    const id = first.out.chatItemId;
    assert.equal(typeof id, 'number');
    assert.deepEqual(first.out.chatItemIds, [id]);
    assert.equal(first.out.payload[0].chatItem.content.msgContent.text, 'first');

    emu.control.send({ from: 'Alice', to: 'bot', text: 'question' });
    const question = await waitFor(async () => {
      const items = (await emu.control.command({ cmd: `/_get chat @${alice} count=10` })).chat.chatItems;
      return items.find((i) => i.content.msgContent && i.content.msgContent.text === 'question');
    }, 'the question at the bot');
    const reply = await through({
      payload: 'answer',
      contactId: alice,
      action: 'reply',
      chatItemId: question.meta.itemId,
    });
    assert.equal(reply.error, undefined, reply.error && reply.error.message);
    await waitFor(
      () => aliceSees().some((m) => m.text === 'answer' && m.quotedText === 'question'),
      'the quoted reply',
    );

    const edit = await through({ payload: 'first, edited', chatRef, action: 'update', chatItemId: id });
    assert.equal(edit.out.responseType, 'chatItemUpdated');
    await waitFor(() => aliceSees().some((m) => m.text === 'first, edited' && m.edited), 'the edit');

    const react = await through({ payload: '🚀', chatRef, action: 'react', chatItemId: question.meta.itemId });
    assert.equal(react.out.responseType, 'chatItemReaction');
    await waitFor(() => aliceSees().some((m) => m.text === 'question' && m.reactions.includes('🚀')), 'the reaction');
    await through({ payload: '🚀', chatRef, action: 'unreact', chatItemId: question.meta.itemId });
    await waitFor(
      () => aliceSees().some((m) => m.text === 'question' && m.reactions.length === 0),
      'the reaction removed',
    );

    const del = await through({ chatRef, action: 'delete', chatItemId: id });
    assert.equal(del.out.responseType, 'chatItemsDeleted');
    await waitFor(() => aliceSees().some((m) => m.text === 'first, edited' && m.deleted), 'the deletion');
  });

  it('sends to a group from its setting and splits long text in order', async () => {
    await sx.loadSimplex(emu, flow({ chatRef: `#${family}` }));
    const lines = Array.from({ length: 900 }, (_, i) => `line ${i} ${'x'.repeat(30)}`);
    const { out } = await through({ payload: lines.join('\n') });
    assert.ok(out.chatItemIds.length >= 2, 'more than one part');
    await waitFor(
      () =>
        sx.messagesOf(emu, 'Bob', '#Family').filter((m) => m.sender === 'HomeBot').length === out.chatItemIds.length,
      'the parts',
    );
    const parts = sx
      .messagesOf(emu, 'Bob', '#Family')
      .filter((m) => m.sender === 'HomeBot')
      .map((m) => m.text);
    assert.equal(parts.join(''), lines.join('\n'));
  });

  it('streams a live message: sent live, updated live, finished by an update without live', async () => {
    await sx.loadSimplex(emu, flow({ action: 'msg' }));
    const chatRef = `@${alice}`;
    const started = await through({ payload: 'Thinking', chatRef, action: 'send', live: true });
    const id = started.out.chatItemId;
    await through({ payload: 'Thinking about it', chatRef, action: 'update', chatItemId: id, live: true });
    await through({ payload: 'Thinking about it: done.', chatRef, action: 'update', chatItemId: id });
    const sent = commandsSent().filter((c) => c.startsWith('/_send') || c.startsWith('/_update'));
    assert.match(sent[sent.length - 3], /^\/_send @\d+ live=on json /);
    assert.match(sent[sent.length - 2], /^\/_update item @\d+ \d+ live=on json /);
    assert.match(sent[sent.length - 1], /^\/_update item @\d+ \d+ json /);
    await waitFor(() => aliceSees().some((m) => m.text === 'Thinking about it: done.'), 'the finished message');
  });

  it('rejects a contact request', async () => {
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu, { autoAccept: false }),
      sx.receiveNode('recv', [['out']], { messages: false, contacts: true }),
      sx.sendNode('reject', [['rejected']], { action: 'reject' }),
      helperNode('out'),
      helperNode('rejected'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ]);
    const requests = [];
    helper.getNode('out').on('input', (m) => requests.push(m));
    await emu.control.createPerson({ name: 'Mallory' });
    emu.control.connect({ person: 'Mallory' });
    await waitFor(() => requests.some((m) => m.topic === 'receivedContactRequest'), 'the request');
    const request = requests.find((m) => m.topic === 'receivedContactRequest');
    assert.equal(request.simplex.displayName, 'Mallory');
    const { out } = await through(
      { contactRequestId: request.contactRequestId },
      { inputId: 'reject', outId: 'rejected' },
    );
    assert.equal(out.responseType, 'contactRequestRejected');
    const contacts = await emu.control.command({ cmd: '/_contacts 1' });
    assert.ok(!contacts.contacts.some((c) => c.localDisplayName === 'Mallory'));
  });

  it('routes by msg.chatRef, msg.contactId, msg.groupId, then the node setting (here from the environment)', async () => {
    process.env.SX_TEST_CHAT = `@${alice}`;
    try {
      await sx.loadSimplex(emu, flow({ chatRef: 'SX_TEST_CHAT', chatRefType: 'env' }));
      const bobInFamily = () => sx.messagesOf(emu, 'Bob', '#Family').filter((m) => m.sender === 'HomeBot');
      await through({ payload: 'to the group by id', groupId: family });
      await through({ payload: 'to the group by ref', chatRef: `#${family}`, contactId: alice });
      await through({ payload: 'to Alice by id', contactId: String(alice) });
      await through({ payload: 'to Alice by the setting' });
      await waitFor(() => bobInFamily().length === 2, 'the group messages');
      assert.deepEqual(
        bobInFamily().map((m) => m.text),
        ['to the group by id', 'to the group by ref'],
      );
      await waitFor(() => aliceSees().filter((m) => /^to Alice/.test(m.text)).length === 2, "Alice's messages");
    } finally {
      delete process.env.SX_TEST_CHAT;
    }
  });

  it('sends a file from a stream', async () => {
    await sx.loadSimplex(emu, flow());
    const file = require('node:path').join(emu.dir, 'notes.txt');
    require('node:fs').writeFileSync(file, 'streamed notes\n'.repeat(1000));
    const { error } = await through({
      payload: require('node:fs').createReadStream(file),
      filename: 'notes.txt',
      chatRef: `@${alice}`,
    });
    assert.equal(error, undefined, error && error.message);
    await waitFor(() => aliceSees().some((m) => m.file && m.file.status === 'rcvInvitation'), 'the file offer');
    await emu.control.acceptFile({ person: 'Alice' });
    const got = emu.control.files({ person: 'Alice', content: 'base64' }).find((f) => f.name.startsWith('notes'));
    assert.equal(Buffer.from(got.base64, 'base64').toString(), 'streamed notes\n'.repeat(1000));
  });

  it('refuses long text when asked to, before sending', async () => {
    await sx.loadSimplex(emu, flow({ longText: 'refuse' }));
    const before = commandsSent().length;
    const { error } = await through({ payload: 'y'.repeat(20_000), chatRef: `@${alice}` });
    assert.match(error.message, /too large/);
    assert.equal(commandsSent().length, before);
  });

  it('refuses values that try to add arguments or a second command, and sends nothing', async () => {
    await sx.loadSimplex(emu, flow({ action: 'msg' }));
    const before = commandsSent().length;
    const attempts = [
      { payload: 'x', chatRef: `@${alice} live=on` },
      { payload: 'x', chatRef: `@${alice}\n/_delete @${alice} full` },
      { payload: 'x', chatRef: `@${alice} json [{"msgContent":{"type":"text","text":"injected"}}]` },
      { payload: 'x', contactId: `${alice} ttl=1` },
      { payload: 'x', groupId: [family] },
      { payload: 'x', contactId: alice, groupId: family },
      { payload: 'x', chatRef: `@${alice}`, ttl: '5 live=on' },
      { payload: 'x', chatRef: `@${alice}`, action: 'update', chatItemId: '1 json {}' },
      { payload: 'x', chatRef: `@${alice}`, action: 'delete', chatItemId: '1,2' },
      { payload: '💩', chatRef: `@${alice}`, action: 'react', chatItemId: 1 },
      { payload: 'x', chatRef: `@${alice}`, action: 'send; /_delete' },
      { chatRef: `@${alice}`, action: 'accept', contactRequestId: '1 /_delete' },
    ];
    for (const msg of attempts) {
      const result = await through(msg);
      assert.ok(result.error, `refused: ${JSON.stringify(msg)}`);
    }
    assert.deepEqual(commandsSent().slice(before), [], 'no command reached the CLI');
    assert.ok(!aliceSees().some((m) => m.text === 'injected' || m.text === 'x'));
  });

  it('sends a file from a Buffer that arrives with the same bytes, and reports delivery', async () => {
    await sx.loadSimplex(emu, [
      tab(),
      sx.cliNode(emu),
      sx.sendNode('send', [['out'], ['delivered']], { delivery: true, deliveryTimeout: 10 }),
      helperNode('out'),
      helperNode('delivered'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ]);
    const delivered = [];
    helper.getNode('delivered').on('input', (m) => delivered.push(m));
    const bytes = Buffer.from(Array.from({ length: 123_457 }, (_, i) => (i * 7 + 3) % 256));
    const { out, error } = await through({
      payload: bytes,
      filename: 'photo.jpg',
      caption: 'a photo',
      chatRef: `@${alice}`,
    });
    assert.equal(error, undefined, error && error.message);
    await waitFor(() => aliceSees().some((m) => m.file && m.file.status === 'rcvInvitation'), 'the file offer');
    await emu.control.acceptFile({ person: 'Alice' });
    const files = emu.control.files({ person: 'Alice', content: 'base64' });
    const file = files.find((f) => f.name.startsWith('photo'));
    assert.ok(file, JSON.stringify(files.map((f) => f.name)));
    assert.ok(Buffer.from(file.base64, 'base64').equals(bytes), 'the same bytes');
    await waitFor(() => delivered.length === 1, 'the delivery output');
    assert.equal(delivered[0].delivered, true);
    assert.equal(delivered[0].chatItemId, out.chatItemId);
    // A text message is delivered when Alice's client confirms it.
    await through({ payload: 'did you get it?', chatRef: `@${alice}` });
    await waitFor(() => delivered.length === 2, 'the second delivery');
    assert.equal(delivered[1].delivered, true);
    assert.equal(delivered[1].payload, 'sndRcvd');
  });

  it('correlates 500 concurrent sends with their replies in shuffled order', async function () {
    this.timeout(60_000);
    await sx.loadSimplex(emu, flow({ chatRef: `@${alice}` }));
    const outs = new Map();
    const errors = [];
    helper.getNode('out').on('input', (m) => outs.set(m.seq, m));
    helper.getNode('caught').on('input', (m) => errors.push(m.error.message));
    // Replies come back in swapped pairs while the sends pour in.
    let remaining = 500;
    const shuffle = setInterval(() => {
      if (remaining > 20) emu.control.setReorder({ count: 2 });
    }, 3);
    try {
      for (let i = 0; i < 500; i++) helper.getNode('send').receive({ payload: `message ${i}`, seq: i });
      await waitFor(
        () => {
          remaining = 500 - outs.size - errors.length;
          return remaining === 0;
        },
        'all 500 sends',
        50_000,
      );
    } finally {
      clearInterval(shuffle);
      emu.control.resetFaults({});
    }
    assert.deepEqual(errors, []);
    for (let i = 0; i < 500; i++) {
      const msg = outs.get(i);
      assert.equal(msg.payload[0].chatItem.content.msgContent.text, `message ${i}`, `send ${i} got its own reply`);
    }
    assert.equal(new Set([...outs.values()].map((m) => m.chatItemId)).size, 500);
    await waitFor(() => aliceSees().filter((m) => /^message \d+$/.test(m.text)).length === 500, 'Alice to get all 500');
  });

  it('accepts a contact request passed on by a receive node, then greets the connected contact', async () => {
    const change = coreNode('function/15-change.js');
    const setText = {
      id: 'text',
      ...AT,
      type: 'change',
      rules: [{ t: 'set', p: 'payload', pt: 'msg', to: 'welcome aboard', tot: 'str' }],
      wires: [['greet']],
    };
    const switchNode = coreNode('function/10-switch.js');
    const requestsOnly = {
      id: 'requests',
      ...AT,
      type: 'switch',
      property: 'topic',
      propertyType: 'msg',
      rules: [
        { t: 'eq', v: 'receivedContactRequest', vt: 'str' },
        { t: 'eq', v: 'contactConnected', vt: 'str' },
      ],
      checkall: 'true',
      outputs: 2,
      wires: [['accept'], ['text']],
    };
    await helper.load(
      [...sx.ALL, change, switchNode, nodes.catch],
      [
        tab(),
        sx.cliNode(emu, { autoAccept: false }),
        sx.receiveNode('recv', [['requests']], { messages: false, contacts: true }),
        requestsOnly,
        sx.sendNode('accept', [['accepted']], { action: 'accept' }),
        helperNode('accepted'),
        setText,
        sx.sendNode('greet', [['out']]),
        helperNode('out'),
        catchAll('catch', 'caught'),
        helperNode('caught'),
      ],
    );
    const caught = [];
    helper.getNode('caught').on('input', (m) => caught.push(m.error.message));
    // The start-up actions turn auto-accept off first.
    await waitFor(() => helper.getNode('cli').startup.at, 'the start-up actions');
    await emu.control.createPerson({ name: 'Erin' });
    emu.control.connect({ person: 'Erin' });
    const greeted = () => {
      try {
        return sx.messagesOf(emu, 'Erin', 'bot').some((m) => m.text === 'welcome aboard');
      } catch {
        return false; // not a contact yet
      }
    };
    await waitFor(() => greeted() || caught.length > 0, 'the greeting');
    assert.deepEqual(caught, []);
    assert.ok(greeted());
  });

  describe('simplex-command', () => {
    const cmdFlow = (settings) => [
      tab(),
      sx.cliNode(emu),
      sx.commandNode('cmd', [['out']], settings),
      helperNode('out'),
      catchAll('catch', 'caught'),
      helperNode('caught'),
    ];

    it('runs a command of the table with typed-input parameters and the bot user filled in', async () => {
      await sx.loadSimplex(emu, cmdFlow({ command: 'APIListContacts', params: {} }));
      const { out } = await through({}, { inputId: 'cmd' });
      assert.equal(out.responseType, 'contactsList');
      assert.ok(out.payload.contacts.some((c) => c.localDisplayName === 'Alice'));
      await helper.unload();
      await sx.loadSimplex(
        emu,
        cmdFlow({ command: 'APIListMembers', params: { groupId: { value: 'group', type: 'msg' } } }),
      );
      const members = await through({ group: family }, { inputId: 'cmd' });
      assert.equal(members.out.responseType, 'groupMembers');
    });

    it('runs a raw command with {userId} and refuses a second line', async () => {
      await sx.loadSimplex(emu, cmdFlow({ command: 'raw' }));
      const { out } = await through({ payload: '/_groups {userId}' }, { inputId: 'cmd' });
      assert.equal(out.responseType, 'groupsList');
      const before = commandsSent().length;
      const refused = await through({ payload: `/_groups 1\n/_delete @${alice} full` }, { inputId: 'cmd' });
      assert.match(refused.error.message, /rawOneLine/);
      assert.equal(commandsSent().length, before);
    });

    it('gives a command error to Catch naming its tag, and refuses a parameter that would add arguments', async () => {
      await sx.loadSimplex(
        emu,
        cmdFlow({ command: 'APIListMembers', params: { groupId: { value: 'group', type: 'msg' } } }),
      );
      const failed = await through({ group: 9999 }, { inputId: 'cmd' });
      assert.match(failed.error.message, /groupNotFound/);
      const before = commandsSent().length;
      const injected = await through({ group: '3 /_delete' }, { inputId: 'cmd' });
      assert.ok(injected.error);
      assert.deepEqual(commandsSent().slice(before), []);
    });
  });
});
