'use strict';
// Chat semantics: who receives MessageReceived, permissions, listing with limit / messageId, edits, reactions,
// replies, typing signals, channel roles.
const assert = require('node:assert/strict');
const { startEmulator, DEMO_IDS, api, ok, openWs, keyOf, text, sleep } = require('./helpers');

const { bot: BOT, alice: ALICE, bob: BOB, familyGroupChat: FAMILY, homeNewsChannel: HOME_NEWS } = DEMO_IDS;

describe('emulator: messaging', function () {
  let emu;
  let key;
  let carol;
  let sockets;

  beforeEach(async function () {
    emu = await startEmulator({ port: 0 });
    carol = emu.control.createAccount({ accountName: 'Carol' });
    key = (id) => keyOf(emu, id);
    sockets = {};
    for (const id of [BOT, ALICE, BOB, carol.accountId]) sockets[id] = await openWs(emu, key(id));
  });
  afterEach(async function () {
    for (const s of Object.values(sockets)) s.close();
    await emu.close();
  });

  /** Waits a little, then returns the accountIds whose sockets got the message. */
  async function receiversOf(messageId) {
    await sleep(100);
    return Object.entries(sockets)
      .filter(([, s]) => s.messages().some((f) => f.eventBody.messageId === messageId))
      .map(([id]) => id)
      .sort();
  }

  describe('delivery', function () {
    it('delivers a p2p message to the recipient only, on every open socket', async function () {
      const second = await openWs(emu, key(ALICE));
      try {
        const data = await ok(emu, key(BOT), 'POST', '/communication/p2p/message/send', {
          body: { recipientId: ALICE, dataComponent: text('hi') },
        });
        const id = data.sentMessage.messageId;
        assert.deepEqual(await receiversOf(id), [ALICE]);
        assert.ok(
          second.messages().some((f) => f.eventBody.messageId === id),
          'second socket of Alice got it too',
        );
      } finally {
        second.close();
      }
    });

    it('delivers a group chat message to every member but the sender', async function () {
      const data = await ok(emu, key(ALICE), 'POST', '/communication/groupchat/message/send', {
        body: { groupChatId: FAMILY, dataComponent: text('hi') },
      });
      assert.deepEqual(await receiversOf(data.sentMessage.messageId), [BOT, BOB].sort());
      const frame = sockets[BOT].messages()[0];
      assert.equal(frame.eventBody.groupChatId, FAMILY);
      assert.equal(frame.eventBody.senderId, ALICE);
    });

    it('delivers a channel message to owner, editors and subscribers but the sender', async function () {
      const { createdChannel } = await ok(emu, key(BOT), 'POST', '/communication/channel/create', {
        body: { title: 'News', editorIds: [ALICE] },
      });
      await ok(emu, key(carol.accountId), 'POST', '/communication/channel/subscribe', {
        body: { channelId: createdChannel.channelId },
      });
      const data = await ok(emu, key(ALICE), 'POST', '/communication/channel/message/send', {
        body: { channelId: createdChannel.channelId, dataComponent: text('scoop') },
      });
      assert.deepEqual(await receiversOf(data.sentMessage.messageId), [BOT, carol.accountId].sort());
      assert.equal(sockets[BOT].messages()[0].eventBody.channelId, createdChannel.channelId);
    });

    it('stops delivering to an account that unsubscribed', async function () {
      // Carol only subscribes (Alice and Bob may also post to Home news, so they stay members as its editors).
      await ok(emu, key(carol.accountId), 'POST', '/communication/channel/subscribe', {
        body: { channelId: HOME_NEWS },
      });
      await ok(emu, key(carol.accountId), 'POST', '/communication/channel/unsubscribe', {
        body: { channelId: HOME_NEWS },
      });
      const data = await ok(emu, key(BOT), 'POST', '/communication/channel/message/send', {
        body: { channelId: HOME_NEWS, dataComponent: text('x') },
      });
      assert.deepEqual(await receiversOf(data.sentMessage.messageId), [ALICE, BOB].sort());
    });

    it('delivers control sendAs messages to the bot as MessageReceived', async function () {
      const message = emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('hello bot') });
      const frame = await sockets[BOT].next((f) => f.eventType === 'MessageReceived');
      assert.equal(frame.featureType, 'p2p');
      assert.equal(frame.eventBody.messageId, message.messageId);
      assert.deepEqual(frame.eventBody.dataComponent, text('hello bot'));
    });

    it('delivers replies as messages and not edits or reactions', async function () {
      const id = emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('q') }).messageId;
      const reply = await ok(emu, key(BOT), 'POST', '/communication/p2p/message/reply', {
        body: { messageId: id, dataComponent: text('a') },
      });
      await ok(emu, key(BOT), 'POST', '/communication/p2p/message/reaction/send', {
        body: { messageId: id, reaction: '👍' },
      });
      await ok(emu, key(BOT), 'POST', '/communication/p2p/message/update', {
        body: { messageId: reply.sentReply.messageId, dataComponent: text('a2') },
      });
      await sleep(100);
      assert.deepEqual(
        sockets[ALICE].messages().map((f) => f.eventBody.messageId),
        [reply.sentReply.messageId],
      );
    });
  });

  describe('p2p', function () {
    it('creates the chat implicitly and lists it for both parties', async function () {
      await ok(emu, key(BOT), 'POST', '/communication/p2p/message/send', {
        body: { recipientId: carol.accountId, dataComponent: text('hi') },
      });
      assert.deepEqual(await ok(emu, key(BOT), 'GET', '/communication/p2p'), [{ recipientId: carol.accountId }]);
      assert.deepEqual(await ok(emu, key(carol.accountId), 'GET', '/communication/p2p'), [{ recipientId: BOT }]);
      assert.deepEqual(await ok(emu, key(BOB), 'GET', '/communication/p2p'), []);
    });

    it('lists messages oldest first, honouring limit and messageId', async function () {
      const ids = [];
      for (const t of ['one', 'two', 'three']) {
        ids.push(
          (
            await ok(emu, key(BOT), 'POST', '/communication/p2p/message/send', {
              body: { recipientId: ALICE, dataComponent: text(t) },
            })
          ).sentMessage.messageId,
        );
      }
      const all = await ok(emu, key(ALICE), 'GET', '/communication/p2p/message', { query: { recipientId: BOT } });
      assert.equal(all.recipientId, BOT);
      assert.deepEqual(
        all.messages.map((m) => m.messageId),
        ids,
      );
      const last2 = await ok(emu, key(ALICE), 'GET', '/communication/p2p/message', {
        query: { recipientId: BOT, limit: 2 },
      });
      assert.deepEqual(
        last2.messages.map((m) => m.dataComponent.text),
        ['two', 'three'],
      );
      const one = await ok(emu, key(ALICE), 'GET', '/communication/p2p/message', {
        query: { recipientId: BOT, messageId: ids[0] },
      });
      assert.deepEqual(
        one.messages.map((m) => m.messageId),
        [ids[0]],
      );
      const bad = await api(emu, key(ALICE), 'GET', '/communication/p2p/message', {
        query: { recipientId: BOT, limit: 'ten' },
      });
      assert.equal(bad.status, 400);
    });

    it('refuses unknown recipients (404) and oneself (400)', async function () {
      const unknown = await api(emu, key(BOT), 'POST', '/communication/p2p/message/send', {
        body: { recipientId: 'nobody', dataComponent: text('x') },
      });
      assert.equal(unknown.status, 404);
      const self = await api(emu, key(BOT), 'POST', '/communication/p2p/message/send', {
        body: { recipientId: BOT, dataComponent: text('x') },
      });
      assert.equal(self.status, 400);
    });

    it('lets only the publisher update, and keeps the edit', async function () {
      const id = (
        await ok(emu, key(BOT), 'POST', '/communication/p2p/message/send', {
          body: { recipientId: ALICE, dataComponent: text('v1') },
        })
      ).sentMessage.messageId;
      const denied = await api(emu, key(ALICE), 'POST', '/communication/p2p/message/update', {
        body: { messageId: id, dataComponent: text('hack') },
      });
      assert.equal(denied.status, 403);
      const updated = await ok(emu, key(BOT), 'POST', '/communication/p2p/message/update', {
        body: { messageId: id, dataComponent: text('v2') },
      });
      assert.equal(updated.updatedMessage.dataComponent.text, 'v2');
      const [record] = emu.control.messages({ chat: { between: [BOT, ALICE] } });
      assert.equal(record.dataComponent.text, 'v2');
      assert.deepEqual(
        record.edits.map((e) => e.dataComponent.text),
        ['v1'],
      );
    });

    it("hides messages of other people's chats and other chat kinds (404)", async function () {
      const p2pId = emu.control.sendAs({
        from: ALICE,
        to: { recipientId: BOB },
        dataComponent: text('private'),
      }).messageId;
      const groupId = emu.control.sendAs({
        from: ALICE,
        to: { groupChatId: FAMILY },
        dataComponent: text('group'),
      }).messageId;
      const other = await api(emu, key(BOT), 'POST', '/communication/p2p/message/reaction/send', {
        body: { messageId: p2pId, reaction: '👍' },
      });
      assert.equal(other.status, 404);
      const kind = await api(emu, key(BOT), 'POST', '/communication/p2p/message/reply', {
        body: { messageId: groupId, dataComponent: text('x') },
      });
      assert.equal(kind.status, 404);
      const kind2 = await api(emu, key(ALICE), 'POST', '/communication/groupchat/message/update', {
        body: { messageId: p2pId, dataComponent: text('x') },
      });
      assert.equal(kind2.status, 404);
    });

    it('records reactions per account and removes them', async function () {
      const id = emu.control.sendAs({
        from: ALICE,
        to: { recipientId: BOT },
        dataComponent: text('react to me'),
      }).messageId;
      await ok(emu, key(BOT), 'POST', '/communication/p2p/message/reaction/send', {
        body: { messageId: id, reaction: '👍' },
      });
      await ok(emu, key(ALICE), 'POST', '/communication/p2p/message/reaction/send', {
        body: { messageId: id, reaction: '👍' },
      });
      await ok(emu, key(ALICE), 'POST', '/communication/p2p/message/reaction/send', {
        body: { messageId: id, reaction: '🎉' },
      });
      let list = await ok(emu, key(BOT), 'GET', '/communication/p2p/message', {
        query: { recipientId: ALICE, messageId: id },
      });
      assert.deepEqual(list.messages[0].messageReactions, { '👍': [BOT, ALICE], '🎉': [ALICE] });
      const removed = await ok(emu, key(ALICE), 'POST', '/communication/p2p/message/reaction/remove', {
        body: { messageId: id, reaction: '🎉' },
      });
      assert.deepEqual(removed, { messageId: id, removedReaction: '🎉' });
      list = await ok(emu, key(BOT), 'GET', '/communication/p2p/message', {
        query: { recipientId: ALICE, messageId: id },
      });
      assert.deepEqual(list.messages[0].messageReactions, { '👍': [BOT, ALICE] });
      const empty = await api(emu, key(BOT), 'POST', '/communication/p2p/message/reaction/send', {
        body: { messageId: id, reaction: '' },
      });
      assert.equal(empty.status, 400);
    });

    it('accepts only text replies and links them to the cited message', async function () {
      const id = emu.control.sendAs({
        from: ALICE,
        to: { recipientId: BOT },
        dataComponent: text('question'),
      }).messageId;
      const html = await api(emu, key(BOT), 'POST', '/communication/p2p/message/reply', {
        body: { messageId: id, dataComponent: { dataComponentType: 'html', html: '<b>x</b>' } },
      });
      assert.equal(html.status, 400);
      const data = await ok(emu, key(BOT), 'POST', '/communication/p2p/message/reply', {
        body: { messageId: id, dataComponent: { text: 'answer' } },
      });
      assert.equal(data.messageId, id);
      assert.deepEqual(data.sentReply.dataComponent, { text: 'answer', dataComponentType: 'text' });
      const reply = emu.control.messages().find((m) => m.messageId === data.sentReply.messageId);
      assert.equal(reply.replyTo, id);
    });

    it('records typing signals', async function () {
      assert.deepEqual(
        await ok(emu, key(BOT), 'POST', '/communication/p2p/signal/typing', { body: { recipientId: ALICE } }),
        {},
      );
      const [signal] = emu.control.signals();
      assert.equal(signal.featureType, 'p2p');
      assert.equal(signal.senderId, BOT);
      assert.equal(signal.recipientId, ALICE);
    });
  });

  describe('group chats', function () {
    it('creates a group with the caller and the recipients as members', async function () {
      const data = await ok(emu, key(BOT), 'POST', '/communication/groupchat/create', {
        body: { title: 'Trip', recipientIds: [ALICE] },
      });
      assert.equal(data.createdGroupChat.title, 'Trip');
      assert.deepEqual(data.createdGroupChat.recipientIds, [BOT, ALICE]);
      const aliceList = await ok(emu, key(ALICE), 'GET', '/communication/groupchat');
      assert.ok(aliceList.some((g) => g.groupChatId === data.createdGroupChat.groupChatId));
      const bobList = await ok(emu, key(BOB), 'GET', '/communication/groupchat');
      assert.ok(!bobList.some((g) => g.groupChatId === data.createdGroupChat.groupChatId));
    });

    it('filters the list by recipientIds (all must be members)', async function () {
      await ok(emu, key(BOT), 'POST', '/communication/groupchat/create', {
        body: { title: 'Bot+Alice', recipientIds: [ALICE] },
      });
      const both = await ok(emu, key(BOT), 'GET', '/communication/groupchat', {
        query: { recipientIds: `${ALICE},${BOB}` },
      });
      assert.deepEqual(
        both.map((g) => g.title),
        ['Family'],
      );
      const alice = await ok(emu, key(BOT), 'GET', '/communication/groupchat', { query: { recipientIds: ALICE } });
      assert.deepEqual(alice.map((g) => g.title).sort(), ['Bot+Alice', 'Family']);
    });

    it('refuses unknown recipients at creation (404)', async function () {
      const res = await api(emu, key(BOT), 'POST', '/communication/groupchat/create', {
        body: { title: 'x', recipientIds: ['ghost'] },
      });
      assert.equal(res.status, 404);
    });

    it('lets members invite, and invited accounts receive later messages', async function () {
      const res = await api(emu, key(carol.accountId), 'POST', '/communication/groupchat/invite', {
        body: { groupChatId: FAMILY, recipientIds: [carol.accountId] },
      });
      assert.equal(res.status, 403);
      const data = await ok(emu, key(BOT), 'POST', '/communication/groupchat/invite', {
        body: { groupChatId: FAMILY, recipientIds: [carol.accountId] },
      });
      assert.deepEqual(data, { groupChatId: FAMILY, invitedRecipientsIds: [carol.accountId] });
      const sent = await ok(emu, key(BOT), 'POST', '/communication/groupchat/message/send', {
        body: { groupChatId: FAMILY, dataComponent: text('welcome') },
      });
      assert.deepEqual(await receiversOf(sent.sentMessage.messageId), [ALICE, BOB, carol.accountId].sort());
    });

    it('lets only members send, read, react, reply and signal typing (403)', async function () {
      const id = emu.control.sendAs({ from: ALICE, to: { groupChatId: FAMILY }, dataComponent: text('hi') }).messageId;
      const c = key(carol.accountId);
      const attempts = [
        api(emu, c, 'POST', '/communication/groupchat/message/send', {
          body: { groupChatId: FAMILY, dataComponent: text('x') },
        }),
        api(emu, c, 'GET', '/communication/groupchat/message', { query: { groupChatId: FAMILY } }),
        api(emu, c, 'POST', '/communication/groupchat/message/reaction/send', {
          body: { messageId: id, reaction: '👍' },
        }),
        api(emu, c, 'POST', '/communication/groupchat/message/reply', {
          body: { messageId: id, dataComponent: { text: 'x' } },
        }),
        api(emu, c, 'POST', '/communication/groupchat/signal/typing', { body: { groupChatId: FAMILY } }),
      ];
      for (const res of await Promise.all(attempts)) assert.equal(res.status, 403, res.text);
    });

    it('answers 404 for an unknown group chat', async function () {
      const res = await api(emu, key(BOT), 'GET', '/communication/groupchat/message', {
        query: { groupChatId: 'nope' },
      });
      assert.equal(res.status, 404);
    });

    it('lists group messages with reactions and delivers replies to the other members', async function () {
      const id = emu.control.sendAs({
        from: BOB,
        to: { groupChatId: FAMILY },
        dataComponent: text('dinner?'),
      }).messageId;
      await ok(emu, key(BOT), 'POST', '/communication/groupchat/message/reaction/send', {
        body: { messageId: id, reaction: '🍕' },
      });
      const reply = await ok(emu, key(BOT), 'POST', '/communication/groupchat/message/reply', {
        body: { messageId: id, dataComponent: { text: 'yes' } },
      });
      const list = await ok(emu, key(ALICE), 'GET', '/communication/groupchat/message', {
        query: { groupChatId: FAMILY },
      });
      assert.deepEqual(
        list.messages.map((m) => m.messageId),
        [id, reply.sentReply.messageId],
      );
      assert.deepEqual(list.messages[0].messageReactions, { '🍕': [BOT] });
      assert.deepEqual(await receiversOf(reply.sentReply.messageId), [ALICE, BOB].sort());
    });
  });

  describe('channels', function () {
    it('lists my channels with my role, filtered by owner / editor / subscriber', async function () {
      const { createdChannel } = await ok(emu, key(ALICE), 'POST', '/communication/channel/create', {
        body: { title: 'Alice news', editorIds: [BOT] },
      });
      const roles = async (query) =>
        (await ok(emu, key(BOT), 'GET', '/communication/channel/my', { query }))
          .map((c) => `${c.title}:${c.role}`)
          .sort();
      assert.deepEqual(await roles({}), ['Alice news:Editor', 'Home news:Owner']);
      assert.deepEqual(await roles({ owner: 'true' }), ['Home news:Owner']);
      assert.deepEqual(await roles({ editor: 'true' }), ['Alice news:Editor']);
      assert.deepEqual(await roles({ owner: 'false' }), ['Alice news:Editor']);
      await ok(emu, key(carol.accountId), 'POST', '/communication/channel/subscribe', {
        body: { channelId: HOME_NEWS },
      });
      const carols = await ok(emu, key(carol.accountId), 'GET', '/communication/channel/my', {
        query: { subscriber: 'true' },
      });
      assert.deepEqual(
        carols.map((c) => [c.channelId, c.role]),
        [[HOME_NEWS, 'Subscriber']],
      );
      const alice = await ok(emu, key(ALICE), 'GET', '/communication/channel/my', { query: { editor: 'true' } });
      assert.deepEqual(
        alice.map((c) => [c.channelId, c.role]),
        [[HOME_NEWS, 'Editor']],
      );
      assert.equal(createdChannel.role, 'Owner');
      assert.deepEqual(createdChannel.editors, [BOT]);
    });

    it('requires at least one search parameter (400) and filters by each', async function () {
      const none = await api(emu, key(BOT), 'GET', '/communication/channel');
      assert.equal(none.status, 400);
      const byOwner = await ok(emu, key(ALICE), 'GET', '/communication/channel', { query: { ownerId: BOT } });
      assert.deepEqual(
        byOwner.map((c) => [c.channelId, c.role]),
        [[HOME_NEWS, 'Editor']],
      );
      const byTitle = await ok(emu, key(carol.accountId), 'GET', '/communication/channel', {
        query: { title: 'Home news' },
      });
      assert.equal(byTitle[0].role, null, 'no role on a channel found by search');
      assert.deepEqual(await ok(emu, key(BOT), 'GET', '/communication/channel', { query: { channelId: 'nope' } }), []);
    });

    it('hides invisible channels from everyone but owner and editors', async function () {
      const { createdChannel } = await ok(emu, key(BOT), 'POST', '/communication/channel/create', {
        body: { title: 'Secret', visible: false },
      });
      assert.deepEqual(await ok(emu, key(ALICE), 'GET', '/communication/channel', { query: { title: 'Secret' } }), []);
      const sub = await api(emu, key(ALICE), 'POST', '/communication/channel/subscribe', {
        body: { channelId: createdChannel.channelId },
      });
      assert.equal(sub.status, 404);
    });

    it('lets only owner and editors publish (403 for subscribers)', async function () {
      const c = carol.accountId;
      await ok(emu, key(c), 'POST', '/communication/channel/subscribe', { body: { channelId: HOME_NEWS } });
      const res = await api(emu, key(c), 'POST', '/communication/channel/message/send', {
        body: { channelId: HOME_NEWS, dataComponent: text('x') },
      });
      assert.equal(res.status, 403);
      assert.throws(
        () => emu.control.sendAs({ from: c, to: { channelId: HOME_NEWS }, dataComponent: text('x') }),
        /cannot publish/,
      );
      // Alice is one of the demo channel's editors.
      await ok(emu, key(ALICE), 'POST', '/communication/channel/message/send', {
        body: { channelId: HOME_NEWS, dataComponent: text('from Alice') },
      });
    });

    it('subscribes and unsubscribes', async function () {
      const c = key(carol.accountId);
      assert.deepEqual(
        await ok(emu, c, 'POST', '/communication/channel/subscribe', { body: { channelId: HOME_NEWS } }),
        { channelId: HOME_NEWS, subscribed: true },
      );
      assert.deepEqual(
        (await ok(emu, c, 'GET', '/communication/channel/my')).map((x) => x.role),
        ['Subscriber'],
      );
      assert.deepEqual(
        await ok(emu, c, 'POST', '/communication/channel/unsubscribe', { body: { channelId: HOME_NEWS } }),
        { channelId: HOME_NEWS, subscribed: false },
      );
      assert.deepEqual(await ok(emu, c, 'GET', '/communication/channel/my'), []);
      const unknown = await api(emu, c, 'POST', '/communication/channel/subscribe', { body: { channelId: 'nope' } });
      assert.equal(unknown.status, 404);
    });

    it('lists channel messages, lets only the publisher update them', async function () {
      const sent = await ok(emu, key(BOT), 'POST', '/communication/channel/message/send', {
        body: { channelId: HOME_NEWS, dataComponent: text('v1') },
      });
      const id = sent.sentMessage.messageId;
      const denied = await api(emu, key(ALICE), 'POST', '/communication/channel/message/update', {
        body: { messageId: id, dataComponent: text('x') },
      });
      assert.equal(denied.status, 403);
      await ok(emu, key(BOT), 'POST', '/communication/channel/message/update', {
        body: { messageId: id, dataComponent: text('v2') },
      });
      const list = await ok(emu, key(ALICE), 'GET', '/communication/channel/message', {
        query: { channelId: HOME_NEWS },
      });
      assert.equal(list.channelId, HOME_NEWS);
      assert.deepEqual(
        list.messages.map((m) => m.dataComponent.text),
        ['v2'],
      );
      const missing = await api(emu, key(ALICE), 'GET', '/communication/channel/message');
      assert.equal(missing.status, 400);
    });
  });
});
