'use strict';
// 10,000 fuzzed frames through the decoder and the inbound-item mapping: mutated real shapes, wrong types, truncated
// JSON and random text. Nothing may throw; every frame is classified.
const assert = require('node:assert/strict');
const { decodeFrame, toInboundItem, chatItemsOf, parseBotCommand } = require('../../dist/simplex');
const { fuzzFrames } = require('./fuzz');

describe('SimpleX decoder under fuzzed frames', () => {
  it('classifies 10,000 fuzzed frames without throwing', () => {
    const kinds = { reply: 0, event: 0, protocolError: 0, malformed: 0 };
    let items = 0;
    for (const frame of fuzzFrames(10_000, 20251202)) {
      const decoded = decodeFrame(frame);
      assert.ok(decoded && decoded.kind in kinds, frame);
      kinds[decoded.kind] += 1;
      if (decoded.kind === 'reply' || decoded.kind === 'event') {
        for (const aci of chatItemsOf(decoded.resp)) {
          const item = toInboundItem(aci);
          if (item) {
            items += 1;
            assert.equal(typeof item.chatRef, 'string');
            assert.equal(typeof item.text, 'string');
            parseBotCommand(item.text);
          }
        }
      }
    }
    // The generator must exercise every branch, or the test proves little.
    for (const [kind, count] of Object.entries(kinds)) assert.ok(count > 100, `${kind}: ${count}`);
    assert.ok(items > 100, `items: ${items}`);
  });
});
