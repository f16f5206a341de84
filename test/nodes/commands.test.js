'use strict';
// Commands and conversations in a real Node-RED runtime against the emulator: the command node routes `/word` texts
// and regular expressions with msg.command, and the ask node returns the next text of the person asked.
const assert = require('node:assert/strict');
const { helper, nodes, coreNode, DEMO, keyOf, waitFor, delay, accountNode, nodeSuite, openSockets } = require('../helpers/env');
const { tab, receiveNode, sendNode, helperNode, catchAll } = require('../helpers/flows');

const text = (t) => ({ dataComponentType: 'text', text: t });
const AT = { z: 'f1', x: 100, y: 100 };
const commandNode = (id, rules, wires, other = true) => ({ id, ...AT, type: 'semilimes-command', rules, other, version: 1, wires });
const askNode = (id, timeout, wires) => ({ id, ...AT, type: 'semilimes-ask', account: 'acc', timeout, version: 1, wires });
const nodeList = [nodes.account, nodes.receive, nodes.send, nodes.command, nodes.ask, nodes.catch, coreNode('function/15-change.js')];
/** A change node that sets msg.payload to a text. */
const setText = (id, words, wires) => ({
  id, ...AT, type: 'change', rules: [{ t: 'set', p: 'payload', pt: 'msg', to: words, tot: 'str' }], wires,
});

describe('commands and conversations', function () {
  let emu;
  nodeSuite((started) => (emu = started));

  async function load(flowNodes, connects = true) {
    await helper.load(nodeList, [tab(), accountNode(emu), ...flowNodes], { acc: { apiKey: keyOf(emu, DEMO.bot) } });
    if (connects) await waitFor(async () => (await openSockets(emu, DEMO.bot)) >= 1, 'the bot to connect');
  }
  /** What each named helper node receives. */
  function collect(...ids) {
    const got = {};
    for (const id of ids) {
      got[id] = [];
      helper.getNode(id).on('input', (m) => got[id].push(m));
    }
    return got;
  }
  const say = (from, words, to = { recipientId: DEMO.bot }) => emu.control.sendAs({ from, to, dataComponent: text(words) });

  describe('semilimes command', () => {
    const rules = [
      { t: 'command', v: 'lights' },
      { t: 'command', v: '/start' },
      { t: 'regex', v: '^turn (on|off) the (\\w+)$', name: 'turn' },
    ];

    async function loadRouter(other = true) {
      const wires = [['lights'], ['start'], ['turn'], ...(other ? [['other']] : [])];
      await load([
        receiveNode('recv', [['cmd']]),
        commandNode('cmd', rules, wires, other),
        ...['lights', 'start', 'turn', 'other'].map(helperNode),
      ]);
      return collect('lights', 'start', 'turn', 'other');
    }

    it('/lights on gives {name: "lights", args: ["on"]} out of the lights output, with the reply route', async () => {
      const got = await loadRouter();
      await say(DEMO.alice, '/lights on');
      await waitFor(() => got.lights.length === 1, 'the command');
      assert.deepEqual(got.lights[0].command, { name: 'lights', args: ['on'], text: 'on' });
      assert.equal(got.lights[0].recipientId, DEMO.alice);
      assert.equal(got.other.length + got.start.length + got.turn.length, 0);
    });

    it('routes each rule to its own output, expressions with their groups, the rest to the last output', async () => {
      const got = await loadRouter();
      for (const words of ['/START', '/lights@homebot off  kitchen', 'turn off the heating', 'hello', '/unknown x']) {
        await say(DEMO.alice, words);
      }
      await waitFor(() => got.other.length === 2, 'all five');
      assert.deepEqual(got.start[0].command, { name: 'start', args: [], text: '' });
      assert.deepEqual(got.lights[0].command.args, ['off', 'kitchen']);
      assert.deepEqual(got.turn[0].command, { name: 'turn', args: ['off', 'heating'] });
      assert.deepEqual(got.other.map((m) => m.payload), ['hello', '/unknown x']);
      assert.equal(got.other[0].command, undefined);
    });

    it('drops what no rule matches when there is no output for the rest', async () => {
      const got = await loadRouter(false);
      await say(DEMO.alice, 'just chatting');
      await say(DEMO.alice, '/lights off');
      await waitFor(() => got.lights.length === 1, 'the command');
      await delay(100);
      assert.equal(got.other.length, 0);
    });

    it('shows a rule that cannot work on its status and fails messages through Catch', async () => {
      await load([
        commandNode('cmd', [{ t: 'regex', v: '(' }], [['x']]),
        helperNode('x'),
        catchAll('catch', 'caught'),
        helperNode('caught'),
      ], false);
      const cmd = helper.getNode('cmd');
      assert.equal(cmd.status.lastCall.args[0].fill, 'red');
      const got = collect('caught');
      cmd.receive({ payload: 'anything' });
      await waitFor(() => got.caught.length === 1, 'the error');
      assert.match(got.caught[0].error.message, /badRule/);
    });
  });

  describe('semilimes ask', () => {
    /** receive -> command (/alarm -> send "What time?" -> ask; rest -> chat) */
    async function loadConversation(timeout = 30) {
      await load([
        receiveNode('recv', [['cmd']]),
        commandNode('cmd', [{ t: 'command', v: 'alarm' }], [['text'], ['chat']]),
        setText('text', 'What time?', [['question']]),
        sendNode('question', [['ask']]),
        askNode('ask', timeout, [['answer'], ['noAnswer']]),
        ...['chat', 'answer', 'noAnswer'].map(helperNode),
      ]);
      return collect('chat', 'answer', 'noAnswer');
    }

    it('fails at once, to Catch, when its account cannot work (no key), instead of waiting for an answer', async () => {
      await helper.load(
        nodeList,
        [
          tab(),
          accountNode(emu),
          askNode('ask', 30, [['answer'], ['noAnswer']]),
          catchAll('catch', 'caught'),
          ...['answer', 'noAnswer', 'caught'].map(helperNode),
        ],
        {},
      );
      const got = collect('answer', 'noAnswer', 'caught');
      helper.getNode('ask').receive({ payload: 'What time?', recipientId: DEMO.alice });
      await waitFor(() => got.caught.length === 1, 'the error');
      assert.deepEqual([got.answer.length, got.noAnswer.length], [0, 0]);
    });

    it('returns the next text of the person asked, in that chat only; the answer does not reach receive', async () => {
      const got = await loadConversation();
      await say(DEMO.alice, '/alarm');
      await waitFor(
        async () => (await emu.control.messages()).some((m) => m.publisherId === DEMO.bot && m.dataComponent.text === 'What time?'),
        'the question',
      );
      await delay(100);
      await say(DEMO.bob, '9:00'); // someone else
      await say(DEMO.alice, '8:00', { groupChatId: DEMO.family }); // the same person, another chat
      await say(DEMO.alice, '7:30'); // the answer
      await say(DEMO.alice, 'thanks'); // after the answer: an ordinary message again
      await waitFor(() => got.answer.length === 1 && got.chat.length === 3, 'the answer and the rest');
      const answer = got.answer[0];
      assert.equal(answer.payload, '7:30');
      assert.equal(answer.recipientId, DEMO.alice);
      assert.deepEqual(answer.command, { name: 'alarm', args: [], text: '' }, 'the asking message\'s properties kept');
      assert.ok(answer.asked.messageId, 'the question\'s id');
      assert.deepEqual(got.chat.map((m) => m.payload), ['9:00', '8:00', 'thanks']);
      assert.equal(got.noAnswer.length, 0);
    });

    it('sends the message out of the second output when no answer comes in time', async () => {
      const got = await loadConversation(1);
      await say(DEMO.alice, '/alarm');
      await waitFor(() => got.noAnswer.length === 1, 'the timeout', 4000);
      assert.equal(got.noAnswer[0].recipientId, DEMO.alice);
      await say(DEMO.alice, 'too late');
      await waitFor(() => got.chat.length === 1, 'an ordinary message');
      assert.equal(got.answer.length, 0);
    });

    it('waits in a group chat for the person who asked there', async () => {
      const got = await loadConversation();
      await say(DEMO.bob, '/alarm', { groupChatId: DEMO.family });
      await waitFor(
        async () => (await emu.control.messages()).some((m) => m.chat.groupChatId === DEMO.family && m.dataComponent.text === 'What time?'),
        'the question in the group',
      );
      await delay(100);
      await say(DEMO.alice, 'not me', { groupChatId: DEMO.family });
      await say(DEMO.bob, '6:45', { groupChatId: DEMO.family });
      await waitFor(() => got.answer.length === 1, 'the answer');
      assert.equal(got.answer[0].payload, '6:45');
      assert.equal(got.answer[0].groupChatId, DEMO.family);
      assert.deepEqual(got.chat.map((m) => m.payload), ['not me']);
    });
  });
});
