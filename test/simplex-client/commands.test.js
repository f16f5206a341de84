'use strict';
// The command table against the reference itself: COMMANDS.md is read at test time, and each command's documented
// JavaScript one-liner is run with sample parameters; our builder must produce the same string.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {
  COMMANDS,
  buildCommand,
  findCommand,
  chatRefString,
  parseChatRef,
  normalizeReaction,
  REACTION_EMOJIS,
  InvalidInputError,
} = require('../../dist/simplex');

const REFERENCE = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'simplex-bot-api', 'COMMANDS.md');

/** Each `### Name` section of COMMANDS.md: network usage, parameters, the JS syntax line and the reply types. */
function readReference() {
  const text = fs.readFileSync(REFERENCE, 'utf8');
  const sections = text.split(/\n### /).slice(1);
  return sections.map((section) => {
    const name = section.split('\n')[0].trim();
    const network = /\*Network usage\*: (\w+)\./.exec(section)[1];
    const paramsBlock = /\*\*Parameters\*\*:\n([\s\S]*?)\n\n/.exec(section);
    const params = paramsBlock
      ? paramsBlock[1].split('\n').map((line) => {
          const m = /^- (\w+): (.+)$/.exec(line);
          return { name: m[1], type: m[2] };
        })
      : [];
    const js = /```javascript\n([\s\S]*?) \/\/ JavaScript\n```/.exec(section);
    const syntax = /\*\*Syntax\*\*:\n\n```\n(.*)\n```/.exec(section)[1];
    const responsesBlock = section
      .split(/\*\*Responses?\*\*:/)[1]
      .split('\n---')[0]
      .split('**Errors**')[0];
    const responses = [...responsesBlock.matchAll(/^- type: "(\w+)"$/gm)].map((m) => m[1]);
    return { name, network, params, js: js ? js[1] : undefined, syntax, responses };
  });
}

const reference = readReference();

// The reference's own helpers, as TYPES.md writes them.
const helpers = {
  ChatRef: {
    cmdString: (r) =>
      ({ direct: '@', group: '#', local: '*' })[r.chatType] +
      r.chatId +
      (r.chatScope ? '(_support' + (r.chatScope.groupMemberId_ ? ':' + r.chatScope.groupMemberId_ : '') + ')' : ''),
  },
  CreatedConnLink: { cmdString: (l) => l.connFullLink + (l.connShortLink ? ' ' + l.connShortLink : '') },
  ChatDeleteMode: {
    cmdString: (m) => m.type + (m.type == 'messages' ? '' : !m.notify ? ' notify=off' : ''),
  },
  PaginationByTime: { cmdString: (p) => p },
};

/** Sample values by the reference's type; `variant` flips booleans and which optional values are given. */
function sample(param, variant, index) {
  const optional = param.type.endsWith('?');
  if (optional && variant === 0) return undefined;
  const type = param.type.replace(/\?$/, '');
  const n = 10 + index * 7 + variant;
  if (type === 'int64' || type === 'int') return n;
  if (type === 'bool') return variant % 2 === 1;
  if (type === '[int64]') return variant === 2 ? [n] : [n, n + 1, n + 2];
  if (type === 'JSONObject') return { note: 'value "quoted"\nnext line', n };
  if (type === 'string') {
    if (param.name === 'viewPwd') return 'pass word';
    if (param.name === 'search' || param.name === 'filePath') return variant === 2 ? 'family photos' : 'x.txt';
    return 'https://simplex.chat/contact#/?v=2-7&smp=abc';
  }
  const ref = /\[\[?(\w+)\]/.exec(type)[1];
  switch (ref) {
    case 'ChatRef':
      return variant === 2
        ? { chatType: 'group', chatId: n, chatScope: { type: 'memberSupport', groupMemberId_: n + 1 } }
        : variant === 1
          ? { chatType: 'direct', chatId: n }
          : { chatType: 'group', chatId: n, chatScope: { type: 'memberSupport' } };
    case 'GroupMemberRole':
      return ['admin', 'relay', 'observer'][variant];
    case 'CIDeleteMode':
      return ['broadcast', 'internalMark', 'history'][variant];
    case 'ChatDeleteMode':
      return [{ type: 'full', notify: true }, { type: 'entity', notify: false }, { type: 'messages' }][variant];
    case 'CreatedConnLink':
      return variant === 1
        ? { connFullLink: 'https://simplex.chat/contact#/?v=2-7&smp=x' }
        : {
            connFullLink: 'https://simplex.chat/invitation#/?v=2-7',
            connShortLink: 'https://smp4.simplex.invalid/i#abc',
          };
    case 'PaginationByTime':
      return ['count=20', 'before=2025-01-02T03:04:05Z count=5', 'after=2025-01-02T03:04:05.123Z count=1'][variant];
    case 'ComposedMessage':
      return [{ msgContent: { type: 'text', text: 'hi "there"\n😀' }, mentions: {} }];
    case 'MsgReaction':
      return { type: 'emoji', emoji: '👍' };
    case 'PlanResolveMode':
    case 'LinkOwnerSig':
      return undefined;
    default:
      return { displayName: 'Team', fullName: '', note: ref };
  }
}

describe('SimpleX command table', () => {
  it('lists exactly the documented commands, with network usage, parameters and reply types', () => {
    assert.equal(reference.length, 59);
    assert.deepEqual(COMMANDS.map((c) => c.name).sort(), reference.map((r) => r.name).sort());
    for (const doc of reference) {
      const def = findCommand(doc.name);
      assert.equal(def.network, doc.network, `${doc.name} network`);
      assert.deepEqual(
        def.params.map((p) => p.name),
        doc.params.map((p) => p.name),
        `${doc.name} params`,
      );
      assert.deepEqual([...def.responses].sort(), [...doc.responses].sort(), `${doc.name} responses`);
      assert.equal(def.syntax, doc.syntax, `${doc.name} syntax`);
      for (const param of def.params) {
        const documented = doc.params.find((p) => p.name === param.name).type;
        assert.equal(documented.endsWith('?'), Boolean(param.optional), `${doc.name} ${param.name} optional`);
      }
    }
  });

  for (const doc of reference) {
    it(`${doc.name} builds what the reference's own syntax line builds`, () => {
      for (let variant = 0; variant < 3; variant += 1) {
        const params = {};
        doc.params.forEach((p, i) => (params[p.name] = sample(p, variant, i)));
        const expected = doc.js
          ? new Function(...doc.params.map((p) => p.name), ...Object.keys(helpers), `return ${doc.js};`)(
              ...doc.params.map((p) => params[p.name]),
              ...Object.values(helpers),
            )
          : doc.syntax;
        if (/undefined/.test(expected)) {
          // The reference marks the value optional, but its syntax has no form without it.
          assert.throws(() => buildCommand(doc.name, params), InvalidInputError, `${doc.name} variant ${variant}`);
        } else {
          assert.equal(buildCommand(doc.name, params), expected, `${doc.name} variant ${variant}`);
        }
      }
    });
  }

  it('puts no line break or control character into any command, whatever the JSON holds', () => {
    for (const doc of reference) {
      const params = {};
      doc.params.forEach((p, i) => (params[p.name] = sample(p, 1, i)));
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(buildCommand(doc.name, params), /[\u0000-\u001f]/, doc.name);
    }
  });
});

describe('SimpleX command values cannot inject arguments or commands', () => {
  const refusals = [
    ['APISendMessages', { sendRef: '@1 live=on', composedMessages: [{ msgContent: { type: 'text', text: 'x' } }] }],
    [
      'APISendMessages',
      { sendRef: '@1\n/_delete @1 full', composedMessages: [{ msgContent: { type: 'text', text: 'x' } }] },
    ],
    ['APISendMessages', { sendRef: '@1', composedMessages: { msgContent: { type: 'text', text: 'bare object' } } }],
    ['APISendMessages', { sendRef: '@1', composedMessages: [] }],
    [
      'APISendMessages',
      { sendRef: '@1', ttl: '5 sign=on', composedMessages: [{ msgContent: { type: 'text', text: 'x' } }] },
    ],
    ['APISendMessages', { sendRef: '@1', ttl: -5, composedMessages: [{ msgContent: { type: 'text', text: 'x' } }] }],
    ['APIDeleteChatItem', { chatRef: '#2', chatItemIds: ['1 broadcast'], deleteMode: 'internal' }],
    ['APIDeleteChatItem', { chatRef: '#2', chatItemIds: [1], deleteMode: 'internal\n/_stop' }],
    ['APIDeleteChatItem', { chatRef: '#2', chatItemIds: [1.5], deleteMode: 'internal' }],
    ['APIDeleteChatItem', { chatRef: '#2', chatItemIds: [-1], deleteMode: 'internal' }],
    ['APIDeleteChatItem', { chatRef: '#2', chatItemIds: [], deleteMode: 'internal' }],
    ['APIListContacts', { userId: '1 2' }],
    ['APIListContacts', { userId: '1\n/_stop' }],
    ['APIListContacts', { userId: Number.NaN }],
    ['APIListContacts', {}],
    ['APIListGroups', { userId: 1, search: 'a\n/_stop' }],
    ['APIListGroups', { userId: 1, search: ' leading' }],
    ['APIConnectPlan', { userId: 1, connectTarget: 'https://x y' }],
    ['Connect', { connTarget_: 'link\r/_stop' }],
    ['ReceiveFile', { fileId: 1, filePath: 'a\u2028b' }],
    ['APIAddMember', { groupId: 1, contactId: 2, memberRole: 'admin\n' }],
    ['APIAddMember', { groupId: 1, contactId: 2, memberRole: 'king' }],
    ['APIConnect', { userId: 1, preparedLink_: { connFullLink: 'a b' } }],
    ['APIDeleteChat', { chatRef: '@1', chatDeleteMode: 'full notify=on' }],
    ['APIGetChats', { userId: 1, pagination: 'count=5 x', query: {} }],
    ['APIUpdateProfile', { userId: 1, profile: ['not', 'an', 'object'] }],
    ['APISendServiceResponse', { userId: 1, requestId: 'a b', responseData: {} }],
    ['APISetProfileAddress', { userId: 1 }],
    ['APIChatItemReaction', { chatRef: '@1', chatItemId: 2, reaction: { type: 'emoji', emoji: '👍' } }],
  ];
  for (const [name, params] of refusals) {
    it(`${name} refuses ${JSON.stringify(params).slice(0, 90)}`, () => {
      assert.throws(() => buildCommand(name, params), InvalidInputError);
    });
  }

  it('accepts only well-formed chat references', () => {
    for (const good of ['@1', '#23', '#3(_support)', '#3(_support:7)', '*1', '@007']) {
      assert.match(chatRefString(good), /^[@#*]\d+(\(_support(:\d+)?\))?$/, good);
    }
    assert.equal(chatRefString('@007'), '@7');
    for (const bad of [
      '@',
      '1',
      '@a',
      '@1 ',
      ' @1',
      '@1(_support)',
      '#1(_support:)',
      '#1(_support:x)',
      '@1;',
      '@-1',
      '#1#2',
      '@1\n',
      '@12345678901234567890',
    ]) {
      assert.throws(() => chatRefString(bad), InvalidInputError, JSON.stringify(bad));
    }
    assert.equal(
      chatRefString({ chatType: 'group', chatId: 3, chatScope: { type: 'memberSupport', groupMemberId_: 7 } }),
      '#3(_support:7)',
    );
    assert.throws(
      () => chatRefString({ chatType: 'direct', chatId: 3, chatScope: { type: 'memberSupport' } }),
      InvalidInputError,
    );
    assert.throws(() => chatRefString({ chatType: 'direct', chatId: '3 live=on' }), InvalidInputError);
    assert.deepEqual(parseChatRef('#3(_support:7)'), {
      chatType: 'group',
      chatId: 3,
      chatScope: { type: 'memberSupport', groupMemberId_: 7 },
    });
    assert.equal(parseChatRef('@1 x'), undefined);
  });

  it('takes ids as numbers, bigints or digit strings', () => {
    assert.equal(buildCommand('APIListContacts', { userId: '42' }), '/_contacts 42');
    assert.equal(buildCommand('APIListContacts', { userId: 42n }), '/_contacts 42');
    assert.equal(
      buildCommand('APIDeleteChatItem', { chatRef: '#2', chatItemIds: '4, 5', deleteMode: 'broadcast' }),
      '/_delete item #2 4,5 broadcast',
    );
  });

  it('knows the eight reactions the CLI accepts', () => {
    assert.equal(REACTION_EMOJIS.length, 8);
    for (const emoji of REACTION_EMOJIS) assert.equal(normalizeReaction(emoji), emoji);
    assert.equal(normalizeReaction('❤️'), '❤');
    for (const bad of ['🙂', '', 'thumbs', '👍👍', undefined])
      assert.throws(() => normalizeReaction(bad), InvalidInputError);
  });
});
