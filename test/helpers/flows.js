'use strict';
// Node definitions and flow plumbing shared by the node tests (and the benchmark), so every test builds the same
// nodes the editor would save.

const AT = { z: 'f1', x: 100, y: 100 };

const tab = () => ({ id: 'f1', type: 'tab' });

/** A semilimes-send node with the editor's defaults; `settings` overrides any of them. */
function sendNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'semilimes-send',
    account: 'acc',
    action: 'send',
    chatKind: 'auto',
    chatId: '',
    chatIdType: 'str',
    messageId: 'messageId',
    messageIdType: 'msg',
    reaction: '',
    reactionType: 'str',
    silent: false,
    ...settings,
    wires,
  };
}

/** A semilimes-receive node with the editor's defaults. */
function receiveNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'semilimes-receive',
    account: 'acc',
    p2p: true,
    groupchat: true,
    channel: true,
    chatIds: '',
    senderIds: '',
    componentTypes: '',
    formRefNames: '',
    ...settings,
    wires,
  };
}

/** A semilimes-file node with the editor's defaults (an upload; paths inside the files folder). */
function fileNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'semilimes-file',
    account: 'acc',
    action: 'upload',
    filename: 'filename',
    filenameType: 'msg',
    contentType: 'contentType',
    contentTypeType: 'msg',
    maxSizeMB: 100,
    fileId: 'fileId',
    fileIdType: 'msg',
    thumbnailSize: '',
    thumbnailSizeType: 'num',
    output: 'buffer',
    saveTo: 'filename',
    saveToType: 'msg',
    folder: 'files',
    version: 1,
    ...settings,
    wires,
  };
}

/** A semilimes-tunnel node with the editor's defaults (kept up while deployed, to port 1880, new keys RSA). */
function tunnelNode(id, wires, settings = {}) {
  return {
    id,
    ...AT,
    type: 'semilimes-tunnel',
    account: 'acc',
    name: '',
    tunnelName: 'node-red',
    description: '',
    localHost: '127.0.0.1',
    localPort: 1880,
    clientPath: '',
    sshPort: 22,
    autoStart: true,
    hostKeyReset: '',
    keyType: 'rsa',
    version: 1,
    ...settings,
    wires,
  };
}

const helperNode = (id) => ({ id, ...AT, type: 'helper' });

/** A Catch node for the whole tab, wired to a helper node. */
const catchAll = (id, target) => ({ id, ...AT, type: 'catch', scope: null, uncaught: false, wires: [[target]] });

/**
 * Feeds `msg` into node `inputId` and resolves with { out: msg } when helper `outId` gets a message, or
 * { error, msg } when helper `caughtId` (behind a Catch node) does, whichever comes first.
 */
function runThrough(helper, msg, { inputId = 'send', outId = 'out', caughtId = 'caught' } = {}) {
  return new Promise((resolve) => {
    const out = helper.getNode(outId);
    const caught = helper.getNode(caughtId);
    const finish = (result) => {
      out.removeListener('input', onOut);
      caught.removeListener('input', onCaught);
      resolve(result);
    };
    const onOut = (m) => finish({ out: m });
    const onCaught = (m) => finish({ error: m.error, msg: m });
    out.on('input', onOut);
    caught.on('input', onCaught);
    helper.getNode(inputId).receive(msg);
  });
}

/**
 * The errors a node reports (done(err) reaches node.error), recorded as they are: with their own properties, which a
 * Catch node's copy of the message leaves out. Returns the list it fills.
 */
function recordErrors(node) {
  const errors = [];
  const original = node.error.bind(node);
  node.error = (err, msg) => {
    errors.push(err);
    return original(err, msg);
  };
  return errors;
}

module.exports = {
  AT,
  tab,
  sendNode,
  receiveNode,
  fileNode,
  tunnelNode,
  helperNode,
  catchAll,
  runThrough,
  recordErrors,
};
