'use strict';
// The decoder on frames written by hand from TYPES.md / EVENTS.md, in every wire dialect the CLI has used.
const assert = require('node:assert/strict');
const {
  decodeFrame,
  toInboundItem,
  chatItemsOf,
  parseBotCommand,
  splitText,
  checkMessageSize,
  MAX_MESSAGE_BYTES,
  InvalidInputError,
} = require('../../dist/simplex');

const TS = '2025-06-01T10:00:00Z';
const profile = (displayName) => ({ profileId: 9, displayName, fullName: '', localAlias: '' });
const contact = { contactId: 12, localDisplayName: 'alice', profile: profile('Alice'), contactStatus: 'active' };
const member = {
  groupMemberId: 7,
  groupId: 3,
  memberId: 'bWVtYmVy',
  memberRole: 'member',
  memberStatus: 'connected',
  localDisplayName: 'bob_1',
  memberProfile: profile('Bob'),
  memberContactId: 14,
};
const groupInfo = {
  groupId: 3,
  localDisplayName: 'family',
  groupProfile: { displayName: 'Family', fullName: '' },
  membership: { ...member, groupMemberId: 1 },
};
const meta = (itemId, extra = {}) => ({
  itemId,
  itemTs: TS,
  itemText: 'hello',
  itemStatus: { type: 'rcvNew' },
  itemEdited: false,
  userMention: false,
  deletable: true,
  editable: false,
  showGroupAsSender: false,
  createdAt: TS,
  updatedAt: TS,
  ...extra,
});
const textItem = (text, itemId = 101) => ({
  chatInfo: { type: 'direct', contact },
  chatItem: {
    chatDir: { type: 'directRcv' },
    meta: meta(itemId, { itemText: text }),
    content: { type: 'rcvMsgContent', msgContent: { type: 'text', text } },
    mentions: {},
    reactions: [],
  },
});
const user = { userId: 1, localDisplayName: 'bot', profile: profile('HomeBot'), activeUser: true };

describe('SimpleX frame decoder', () => {
  it('reads a flat reply and a flat event', () => {
    assert.deepEqual(decodeFrame(JSON.stringify({ corrId: 'a-1', resp: { type: 'activeUser', user } })), {
      kind: 'reply',
      corrId: 'a-1',
      resp: { type: 'activeUser', user },
    });
    const event = decodeFrame(JSON.stringify({ resp: { type: 'newChatItems', user, chatItems: [textItem('hi')] } }));
    assert.equal(event.kind, 'event');
    assert.equal(event.resp.type, 'newChatItems');
  });

  it('reads the 6.4 Right/Left dialect as replies, errors and events', () => {
    const right = decodeFrame(JSON.stringify({ corrId: '2', resp: { Right: { type: 'cmdOk', user_: user } } }));
    assert.deepEqual(right, { kind: 'reply', corrId: '2', resp: { type: 'cmdOk', user_: user } });
    const chatError = { type: 'error', errorType: { type: 'noActiveUser' } };
    const left = decodeFrame(JSON.stringify({ corrId: '3', resp: { Left: chatError } }));
    assert.deepEqual(left, { kind: 'reply', corrId: '3', resp: { type: 'chatCmdError', chatError } });
    const eventRight = decodeFrame(JSON.stringify({ resp: { Right: { type: 'contactConnected', user, contact } } }));
    assert.equal(eventRight.kind, 'event');
    assert.equal(eventRight.resp.contact.contactId, 12);
    const eventLeft = decodeFrame(JSON.stringify({ resp: { Left: chatError } }));
    assert.deepEqual(eventLeft, { kind: 'event', resp: { type: 'chatError', chatError } });
  });

  it('reads the library dialect ({result} / {error})', () => {
    assert.deepEqual(decodeFrame(JSON.stringify({ corrId: '4', result: { type: 'cmdOk' } })), {
      kind: 'reply',
      corrId: '4',
      resp: { type: 'cmdOk' },
    });
    const err = decodeFrame(
      JSON.stringify({ corrId: '5', error: { type: 'errorStore', storeError: { type: 'largeMsg' } } }),
    );
    assert.equal(err.resp.type, 'chatCmdError');
    assert.equal(err.resp.chatError.storeError.type, 'largeMsg');
  });

  it('turns the legacy singular newChatItem into newChatItems', () => {
    const legacy = decodeFrame(JSON.stringify({ resp: { type: 'newChatItem', user, chatItem: textItem('old') } }));
    assert.equal(legacy.kind, 'event');
    assert.equal(legacy.resp.type, 'newChatItems');
    assert.equal(legacy.resp.chatItem, undefined);
    assert.equal(chatItemsOf(legacy.resp).length, 1);
    assert.equal(toInboundItem(chatItemsOf(legacy.resp)[0]).text, 'old');
  });

  it('treats a command error without corrId as a protocol error, not an event', () => {
    const frame = {
      resp: {
        type: 'chatCmdError',
        chatError: { type: 'error', errorType: { type: 'commandError', message: 'invalid request' } },
      },
    };
    assert.equal(decodeFrame(JSON.stringify(frame)).kind, 'protocolError');
  });

  it('keeps unknown tags and extra fields, and reports garbage as malformed', () => {
    const unknown = decodeFrame(
      JSON.stringify({ resp: { type: 'somethingNew', extra: [1, 2], nested: { a: 1 } }, more: true }),
    );
    assert.deepEqual(unknown, { kind: 'event', resp: { type: 'somethingNew', extra: [1, 2], nested: { a: 1 } } });
    for (const text of [
      '',
      'not json',
      '[]',
      '42',
      'null',
      '{}',
      '{"resp":{}}',
      '{"resp":{"type":7}}',
      '{"resp":"x"}',
      '{"corrId":"1"}',
    ]) {
      assert.equal(decodeFrame(text).kind, 'malformed', text);
    }
    assert.equal(decodeFrame('{"corrId":7,"resp":{"type":"cmdOk"}}').corrId, '7');
  });
});

describe('SimpleX chat items as inbound objects', () => {
  it('gives chat, sender, text and command for a direct message', () => {
    const item = toInboundItem(textItem('/lights on  now'));
    assert.equal(item.chatRef, '@12');
    assert.equal(item.chatType, 'direct');
    assert.equal(item.contactId, 12);
    assert.equal(item.chatItemId, 101);
    assert.equal(item.direction, 'rcv');
    assert.equal(item.isMessage, true);
    assert.equal(item.contentType, 'text');
    assert.equal(item.text, '/lights on  now');
    assert.deepEqual(item.sender, { contactId: 12, displayName: 'Alice', localDisplayName: 'alice' });
    assert.deepEqual(item.command, { keyword: 'lights', params: 'on  now' });
    assert.equal(item.itemTs, TS);
  });

  it('gives every field of a direct text in one object of its own, the chat first', () => {
    const aci = textItem('hi there', 102);
    const item = toInboundItem(aci);
    assert.deepStrictEqual(item, {
      chatRef: '@12',
      chatType: 'direct',
      contactId: 12,
      chatItemId: 102,
      itemTs: TS,
      direction: 'rcv',
      contentTag: 'rcvMsgContent',
      isMessage: true,
      contentType: 'text',
      text: 'hi there',
      content: { type: 'text', text: 'hi there' },
      mentions: {},
      mentionedMe: false,
      edited: false,
      live: false,
      forwarded: false,
      raw: aci,
      sender: { contactId: 12, displayName: 'Alice', localDisplayName: 'alice' },
    });
    assert.deepEqual(Object.keys(item).slice(0, 4), ['chatRef', 'chatType', 'contactId', 'chatItemId']);
    const again = toInboundItem(aci);
    assert.notEqual(again, item);
    again.chatRef = '@99';
    assert.equal(item.chatRef, '@12', 'two items share nothing they could change in each other');
  });

  it('gives the member, scope, quote, mentions and file of a group item', () => {
    const aci = {
      chatInfo: { type: 'group', groupInfo, groupChatScope: { type: 'memberSupport', groupMember_: member } },
      chatItem: {
        chatDir: { type: 'groupRcv', groupMember: member },
        meta: meta(202, { userMention: true, itemEdited: true, itemTimed: { ttl: 60 } }),
        content: { type: 'rcvMsgContent', msgContent: { type: 'file', text: 'the report' } },
        mentions: {
          bot: { memberId: 'Ym90', memberRef: { groupMemberId: 1, displayName: 'HomeBot', memberRole: 'admin' } },
        },
        quotedItem: {
          chatDir: { type: 'groupSnd' },
          itemId: 150,
          sentAt: TS,
          content: { type: 'text', text: 'send it' },
        },
        reactions: [],
        file: {
          fileId: 31,
          fileName: 'report.pdf',
          fileSize: 2048,
          fileStatus: { type: 'rcvInvitation' },
          fileProtocol: 'xftp',
        },
      },
    };
    const item = toInboundItem(aci);
    assert.equal(item.chatRef, '#3(_support:7)');
    assert.equal(item.groupId, 3);
    assert.equal(item.groupName, 'Family');
    assert.deepEqual(item.sender, {
      groupMemberId: 7,
      memberId: 'bWVtYmVy',
      displayName: 'Bob',
      localDisplayName: 'bob_1',
      memberRole: 'member',
      contactId: 14,
    });
    assert.equal(item.contentType, 'file');
    assert.equal(item.text, 'the report');
    assert.deepEqual(item.file, { fileId: 31, fileName: 'report.pdf', fileSize: 2048, status: 'rcvInvitation' });
    assert.deepEqual(item.quoted, {
      itemId: 150,
      text: 'send it',
      content: { type: 'text', text: 'send it' },
      sentAt: TS,
      direction: 'groupSnd',
    });
    assert.deepEqual(item.mentions, { bot: { memberId: 'Ym90', groupMemberId: 1, displayName: 'HomeBot' } });
    assert.equal(item.mentionedMe, true);
    assert.equal(item.edited, true);
    assert.equal(item.ttl, 60);
    assert.equal(item.raw, aci);
  });

  it('marks service items and the bot own items', () => {
    const service = toInboundItem({
      chatInfo: { type: 'direct', contact },
      chatItem: {
        chatDir: { type: 'directRcv' },
        meta: meta(5, { itemText: 'e2e encrypted' }),
        content: { type: 'rcvDirectE2EEInfo', e2eeInfo: {} },
        mentions: {},
        reactions: [],
      },
    });
    assert.equal(service.isMessage, false);
    assert.equal(service.contentType, 'rcvDirectE2EEInfo');
    assert.equal(service.text, '');
    assert.equal(service.command, undefined);
    const own = toInboundItem({
      chatInfo: { type: 'group', groupInfo },
      chatItem: {
        chatDir: { type: 'groupSnd' },
        meta: meta(6),
        content: { type: 'sndMsgContent', msgContent: { type: 'text', text: 'welcome' } },
        mentions: {},
        reactions: [],
      },
    });
    assert.equal(own.direction, 'snd');
    assert.equal(own.sender, undefined);
    assert.equal(own.chatRef, '#3');
  });

  it('reads the file path of both the current and the older record shape', () => {
    const withPath = (file) => ({ ...textItem('f'), chatItem: { ...textItem('f').chatItem, file } });
    const current = toInboundItem(
      withPath({
        fileId: 1,
        fileName: 'a',
        fileSize: 1,
        fileSource: { filePath: 'a.txt' },
        fileStatus: { type: 'rcvComplete' },
        fileProtocol: 'xftp',
      }),
    );
    assert.equal(current.file.filePath, 'a.txt');
    const older = toInboundItem(
      withPath({ fileId: 1, fileName: 'a', fileSize: 1, filePath: '/x/a.txt', fileStatus: { type: 'rcvComplete' } }),
    );
    assert.equal(older.file.filePath, '/x/a.txt');
  });

  it('returns nothing for records without a chat or an id, and never throws', () => {
    for (const bad of [
      undefined,
      null,
      1,
      'x',
      [],
      {},
      { chatInfo: {} },
      { chatInfo: { type: 'direct' }, chatItem: { meta: { itemId: 1 } } },
      { chatInfo: { type: 'direct', contact }, chatItem: {} },
      { chatInfo: { type: 'weird' }, chatItem: { meta: { itemId: 1 } } },
    ]) {
      assert.equal(toInboundItem(bad), undefined);
    }
  });

  it('parses bot commands as the official libraries do', () => {
    assert.deepEqual(parseBotCommand('/help'), { keyword: 'help', params: '' });
    assert.deepEqual(parseBotCommand('  /set  temp 21 \n'), { keyword: 'set', params: 'temp 21' });
    for (const text of ['help', '/', '/ x', '//x', 'a /b']) assert.equal(parseBotCommand(text), undefined, text);
  });
});

describe('SimpleX message size', () => {
  it('refuses content that cannot fit the CLI limit before sending', () => {
    checkMessageSize({ msgContent: { type: 'text', text: 'x'.repeat(15_000) } });
    assert.throws(
      () => checkMessageSize({ msgContent: { type: 'text', text: 'x'.repeat(MAX_MESSAGE_BYTES) } }),
      InvalidInputError,
    );
    assert.throws(() => checkMessageSize({ msgContent: { type: 'text', text: '😀'.repeat(4000) } }), /too large/);
  });

  it('splits long text on line ends into parts that each fit, losing nothing', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i} 😀 "quoted"`);
    const text = lines.join('\n');
    const parts = splitText(text, 5000);
    assert.ok(parts.length > 1);
    assert.equal(parts.join(''), text);
    for (const part of parts) assert.ok(Buffer.byteLength(JSON.stringify(part)) - 2 <= 5000);
    for (const part of parts.slice(0, -1)) assert.ok(part.endsWith('\n'));
    const unbroken = '😀'.repeat(3000);
    const pieces = splitText(unbroken, 1000);
    assert.equal(pieces.join(''), unbroken);
    assert.deepEqual(splitText('short'), ['short']);
  });
});
