'use strict';
// A seeded generator of hostile WebSocket frames: real reply and event shapes in every dialect, then mutated (fields
// dropped or given wrong types, values swapped for huge or odd ones), plus truncated JSON and random text.

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TS = '2025-06-01T10:00:00Z';
const profile = { profileId: 1, displayName: 'Alice', fullName: '', localAlias: '' };
const contact = { contactId: 12, localDisplayName: 'alice', profile, contactStatus: 'active' };
const member = {
  groupMemberId: 7,
  groupId: 3,
  memberId: 'bQ==',
  memberRole: 'member',
  memberStatus: 'connected',
  localDisplayName: 'bob',
  memberProfile: profile,
};
const groupInfo = {
  groupId: 3,
  localDisplayName: 'g',
  groupProfile: { displayName: 'G', fullName: '' },
  membership: member,
};

function chatItem(pick) {
  const group = pick() < 0.5;
  return {
    chatInfo: group
      ? {
          type: 'group',
          groupInfo,
          groupChatScope: pick() < 0.3 ? { type: 'memberSupport', groupMember_: member } : undefined,
        }
      : { type: 'direct', contact },
    chatItem: {
      chatDir: group ? { type: 'groupRcv', groupMember: member } : { type: 'directRcv' },
      meta: {
        itemId: Math.floor(pick() * 1000),
        itemTs: TS,
        itemText: 'x',
        itemStatus: { type: 'rcvNew' },
        itemEdited: false,
        userMention: pick() < 0.5,
      },
      content: { type: 'rcvMsgContent', msgContent: { type: 'text', text: pick() < 0.3 ? '/cmd arg' : 'hello' } },
      mentions:
        pick() < 0.3
          ? { bob: { memberId: 'bQ==', memberRef: { groupMemberId: 7, displayName: 'Bob', memberRole: 'member' } } }
          : {},
      quotedItem: pick() < 0.3 ? { itemId: 3, sentAt: TS, content: { type: 'text', text: 'q' } } : undefined,
      reactions: [],
      file:
        pick() < 0.3
          ? { fileId: 5, fileName: 'a.txt', fileSize: 3, fileStatus: { type: 'rcvInvitation' }, fileProtocol: 'xftp' }
          : undefined,
    },
  };
}

const ODD = [null, true, 0, -1, 1e308, '', 'x'.repeat(200), [], {}, [null], { type: 7 }, '\u0000', '😀', NaN];

function mutate(value, pick, depth = 0) {
  if (depth > 6 || value === null || typeof value !== 'object') {
    return pick() < 0.15 ? ODD[Math.floor(pick() * ODD.length)] : value;
  }
  if (Array.isArray(value)) return value.map((v) => mutate(v, pick, depth + 1));
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    const r = pick();
    if (r < 0.05) continue; // dropped
    if (r < 0.1) out[key] = ODD[Math.floor(pick() * ODD.length)];
    else out[key] = mutate(v, pick, depth + 1);
  }
  if (pick() < 0.1) out[`extra${Math.floor(pick() * 10)}`] = { nested: [1, 'two'] };
  return out;
}

function base(pick) {
  const items = Array.from({ length: 1 + Math.floor(pick() * 3) }, () => chatItem(pick));
  const resp = [
    { type: 'newChatItems', user: { userId: 1 }, chatItems: items },
    { type: 'newChatItem', user: { userId: 1 }, chatItem: items[0] },
    { type: 'chatItemUpdated', chatItem: items[0] },
    { type: 'rcvFileComplete', chatItem: items[0] },
    { type: 'contactConnected', contact },
    {
      type: 'chatCmdError',
      chatError: { type: 'error', errorType: { type: 'commandError', message: 'Failed reading: empty' } },
    },
    { type: 'unknownThing', whatever: [1, 2, 3] },
  ][Math.floor(pick() * 7)];
  const wrapped = [() => resp, () => ({ Right: resp }), () => ({ Left: resp.chatError ?? { type: 'error' } })][
    Math.floor(pick() * 3)
  ]();
  const frame =
    pick() < 0.1 ? (pick() < 0.5 ? { result: resp } : { error: { type: 'errorStore' } }) : { resp: wrapped };
  if (pick() < 0.5) frame.corrId = pick() < 0.9 ? `c-${Math.floor(pick() * 50)}` : Math.floor(pick() * 50);
  return frame;
}

/** `count` frames, the same for the same seed. */
function fuzzFrames(count, seed) {
  const pick = rng(seed);
  const frames = [];
  for (let i = 0; i < count; i += 1) {
    const r = pick();
    if (r < 0.45) frames.push(JSON.stringify(base(pick)));
    else if (r < 0.8) frames.push(JSON.stringify(mutate(base(pick), pick)));
    else if (r < 0.9) {
      const text = JSON.stringify(base(pick));
      frames.push(text.slice(0, Math.floor(pick() * text.length)));
    } else {
      const length = Math.floor(pick() * 60);
      frames.push(Array.from({ length }, () => String.fromCharCode(Math.floor(pick() * 0x2ff))).join(''));
    }
  }
  return frames;
}

module.exports = { fuzzFrames, rng };
