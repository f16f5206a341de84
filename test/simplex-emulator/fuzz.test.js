'use strict';
// Thousands of mangled commands and frames: the emulator answers each one (a record or a chatCmdError), never fails
// inside a command, and keeps working afterwards.
const assert = require('node:assert/strict');
const reference = require('./reference');
const { build } = require('./samples');
const { CliClient, startSimplexEmulator } = require('./helpers');

/** A small deterministic generator, so a failure can be replayed. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const PIECES = [
  ' ',
  '#',
  '@',
  '*',
  '(_support)',
  ' json ',
  '[',
  ']',
  '{',
  '}',
  '"',
  ',',
  '-1',
  '0',
  '99999999999999999999',
  '\n',
  'on',
  'off',
  '🚀',
  'null',
  '/',
];

function mangle(text, rnd) {
  const at = Math.floor(rnd() * (text.length + 1));
  switch (Math.floor(rnd() * 5)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 5));
    case 3:
      return text.replace(/\d+/g, () => String(Math.floor(rnd() * 5)));
    default:
      return text.replace(
        /json (.*)$/,
        () => `json ${JSON.stringify([null, 1, 'x', { msgContent: { type: 'text' } }, []][Math.floor(rnd() * 5)])}`,
      );
  }
}

describe('SimpleX emulator: fuzzed commands', function () {
  this.timeout(60000);
  let emu;
  let cli;
  before(async () => {
    emu = await startSimplexEmulator({ seed: 'demo' });
    cli = await CliClient.connect(emu.url);
  });
  after(async () => {
    cli.close();
    await emu.close();
  });

  it('answers 3,000 mangled commands with records or chatCmdError, and no internal failure', async () => {
    const rnd = random(20261202);
    const valid = reference.commands
      .flatMap((c) => [build(c, 0), build(c, 1)])
      .filter((t) => !/^\/_stop|^\/_delete user/.test(t));
    for (let i = 0; i < 3000; i++) {
      let text = valid[Math.floor(rnd() * valid.length)];
      for (let n = 1 + Math.floor(rnd() * 3); n > 0; n--) text = mangle(text, rnd);
      if (/^\/_stop|^\/_delete user|^\/_user /.test(text)) continue;
      const resp = await cli.cmd(text);
      assert.equal(typeof resp?.type, 'string', text);
      if (resp.type === 'chatCmdError') assert.equal(typeof resp.chatError.type, 'string', text);
    }
    assert.deepEqual(
      emu.emulator.bot.notes.filter((n) => n.includes('command failed')),
      [],
    );
    assert.equal((await cli.cmd('/user')).type, 'activeUser');
  });

  it('answers 2,000 mangled frames with "invalid request" or a reply, and keeps the socket', async () => {
    const rnd = random(7);
    const frames = [
      '{"corrId":"a","cmd":"/user"}',
      '{"corrId":"b","cmd":"/_contacts 1"}',
      '{"corrId":"c","cmd":"/_send @1 json []"}',
    ];
    let sent = 0;
    for (let i = 0; i < 2000; i++) {
      const frame = mangle(mangle(frames[i % frames.length], rnd), rnd);
      cli.ws.send(frame);
      sent++;
      if (i % 50 === 49) assert.equal((await cli.cmd('/user')).type, 'activeUser');
    }
    const log = await fetch(`${emu.controlUrl}/log`).then((r) => r.json());
    assert.ok(log.length >= sent, `every frame was read and answered (${log.length} logged)`);
    assert.ok(log.every((e) => typeof e.replied === 'string'));
  });
});
