'use strict';
// SimpleX node definitions with the editor's defaults, shared by the node tests and the benchmark (which must not load
// the test helper, so this file requires nothing but the flow plumbing).
const { AT } = require('./flows');

/** A simplex-cli config node for the emulator, with the editor's defaults. */
function cliNode(emu, settings = {}) {
  return {
    id: 'cli',
    type: 'simplex-cli',
    name: 'emulated CLI',
    url: emu.url,
    allowUnencryptedRemote: false,
    ca: '',
    filesFolder: emu.filesFolder,
    sharedFolder: '',
    maxFileMB: 100,
    ensureAddress: true,
    autoAccept: true,
    welcome: 'Hello! I am HomeBot.',
    businessAddress: false,
    syncProfile: true,
    displayName: '',
    allowFiles: true,
    menu: [],
    autoJoinGroups: true,
    ...settings,
  };
}

function receiveNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'simplex-receive',
    cli: 'cli',
    messages: true,
    contacts: false,
    reactions: false,
    edits: false,
    deletions: false,
    direct: true,
    groups: true,
    contentTypes: '',
    allowContacts: '',
    allowContactsType: 'str',
    allowGroups: '',
    allowGroupsType: 'str',
    onlyMentioned: false,
    commandsOnly: false,
    keywords: '',
    download: 'no',
    raw: false,
    ...settings,
    wires,
  };
}

function sendNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'simplex-send',
    cli: 'cli',
    action: 'send',
    chatRef: '',
    chatRefType: 'str',
    reaction: '',
    deleteMode: 'broadcast',
    longText: 'split',
    delivery: false,
    deliveryTimeout: 60,
    outputs: settings.delivery ? 2 : 1,
    ...settings,
    wires,
  };
}

function commandNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'simplex-command',
    cli: 'cli',
    command: 'raw',
    params: {},
    raw: 'payload',
    rawType: 'msg',
    ...settings,
    wires,
  };
}

module.exports = { cliNode, receiveNode, sendNode, commandNode };
