'use strict';
// The emulator's assumptions about the real CLI, written so they can run against either. By default they run against
// the emulator; with SIMPLEX_CLI_URL=ws://127.0.0.1:5225 they run against a real `simplex-chat -p 5225` (with a user
// profile) and report where it differs. Every command here is read-only or names chats that cannot exist, so a real
// bot's data is never changed.
const assert = require('node:assert/strict');
const reference = require('./reference');
const { CliClient, startSimplexEmulator, waitFor } = require('./helpers');

const REAL = process.env.SIMPLEX_CLI_URL;
// A contact id no real database reaches: commands naming it parse, then fail without touching anything.
const NONE = '999999999999';
const PARSE_FAILURE = { type: 'error', errorType: { type: 'commandError', message: 'Failed reading: empty' } };

const definitions = { ...reference.responseRecords };
for (const [tag, defs] of Object.entries(reference.eventRecords))
  definitions[tag] = [...(definitions[tag] ?? []), ...defs];

describe(`SimpleX CLI facts against ${REAL ? `the real CLI at ${REAL}` : 'the emulator (set SIMPLEX_CLI_URL for a real CLI)'}`, function () {
  this.timeout(30000);
  let emu;
  let cli;
  let userId;

  before(async () => {
    if (!REAL) emu = await startSimplexEmulator({ botDisplayName: 'HomeBot' });
    cli = await CliClient.connect(REAL ?? emu.url);
    const user = await cli.cmd('/user');
    assert.equal(user.type, 'activeUser', 'the CLI needs a user profile (start it with --create-bot-display-name)');
    userId = user.user.userId;
  });
  after(async () => {
    cli?.close();
    await emu?.close();
  });

  it('F4: a frame that is not a request gets "invalid request" without a corrId', async () => {
    const before = cli.frames.length;
    cli.ws.send('this is not json');
    await waitFor(() =>
      cli.frames.slice(before).some((f) => f.corrId === undefined && f.resp?.type === 'chatCmdError'),
    );
    const frame = cli.frames.slice(before).find((f) => f.resp?.type === 'chatCmdError');
    assert.equal(frame.corrId, undefined);
    assert.equal(frame.resp.chatError.errorType.type, 'commandError');
    assert.match(frame.resp.chatError.errorType.message, /invalid request/);
  });

  it('F4: a command that does not parse gets "Failed reading: empty" with its corrId', async () => {
    assert.deepEqual((await cli.cmd('/no_such_command 1')).chatError, PARSE_FAILURE);
  });

  it('F8: /_send takes an array; a bare object does not parse', async () => {
    const object = await cli.cmd(`/_send @${NONE} json {"msgContent":{"type":"text","text":"x"}}`);
    assert.deepEqual(object.chatError, PARSE_FAILURE);
    const array = await cli.cmd(`/_send @${NONE} json [{"msgContent":{"type":"text","text":"x"}}]`);
    assert.equal(array.chatError.type, 'errorStore', 'an array parses, then the contact is not found');
  });

  it('F10: a reaction outside the eight fails while parsing; one of them parses', async () => {
    const bad = await cli.cmd(`/_reaction @${NONE} 1 on {"type":"emoji","emoji":"🤖"}`);
    assert.deepEqual(bad.chatError, PARSE_FAILURE);
    const good = await cli.cmd(`/_reaction @${NONE} 1 on {"type":"emoji","emoji":"👍"}`);
    assert.notDeepEqual(good.chatError, PARSE_FAILURE);
  });

  it('read-only commands answer records with the fields TYPES.md requires', async () => {
    const readOnly = ['/user', '/users', `/_contacts ${userId}`, `/_groups ${userId}`, `/_show_address ${userId}`];
    const problems = [];
    for (const cmd of readOnly) {
      const resp = await cli.cmd(cmd);
      // A real CLI may send fields newer than the reference; only missing or mistyped fields count here.
      const found = reference.checkRecord(resp, definitions).filter((p) => !p.includes('not a field of'));
      problems.push(...found.map((p) => `${cmd}: ${p}`));
    }
    assert.deepEqual(problems, []);
  });
});
