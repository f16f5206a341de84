'use strict';
// The errors COMMANDS.md names under "**Errors**" for a command are the ones the emulator answers in that case.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const reference = require('./reference');
const { CliClient, controlOk, startSimplexEmulator, waitFor } = require('./helpers');

/** The tag of a ChatError, wherever the CLI puts it. */
const tagOf = (resp) => resp.chatError?.errorType?.type ?? resp.chatError?.storeError?.type;
const lowerFirst = (s) => s[0].toLowerCase() + s.slice(1);

describe('SimpleX emulator: documented command errors', function () {
  this.timeout(20000);
  let emu;
  let cli;
  let tmp;
  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-errors-'));
    emu = await startSimplexEmulator({ seed: 'demo', filesFolder: tmp });
    cli = await CliClient.connect(emu.url);
  });
  after(async () => {
    cli.close();
    await emu.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // How to provoke each documented error; the table must cover every one COMMANDS.md lists.
  const cases = {
    'APIUpdateChatItem/InvalidChatItemUpdate': async () => {
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', text: 'mine, not yours' });
      const ev = await cli.waitEvent(
        (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.chatDir.type === 'directRcv',
      );
      const { chatInfo, chatItem } = ev.chatItems[0];
      return cli.cmd(
        `/_update item @${chatInfo.contact.contactId} ${chatItem.meta.itemId} json {"msgContent":{"type":"text","text":"x"}}`,
      );
    },
    'CancelFile/FileCancel': async () => {
      await controlOk(emu, 'POST', '/send', { from: 'Alice', to: 'bot', file: { name: 'f.txt', base64: 'aGk=' } });
      const offer = await cli.waitEvent('rcvFileDescrReady');
      await cli.ok(`/freceive ${offer.rcvFileTransfer.fileId}`);
      await cli.waitEvent('rcvFileComplete');
      return cli.cmd(`/fcancel ${offer.rcvFileTransfer.fileId}`);
    },
    'APIAcceptMember/GroupMemberNotActive': async () => {
      const group = (await cli.ok('/_group 1 {"displayName":"Pending","fullName":""}')).groupInfo;
      const member = (await cli.ok(`/_add #${group.groupId} 1 member`)).member;
      return cli.cmd(`/_accept member #${group.groupId} ${member.groupMemberId} member`);
    },
    'APIRemoveMembers/GroupMemberNotFound': () => cli.cmd('/_remove #1 999'),
    'CreateActiveUser/UserExists': () =>
      cli.cmd(
        '/_create user {"profile":{"displayName":"HomeBot","fullName":""},"pastTimestamp":false,"clientService":false}',
      ),
    'CreateActiveUser/InvalidDisplayName': () =>
      cli.cmd(
        '/_create user {"profile":{"displayName":" @bad","fullName":""},"pastTimestamp":false,"clientService":false}',
      ),
    'APISetActiveUser/ChatNotStarted': async () => {
      await cli.ok('/_stop');
      const resp = await cli.cmd('/_user 1');
      await cli.ok('/_start main=on');
      return resp;
    },
  };

  it('provokes every error COMMANDS.md documents', async () => {
    const documented = reference.commands.flatMap((c) => c.errors.map((e) => `${c.name}/${e}`));
    assert.deepEqual(documented.sort(), Object.keys(cases).sort());
    for (const [key, provoke] of Object.entries(cases)) {
      const resp = await provoke();
      assert.equal(resp.type, 'chatCmdError', key);
      assert.equal(tagOf(resp), lowerFirst(key.split('/')[1]), key);
    }
    await waitFor(async () => (await cli.cmd('/user')).type === 'activeUser');
  });
});
