'use strict';
// Unit tests of a tunnel node's identity (key pair, pinned host key, tunnel id, state file), with no Node-RED: the
// credentials are a plain object and the state file a real file in a temporary folder.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { generateTunnelKeyPair, publicKeyIdentity } = require('../../dist/semilimes');
const { TunnelIdentity } = require('../../dist/nodes/lib/tunnel-identity');
const { TunnelStateStore } = require('../../dist/nodes/lib/tunnel-state');

describe('tunnel identity', () => {
  let dir;
  // One ed25519 pair for most cases (fast); RSA where the key type is what is tested.
  const deployedKeys = generateTunnelKeyPair('ed25519');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-identity-test-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An identity over the node "tun"'s state file; `remembered` collects what goes into the in-memory credentials. */
  function identity({ credentials = {}, hostKeyReset = '', keyType = 'rsa' } = {}) {
    const remembered = {};
    const stateErrors = [];
    const id = new TunnelIdentity({
      store: new TunnelStateStore(dir, 'tun'),
      credentials,
      remember: (changes) => Object.assign(remembered, changes),
      hostKeyReset,
      keyType,
      onStateFileError: (err) => stateErrors.push(err),
    });
    return { id, remembered, stateErrors };
  }

  const stateFile = () => path.join(dir, 'tun.json');
  const readState = () => JSON.parse(fs.readFileSync(stateFile(), 'utf8'));

  it('makes an RSA key by default for a flow without one, and keeps it in the state file (0600) at once', async () => {
    const { id, remembered } = identity();
    assert.equal(id.keyGenerated, true);
    assert.match(id.keys.publicKey, /^ssh-rsa [A-Za-z0-9+/=]+ semilimes-tunnel$/);
    assert.match(id.keys.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    assert.equal(remembered.privateKey, id.keys.privateKey);
    assert.equal(remembered.publicKey, id.keys.publicKey);
    await id.flushed();
    assert.equal(readState().privateKey, id.keys.privateKey);
    assert.equal(fs.statSync(stateFile()).mode & 0o777, 0o600);
  });

  it('makes an ed25519 key when the node asks for one', () => {
    const { id } = identity({ keyType: 'ed25519' });
    assert.match(id.keys.publicKey, /^ssh-ed25519 [A-Za-z0-9+/=]+ semilimes-tunnel$/);
  });

  it('after a restart without a deploy: the same key, pin and tunnel id from the state file', async () => {
    const first = identity({ keyType: 'ed25519' });
    first.id.learnHostKey('SHA256:pinned');
    first.id.learnTunnelId('tunnel-1');
    await first.id.flushed();

    const second = identity({ keyType: 'ed25519' });
    assert.equal(second.id.keyGenerated, false);
    assert.equal(second.id.keys.privateKey, first.id.keys.privateKey);
    assert.equal(publicKeyIdentity(second.id.keys.publicKey), publicKeyIdentity(first.id.keys.publicKey));
    assert.equal(second.id.hostKey, 'SHA256:pinned');
    assert.equal(second.id.tunnelId, 'tunnel-1');
    // The editor shows them, and the next deploy saves them with the credentials.
    assert.equal(second.remembered.hostKey, 'SHA256:pinned');
    assert.equal(second.remembered.tunnelId, 'tunnel-1');
    assert.equal(second.remembered.privateKey, first.id.keys.privateKey);
  });

  it('a deployed credential wins over the state file, and a replaced run-time key leaves the file', async () => {
    const made = identity({ keyType: 'ed25519' });
    made.id.learnHostKey('SHA256:from-state');
    made.id.learnTunnelId('tunnel-of-made-key');
    await made.id.flushed();

    const credentials = { ...deployedKeys, hostKey: 'SHA256:deployed' };
    const { id, remembered } = identity({ credentials });
    await id.flushed();
    assert.equal(id.keyGenerated, false);
    assert.deepEqual(id.keys, deployedKeys);
    assert.equal(id.hostKey, 'SHA256:deployed');
    assert.equal(id.tunnelId, undefined, 'the stored tunnel was made for another key');
    assert.deepEqual(remembered, {}, 'nothing to add: the deployed values stand');
    const state = readState();
    assert.equal(state.privateKey, undefined, 'the replaced private key is not kept lying around');
    assert.equal(state.publicKey, undefined);
  });

  it('rebuilds a missing or mismatched public key from the deployed private key', () => {
    const other = generateTunnelKeyPair('ed25519');
    for (const publicKey of [undefined, other.publicKey]) {
      const { id, remembered } = identity({ credentials: { privateKey: deployedKeys.privateKey, publicKey } });
      assert.equal(publicKeyIdentity(id.keys.publicKey), publicKeyIdentity(deployedKeys.publicKey));
      assert.equal(publicKeyIdentity(remembered.publicKey), publicKeyIdentity(deployedKeys.publicKey));
    }
  });

  it('drops a pin stored before "forget" was deployed, keeps one stored after', async () => {
    const first = identity({ credentials: deployedKeys });
    first.id.learnHostKey('SHA256:old-server');
    await first.id.flushed();
    assert.equal(identity({ credentials: deployedKeys }).id.hostKey, 'SHA256:old-server');

    const forgotten = identity({ credentials: deployedKeys, hostKeyReset: 'forgot-1' });
    assert.equal(forgotten.id.hostKey, undefined, 'the next connection pins again');
    forgotten.id.learnHostKey('SHA256:new-server');
    await forgotten.id.flushed();
    assert.equal(identity({ credentials: deployedKeys, hostKeyReset: 'forgot-1' }).id.hostKey, 'SHA256:new-server');
  });

  it('forgets a deleted tunnel: the next start finds or creates one', async () => {
    const first = identity({ credentials: deployedKeys });
    first.id.learnTunnelId('tunnel-1');
    first.id.learnTunnelId(undefined);
    await first.id.flushed();
    assert.equal(first.id.tunnelId, undefined);
    assert.ok('tunnelId' in first.remembered && first.remembered.tunnelId === undefined, 'cleared in the credentials');
    assert.equal(readState().tunnelId, undefined);
    assert.equal(identity({ credentials: deployedKeys }).id.tunnelId, undefined);
  });

  it('a damaged state file is reported without its content and the node starts without it', async () => {
    fs.writeFileSync(stateFile(), `{"privateKey": "${deployedKeys.privateKey.split('\n')[1]}`);
    const { id, stateErrors } = identity({ credentials: deployedKeys });
    assert.equal(stateErrors.length, 1);
    assert.match(stateErrors[0].message, /tun\.json is not valid JSON/);
    assert.ok(!stateErrors[0].message.includes(deployedKeys.privateKey.split('\n')[1]), 'the content is never quoted');
    assert.equal(id.hostKey, undefined);
    id.learnHostKey('SHA256:fresh');
    await id.flushed();
    assert.equal(readState().hostKey, 'SHA256:fresh', 'the next learned value replaces the damaged file');
  });

  it('refuses an invalid deployed private key without quoting it', () => {
    assert.throws(
      () => identity({ credentials: { privateKey: 'secret-looking-but-not-a-key' } }),
      (err) => /not a valid OpenSSH key/.test(err.message) && !err.message.includes('secret-looking'),
    );
  });

  it('remove() deletes the state file after pending writes', async () => {
    const { id } = identity({ credentials: deployedKeys });
    id.learnTunnelId('tunnel-1');
    await id.remove();
    assert.equal(fs.existsSync(stateFile()), false);
  });
});
