'use strict';
// Every command of COMMANDS.md, built from sample parameters with the reference's own JavaScript syntax line, must
// parse in the emulator: the reply may be any documented outcome, but never the parse failure of design file F4.
const assert = require('node:assert/strict');
const reference = require('./reference');
const { CliClient, startSimplexEmulator } = require('./helpers');
const { COMMAND_NAMES, PARSE_FAILURE_MESSAGE } = require('../../dist/simplex-emulator');
const { build } = require('./samples');

describe('SimpleX emulator: command syntax of COMMANDS.md', function () {
  let emu;
  let cli;
  before(async () => {
    emu = await startSimplexEmulator({ seed: 'demo' });
    cli = await CliClient.connect(emu.url);
  });
  after(async () => {
    cli?.close();
    await emu?.close();
  });

  it('the reference lists 59 commands and the emulator has a parser for each', () => {
    assert.equal(reference.commands.length, 59);
    const missing = reference.commands.map((c) => c.name).filter((n) => !COMMAND_NAMES.includes(n));
    assert.deepEqual(missing, []);
  });

  for (const variant of [0, 1]) {
    it(`every command parses, built with ${variant === 0 ? 'every option set' : 'options left out'}`, async () => {
      const failures = [];
      for (const command of reference.commands) {
        const text = build(command, variant);
        const resp = await cli.cmd(text);
        assert.ok(resp && typeof resp.type === 'string', `${command.name}: no reply`);
        const message = resp.chatError?.errorType?.message;
        if (
          resp.type === 'chatCmdError' &&
          resp.chatError.errorType?.type === 'commandError' &&
          /Failed reading|invalid request/.test(message)
        ) {
          failures.push(`${command.name}: ${text}`);
        }
        // A reply that is not an error is one of the command's documented responses. APIConnect without a link is
        // the very string of APIAddContact (`/_connect 1`), so it gets that command's reply.
        const same = reference.commands.filter(
          (c) =>
            c.name === command.name || (variant === 1 && command.name === 'APIConnect' && c.name === 'APIAddContact'),
        );
        const allowed = same.flatMap((c) => c.responses);
        if (resp.type !== 'chatCmdError')
          assert.ok(allowed.includes(resp.type), `${command.name} answered ${resp.type}`);
      }
      assert.deepEqual(failures, []);
    });
  }

  it('strings that are not documented commands fail with the CLI parse error and keep their corrId', async () => {
    const bad = [
      '/_send @1 json {"msgContent":{"type":"text","text":"object, not array"}}',
      '/_send @1 json []',
      '/_send @1 json not json',
      '/_send @1(_support) json [{"msgContent":{"type":"text","text":"scope on a contact"}}]',
      '/_address 1 extra',
      '/_delete @1 messages notify=off',
      '/_reaction @1 1 on {"type":"emoji","emoji":"🤖"}',
      '/_add #1 2 superuser',
      '/no_such_command',
      '@1 hello',
      '',
    ];
    for (const text of bad) {
      const resp = await cli.cmd(text, `bad-${bad.indexOf(text)}`);
      assert.deepEqual(
        resp,
        {
          type: 'chatCmdError',
          chatError: { type: 'error', errorType: { type: 'commandError', message: PARSE_FAILURE_MESSAGE } },
        },
        text,
      );
    }
  });
});
