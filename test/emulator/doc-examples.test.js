'use strict';
// The emulator against the documentation's JSON examples (test/fixtures/api-doc-examples.json): every documented
// request example is accepted, and every answer has each documented field with the documented JSON type.
// Endpoints with a WebSocket section are exercised over REST and over WebSocket.
const assert = require('node:assert/strict');
const { ROUTES } = require('../../dist/emulator');
const { startEmulator, DEMO_IDS, docs, ok, openWs, shapeErrors, fill, text } = require('./helpers');

const { bot: BOT, alice: ALICE, bob: BOB, familyGroupChat: FAMILY, homeNewsChannel: HOME_NEWS } = DEMO_IDS;

describe('emulator vs documented JSON examples', function () {
  let emu;
  let keys;
  let carol;
  const wsClients = new Map();

  before(async function () {
    emu = await startEmulator({ port: 0 });
    carol = emu.control.createAccount({ accountName: 'Carol', contactIds: [BOT] });
    keys = Object.fromEntries(emu.accounts.map((a) => [a.accountId, a.apiKey]));
  });
  after(async function () {
    for (const c of wsClients.values()) c.close();
    await emu.close();
  });

  /** A transport-independent caller: (method, path, {query, body}) -> data, as `accountId`. */
  function caller(transport, accountId = BOT) {
    const key = keys[accountId];
    if (transport === 'rest') return (method, path, options) => ok(emu, key, method, path, options);
    return async (_method, path, { query, body } = {}) => {
      if (!wsClients.has(key)) wsClients.set(key, await openWs(emu, key));
      const frame = await wsClients.get(key).request(path, { parameters: query, body });
      if (frame.eventBody.success !== true) throw new Error(`${path} over WebSocket failed: ${frame.eventBody.error}`);
      return frame.eventBody.data;
    };
  }

  const ep = (name) => docs.endpoints[name];
  const aliceSaysToBot = () =>
    emu.control.sendAs({ from: ALICE, to: { recipientId: BOT }, dataComponent: text('hi bot') }).messageId;
  const aliceSaysInFamily = () =>
    emu.control.sendAs({ from: ALICE, to: { groupChatId: FAMILY }, dataComponent: text('hi all') }).messageId;

  async function newChannel(call) {
    const { createdChannel } = await call('POST', '/communication/channel/create', {
      body: fill(ep('POST /communication/channel/create').request, { accountId1: ALICE, accountId2: BOB }),
    });
    return createdChannel.channelId;
  }

  async function newPostBucket(call) {
    const data = await call('POST', '/account/feed/post/add', { body: ep('POST /account/feed/post/add').request });
    return data.addedPost.dataComponent.bucketId;
  }

  /** One scenario per documented endpoint: prepare state, send the documented request, return `data`. */
  const scenarios = {
    'GET /apikey/~validate': (call) => call('GET', '/apikey/~validate'),
    'POST /apikey': (call) => call('POST', '/apikey', { body: ep('POST /apikey').request }),
    'DELETE /apikey/{key_id}': async (call) => {
      const created = await call('POST', '/apikey', { body: ep('POST /apikey').request });
      return call('DELETE', `/apikey/${created.id}`);
    },
    'GET /account/my': async (call) => {
      if (!emu.accounts.some((a) => a.accountName === 'Bot subaccount')) {
        emu.control.createAccount({ accountName: 'Bot subaccount', parentAccountId: BOT });
      }
      const data = await call('GET', '/account/my', { query: ep('GET /account/my').params });
      assert.ok(data.subAccounts.length > 0, 'the subaccount is listed');
      return data;
    },
    'GET /account/profile': async (call) => {
      await call('POST', '/account/profile/update', { body: ep('POST /account/profile/update').request });
      return call('GET', '/account/profile', { query: { accountId: BOT } });
    },
    'POST /account/profile/update': (call) =>
      call('POST', '/account/profile/update', { body: ep('POST /account/profile/update').request }),
    'GET /account/feed': async (call) => {
      await call('POST', '/account/profile/update', { body: ep('POST /account/profile/update').request });
      await newPostBucket(call);
      return call('GET', '/account/feed', { query: { accountId: BOT, limit: 10 } });
    },
    'POST /account/feed/post/add': (call) =>
      call('POST', '/account/feed/post/add', { body: ep('POST /account/feed/post/add').request }),
    'POST /account/feed/post/update': async (call) => {
      const bucketId = await newPostBucket(call);
      return call('POST', '/account/feed/post/update', {
        body: fill(ep('POST /account/feed/post/update').request, { bucketIdToUpdate: bucketId }),
      });
    },
    'GET /account/contacts': (call) => call('GET', '/account/contacts'),

    'GET /communication/p2p': (call) => {
      aliceSaysToBot();
      return call('GET', '/communication/p2p');
    },
    'GET /communication/p2p/message': async (call) => {
      const messageId = aliceSaysToBot();
      await call('POST', '/communication/p2p/message/reaction/send', { body: { messageId, reaction: '👍' } });
      const params = fill(ep('GET /communication/p2p/message').params, { recipientId: ALICE, messageId });
      const data = await call('GET', '/communication/p2p/message', { query: params });
      assert.equal(data.messages.length, 1, 'messageId selects one message');
      return data;
    },
    'POST /communication/p2p/message/send': (call) =>
      call('POST', '/communication/p2p/message/send', {
        body: fill(ep('POST /communication/p2p/message/send').request, { recipientAccountId: ALICE }),
      }),
    'POST /communication/p2p/message/update': async (call) => {
      const sent = await call('POST', '/communication/p2p/message/send', {
        body: { recipientId: ALICE, dataComponent: text('draft') },
      });
      return call('POST', '/communication/p2p/message/update', {
        body: fill(ep('POST /communication/p2p/message/update').request, {
          messageToUpdate: sent.sentMessage.messageId,
        }),
      });
    },
    'POST /communication/p2p/message/reaction/send': (call) =>
      call('POST', '/communication/p2p/message/reaction/send', {
        body: fill(ep('POST /communication/p2p/message/reaction/send').request, { messageToReactTo: aliceSaysToBot() }),
      }),
    'POST /communication/p2p/message/reaction/remove': (call) =>
      call('POST', '/communication/p2p/message/reaction/remove', {
        body: fill(ep('POST /communication/p2p/message/reaction/remove').request, {
          uniqueMessageId: aliceSaysToBot(),
        }),
      }),
    'POST /communication/p2p/message/reply': (call) =>
      call('POST', '/communication/p2p/message/reply', {
        body: fill(ep('POST /communication/p2p/message/reply').request, { messageToReplyTo: aliceSaysToBot() }),
      }),
    'POST /communication/p2p/signal/typing': (call) =>
      call('POST', '/communication/p2p/signal/typing', {
        body: fill(ep('POST /communication/p2p/signal/typing').request, { recipientAccountId: ALICE }),
      }),

    'GET /communication/groupchat': async (call) => {
      const data = await call('GET', '/communication/groupchat', {
        query: fill(ep('GET /communication/groupchat').params, { 'recipientId1,recipientId2': `${ALICE},${BOB}` }),
      });
      assert.ok(
        data.some((g) => g.groupChatId === FAMILY),
        'Family matches the recipientIds filter',
      );
      return data;
    },
    'POST /communication/groupchat/create': (call) =>
      call('POST', '/communication/groupchat/create', {
        body: fill(ep('POST /communication/groupchat/create').request, {
          recipientId1: ALICE,
          recipientId2: BOB,
          recipientId3: carol.accountId,
        }),
      }),
    'GET /communication/groupchat/message': async (call) => {
      const messageId = aliceSaysInFamily();
      await call('POST', '/communication/groupchat/message/reaction/send', { body: { messageId, reaction: '❤️' } });
      const params = fill(ep('GET /communication/groupchat/message').params, { myGroupChatId: FAMILY, messageId });
      return call('GET', '/communication/groupchat/message', { query: params });
    },
    'POST /communication/groupchat/invite': async (call) => {
      const { createdGroupChat } = await call('POST', '/communication/groupchat/create', {
        body: { title: 'Small', recipientIds: [] },
      });
      return call('POST', '/communication/groupchat/invite', {
        body: fill(ep('POST /communication/groupchat/invite').request, {
          myGroupChatId: createdGroupChat.groupChatId,
          recipientId1: ALICE,
          recipientId2: BOB,
        }),
      });
    },
    'POST /communication/groupchat/message/send': (call) =>
      call('POST', '/communication/groupchat/message/send', {
        body: fill(ep('POST /communication/groupchat/message/send').request, { myGroupChatId: FAMILY }),
      }),
    'POST /communication/groupchat/message/update': async (call) => {
      const sent = await call('POST', '/communication/groupchat/message/send', {
        body: { groupChatId: FAMILY, dataComponent: text('draft') },
      });
      return call('POST', '/communication/groupchat/message/update', {
        body: fill(ep('POST /communication/groupchat/message/update').request, {
          messageToUpdate: sent.sentMessage.messageId,
        }),
      });
    },
    'POST /communication/groupchat/message/reaction/send': (call) =>
      call('POST', '/communication/groupchat/message/reaction/send', {
        body: fill(ep('POST /communication/groupchat/message/reaction/send').request, {
          messageToReactTo: aliceSaysInFamily(),
        }),
      }),
    'POST /communication/groupchat/message/reaction/remove': (call) =>
      call('POST', '/communication/groupchat/message/reaction/remove', {
        body: fill(ep('POST /communication/groupchat/message/reaction/remove').request, {
          messageToCancelReactionFrom: aliceSaysInFamily(),
        }),
      }),
    'POST /communication/groupchat/message/reply': (call) =>
      call('POST', '/communication/groupchat/message/reply', {
        body: fill(ep('POST /communication/groupchat/message/reply').request, {
          messageToReplyTo: aliceSaysInFamily(),
        }),
      }),
    'POST /communication/groupchat/signal/typing': (call) =>
      call('POST', '/communication/groupchat/signal/typing', {
        body: fill(ep('POST /communication/groupchat/signal/typing').request, { myGroupChatId: FAMILY }),
      }),

    'GET /communication/channel/my': async (call) => {
      await newChannel(call);
      return call('GET', '/communication/channel/my', { query: ep('GET /communication/channel/my').params });
    },
    'GET /communication/channel': async (call) => {
      const channelId = await newChannel(call);
      const params = fill(ep('GET /communication/channel').params, {
        ownerId: BOT,
        editorId: ALICE,
        channelId,
        channelTitle: 'Channel Title',
      });
      const data = await call('GET', '/communication/channel', { query: params });
      assert.deepEqual(
        data.map((c) => c.channelId),
        [channelId],
      );
      return data;
    },
    'POST /communication/channel/create': (call) =>
      call('POST', '/communication/channel/create', {
        body: fill(ep('POST /communication/channel/create').request, { accountId1: ALICE, accountId2: BOB }),
      }),
    'GET /communication/channel/message': async (call) => {
      const channelId = await newChannel(call);
      const sent = await call('POST', '/communication/channel/message/send', {
        body: { channelId, dataComponent: text('news') },
      });
      const params = fill(ep('GET /communication/channel/message').params, {
        channelId,
        messageId: sent.sentMessage.messageId,
      });
      const data = await call('GET', '/communication/channel/message', { query: params });
      // The documentation leaves the channel message list empty; its elements are the p2p list's elements.
      assert.deepEqual(shapeErrors(data.messages, ep('GET /communication/p2p/message').response.messages), []);
      assert.equal(data.messages.length, 1);
      return data;
    },
    'POST /communication/channel/message/send': async (call) =>
      call('POST', '/communication/channel/message/send', {
        body: fill(ep('POST /communication/channel/message/send').request, { myChannelId: await newChannel(call) }),
      }),
    'POST /communication/channel/message/update': async (call) => {
      const sent = await call('POST', '/communication/channel/message/send', {
        body: { channelId: HOME_NEWS, dataComponent: text('draft') },
      });
      return call('POST', '/communication/channel/message/update', {
        body: fill(ep('POST /communication/channel/message/update').request, {
          messageToUpdate: sent.sentMessage.messageId,
        }),
      });
    },
    'POST /communication/channel/subscribe': (_call, transport) =>
      caller(transport, carol.accountId)('POST', '/communication/channel/subscribe', {
        body: fill(ep('POST /communication/channel/subscribe').request, { myChannelId: HOME_NEWS }),
      }),
    'POST /communication/channel/unsubscribe': (_call, transport) =>
      caller(transport, carol.accountId)('POST', '/communication/channel/unsubscribe', {
        body: fill(ep('POST /communication/channel/unsubscribe').request, { myChannelId: HOME_NEWS }),
      }),

    'POST /communication/bucket': async (call) => {
      const bucketId = await newPostBucket(caller('rest'));
      return call('POST', '/communication/bucket', { query: { bucketId } });
    },
    'POST /communication/bucket/update': async (call) => {
      const bucketId = await newPostBucket(caller('rest'));
      return call('POST', '/communication/bucket/update', {
        body: fill(ep('POST /communication/bucket/update').request, { bucketIdToUpdate: bucketId }),
      });
    },
    'POST /communication/bucket/like': async (call) =>
      call('POST', '/communication/bucket/like', {
        body: fill(ep('POST /communication/bucket/like').request, { mybucketId: await newPostBucket(caller('rest')) }),
      }),
    'POST /communication/bucket/unlike': async (call) =>
      call('POST', '/communication/bucket/unlike', {
        body: fill(ep('POST /communication/bucket/unlike').request, {
          mybucketId: await newPostBucket(caller('rest')),
        }),
      }),

    'GET /service/tunnel': async (call) => {
      const { tunnelId } = await call('POST', '/service/tunnel/create', {
        body: ep('POST /service/tunnel/create').request,
      });
      await call('POST', '/service/tunnel/open', { body: { tunnelId } });
      const list = await call('GET', '/service/tunnel');
      return list.filter((t) => t.tunnelId === tunnelId); // the open one: closed tunnels have no host/username/port
    },
    'POST /service/tunnel/create': (call) =>
      call('POST', '/service/tunnel/create', { body: ep('POST /service/tunnel/create').request }),
    'POST /service/tunnel/open': async (call) => {
      const { tunnelId } = await call('POST', '/service/tunnel/create', {
        body: ep('POST /service/tunnel/create').request,
      });
      return call('POST', '/service/tunnel/open', {
        body: fill(ep('POST /service/tunnel/open').request, { tunnelToOpen: tunnelId }),
      });
    },
    'POST /service/tunnel/close': async (call) => {
      const { tunnelId } = await call('POST', '/service/tunnel/create', {
        body: ep('POST /service/tunnel/create').request,
      });
      await call('POST', '/service/tunnel/open', { body: { tunnelId } });
      return call('POST', '/service/tunnel/close', {
        body: fill(ep('POST /service/tunnel/close').request, { tunnelToClose: tunnelId }),
      });
    },
    'POST /service/tunnel/delete': async (call) => {
      const { tunnelId } = await call('POST', '/service/tunnel/create', {
        body: ep('POST /service/tunnel/create').request,
      });
      return call('POST', '/service/tunnel/delete', {
        body: fill(ep('POST /service/tunnel/delete').request, { tunnelToDelete: tunnelId }),
      });
    },
    'POST /service/file/upload': async () => {
      const form = new FormData();
      form.append('httpFiles', new Blob([Buffer.from('hello file')], { type: 'text/plain' }), 'myFileName.txt');
      const res = await fetch(`${emu.url}/service/file/upload`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys[BOT]}` },
        body: form,
      });
      const json = await res.json();
      assert.equal(res.status, 200, JSON.stringify(json));
      return json.data;
    },
    'POST /service/file/download': async () => {
      const body = fill(ep('POST /service/file/download').request, { fileIdToDownload: DEMO_IDS.homeNewsAvatarFile });
      const res = await fetch(`${emu.url}/service/file/download`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys[BOT]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
      return null; // raw bytes: no JSON shape to compare
    },
    'GET /service/llms': (call) => call('GET', '/service/llms'),
  };

  it('has a scenario for every documented endpoint, and the emulator serves exactly the documented endpoints', function () {
    const documented = Object.keys(docs.endpoints).sort();
    assert.deepEqual(Object.keys(scenarios).sort(), documented);
    assert.deepEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort(), documented);
  });

  it('accepts WebSocket requests exactly for the endpoints documented with a WebSocket section', function () {
    for (const route of ROUTES) {
      const name = `${route.method} ${route.path}`;
      assert.equal(route.ws, docs.endpoints[name].ws === true, name);
    }
  });

  for (const [name, example] of Object.entries(docs.endpoints)) {
    const transports = example.ws ? ['rest', 'ws'] : ['rest'];
    for (const transport of transports) {
      it(`${name} over ${transport} accepts the documented request and answers the documented shape`, async function () {
        const data = await scenarios[name](caller(transport), transport);
        if (example.response === undefined) return; // file download: checked in its scenario
        assert.deepEqual(shapeErrors(data, example.response), []);
      });
    }
  }

  it('adds the documented advanced properties with details=true', async function () {
    const data = await caller('rest')('GET', '/account/my', { query: { details: 'true' } });
    assert.deepEqual(shapeErrors(data, ep('GET /account/my').detailsResponse), []);
  });

  it('accepts the documented "Creating buckets" and "Referencing buckets" feed bodies', async function () {
    const call = caller('rest');
    const created = await call('POST', '/account/feed/post/add', {
      body: ep('POST /account/feed/post/add').requestNewBucket,
    });
    const bucketId = created.addedPost.dataComponent.bucketId;
    assert.notEqual(bucketId, '<auto_generated>');
    const bucket = await call('POST', '/communication/bucket', { query: { bucketId } });
    assert.equal(bucket.dataComponents.length, 2);
    const referenced = await call('POST', '/account/feed/post/add', {
      body: fill(ep('POST /account/feed/post/add').requestReference, { existingBucketId: bucketId }),
    });
    assert.equal(referenced.addedPost.dataComponent.bucketId, bucketId);
  });

  it('wraps answers in the documented envelope', async function () {
    const res = await fetch(`${emu.url}/account/contacts`, { headers: { Authorization: `Bearer ${keys[BOT]}` } });
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), Object.keys(docs.envelope).sort());
    assert.equal(body.success, true);
    assert.equal(body.statusCode, null);
    assert.equal(body.error, null);
  });

  describe('data components', function () {
    // The gauge examples show a single segment 0-20, which breaks the documentation's own rule that segments cover
    // 0-100; the segments paragraph's three-segment example is used instead (docs/decisions.md).
    const coveringSegments = [
      { from: 0, to: 20, color: '#00AAFF' },
      { from: 21, to: 40, color: '#FF12A1' },
      { from: 41, to: 100, color: '#BF45F0' },
    ];
    const covering = (component) => (component.segments ? { ...component, segments: coveringSegments } : component);

    it('refuses the documented gauge example as it stands, for its partial segments', async function () {
      const res = await fetch(`${emu.url}/communication/p2p/message/send`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys[BOT]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ recipientId: ALICE, dataComponent: docs.dataComponents.gauge }),
      });
      const body = await res.json();
      assert.equal(body.success, false);
      assert.match(body.error, /segments must cover 0-100/);
    });

    for (const [type, documented] of Object.entries(docs.dataComponents)) {
      const example = covering(documented);
      it(`accepts the documented ${type} component in a p2p send`, async function () {
        const dataComponent = fill(example, { '<accountId>': ALICE });
        const data = await caller('rest')('POST', '/communication/p2p/message/send', {
          body: { recipientId: ALICE, dataComponent },
        });
        assert.equal(data.sentMessage.dataComponent.dataComponentType, type);
      });
    }

    it('accepts a form made of every documented form component', async function () {
      const form = {
        ...docs.dataComponents.form,
        receiver: { id: BOT, featureType: 'contact' },
        formComponents: Object.values(docs.formComponents).map(covering),
      };
      const data = await caller('rest')('POST', '/communication/p2p/message/send', {
        body: { recipientId: ALICE, dataComponent: form },
      });
      assert.equal(data.sentMessage.dataComponent.formComponents.length, Object.keys(docs.formComponents).length);
    });
  });

  describe('inbound events', function () {
    it('delivers p2p, group chat and channel messages in the documented event shapes', async function () {
      const alice = await openWs(emu, keys[ALICE]);
      try {
        const call = caller('rest');
        const p2p = await call('POST', '/communication/p2p/message/send', {
          body: { recipientId: ALICE, dataComponent: text('p') },
        });
        const group = await call('POST', '/communication/groupchat/message/send', {
          body: { groupChatId: FAMILY, dataComponent: text('g') },
        });
        const channel = await call('POST', '/communication/channel/message/send', {
          body: { channelId: HOME_NEWS, dataComponent: text('c') },
        });
        for (const [kind, sent] of [
          ['p2p', p2p],
          ['groupchat', group],
          ['channel', channel],
        ]) {
          const frame = await alice.next(
            (f) => f.eventType === 'MessageReceived' && f.eventBody.messageId === sent.sentMessage.messageId,
          );
          assert.deepEqual(shapeErrors(frame, docs.events[kind]), [], kind);
          assert.equal(frame.featureType, kind);
          assert.equal(frame.eventBody.senderId, BOT);
          assert.ok(Math.abs(frame.eventBody.receivedOn - Date.now() / 1000) < 10, 'receivedOn is in epoch seconds');
        }
      } finally {
        alice.close();
      }
    });

    it('answers WebSocket requests with the documented Response frame', async function () {
      const alice = await openWs(emu, keys[ALICE]);
      try {
        const frame = await alice.request('/communication/p2p', { requestId: 'doc-correlation-1' });
        const documented = docs.events.response;
        assert.deepEqual(Object.keys(frame).sort(), Object.keys(documented).sort());
        assert.deepEqual(Object.keys(frame.eventBody).sort(), Object.keys(documented.eventBody).sort());
        assert.equal(frame.requestId, 'doc-correlation-1');
        assert.equal(typeof frame.eventBody.success, 'boolean');
      } finally {
        alice.close();
      }
    });

    it('delivers form submissions in the documented formsubmission shape', async function () {
      const bot = await openWs(emu, keys[BOT]);
      try {
        const form = fill(docs.dataComponents.form, { '<accountId>': BOT });
        const sent = await caller('rest')('POST', '/communication/p2p/message/send', {
          body: { recipientId: ALICE, dataComponent: form },
        });
        emu.control.submitForm({
          from: ALICE,
          messageId: sent.sentMessage.messageId,
          values: { myTextbox: 'typed by Alice' },
        });
        const frame = await bot.next(
          (f) => f.eventType === 'MessageReceived' && f.eventBody.dataComponent.dataComponentType === 'formsubmission',
        );
        assert.deepEqual(shapeErrors(frame.eventBody.dataComponent, docs.formSubmission), []);
        assert.deepEqual(frame.eventBody.dataComponent.replyTo, {
          messageId: sent.sentMessage.messageId,
          refName: 'formReferenceName',
        });
        assert.equal(frame.eventBody.dataComponent.submitterId, ALICE);
        assert.equal(frame.eventBody.dataComponent.formComponents[0].value, 'typed by Alice');
      } finally {
        bot.close();
      }
    });
  });
});

describe('shapeErrors (the checker used above)', function () {
  it('reports missing fields, wrong types and bad array elements', function () {
    const documented = { a: 'x', n: 1, list: [{ id: 'y' }], nested: { flag: true } };
    assert.deepEqual(shapeErrors({ a: 'ok', n: 2, list: [{ id: 'z' }], nested: { flag: false } }, documented), []);
    assert.deepEqual(shapeErrors({ n: '2', list: [{ id: 3 }], nested: {} }, documented), [
      'data.a: missing',
      'data.n: expected number, got string',
      'data.list[0].id: expected string, got number',
      'data.nested.flag: missing',
    ]);
  });
});
