'use strict';
// The three ways the benchmark does the same work, behind one small interface:
//   nodes  - semilimes-send / semilimes-receive in the running Node-RED flow (see node-red-runtime.js)
//   client - our SemilimesClient on its own (no Node-RED): tells the library's share from the nodes' share
//   raw    - the `ws` library and the documented frames, nothing else (raw-client.js)
//
// Each path has
//   openSender()   -> { send(text): Promise<void>, close(): Promise<void> }   one p2p text bot -> Alice per call
//   openReceiver(onText) -> { close(): Promise<void> }                        onText(text, arrivedAt[, parts]) per text
// `exclusiveSocket` says whether the receiver brings its own bot socket (then Node-RED's must be closed meanwhile,
// so that only one socket of the bot gets the events).
const path = require('node:path');
const { RawClient } = require('./raw-client');

const root = path.resolve(__dirname, '..', '..');
const { SemilimesClient } = require(path.join(root, 'dist', 'semilimes'));

async function waitFor(predicate, what, ms = 5000) {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The deployed benchmark flow seen from outside: feeds the send node with node.receive() and listens on the sink
 * nodes after send, Catch and receive. Flows restart as new node objects, so `attach()` runs after every start.
 */
class NodesPath {
  constructor(nr, { recipientId, messageTimeoutMs }) {
    this.name = 'nodes';
    this.exclusiveSocket = false;
    this.nr = nr;
    this.recipientId = recipientId;
    this.messageTimeoutMs = messageTimeoutMs;
    this.pendingSends = new Map(); // benchSeq -> { resolve, reject, timer }
    this.seq = 0;
    this.outputs = 0;
    this.caught = 0;
    this.caughtSamples = [];
    this.received = 0;
    this.onText = null;
  }

  attach() {
    const { nr } = this;
    this.sendNode = nr.node('send');
    this.account = nr.node('acc');
    nr.node('sent').on('input', (msg) => {
      this.outputs++;
      const pending = this.pendingSends.get(msg.benchSeq);
      if (!pending) return;
      this.pendingSends.delete(msg.benchSeq);
      clearTimeout(pending.timer);
      pending.resolve();
    });
    nr.node('caught').on('input', (msg) => {
      this.caught++;
      const text = (msg.error && msg.error.message) || 'unknown error';
      if (this.caughtSamples.length < 5) this.caughtSamples.push(text);
      const pending = this.pendingSends.get(msg.benchSeq);
      if (!pending) return;
      this.pendingSends.delete(msg.benchSeq);
      clearTimeout(pending.timer);
      pending.reject(new Error(`Catch: ${text}`));
    });
    nr.node('received').on('input', (msg) => {
      const arrivedAt = performance.now();
      this.received++;
      const parts = { clientEventAt: this.clientEventAt, nodeDoneAt: this.nodeDoneAt };
      if (this.onText) this.onText(msg.payload, arrivedAt, parts);
    });
    // Where inbound time goes: the account re-emits the client's 'message' to its users (lib/account.ts). A listener
    // put in front of the receive node's and one after it bracket the receive node's own work; from there to the
    // sink is Node-RED's delivery.
    this.clientEventAt = NaN;
    this.nodeDoneAt = NaN;
    const events = this.account && this.account.events;
    if (events && typeof events.prependListener === 'function') {
      events.prependListener('message', () => {
        this.clientEventAt = performance.now();
      });
      events.on('message', () => {
        this.nodeDoneAt = performance.now();
      });
    }
  }

  /** Waits until the account's WebSocket is up, so the send node really uses it (and not REST). */
  connected() {
    return waitFor(
      () => this.account && this.account.client().state === 'connected',
      'the Node-RED account to connect',
    );
  }

  async openSender() {
    await this.connected();
    return {
      send: (text) => {
        const benchSeq = ++this.seq;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            this.pendingSends.delete(benchSeq);
            reject(new Error(`lost: no output and no Catch within ${this.messageTimeoutMs} ms`));
          }, this.messageTimeoutMs);
          this.pendingSends.set(benchSeq, { resolve, reject, timer });
          this.sendNode.receive({ payload: text, recipientId: this.recipientId, benchSeq });
        });
      },
      close: async () => {},
    };
  }

  async openReceiver(onText) {
    await this.connected();
    this.onText = onText;
    return {
      close: async () => {
        this.onText = null;
      },
    };
  }
}

class ClientPath {
  constructor({ baseUrl, apiKey, recipientId }) {
    this.name = 'client';
    this.exclusiveSocket = true;
    this.options = { baseUrl, apiKey };
    this.recipientId = recipientId;
  }

  async open() {
    const client = new SemilimesClient(this.options);
    client.connect();
    await waitFor(() => client.state === 'connected', 'the client to connect');
    return client;
  }

  async openSender() {
    const client = await this.open();
    const to = { kind: 'p2p', id: this.recipientId };
    return {
      send: (text) => client.send(to, text),
      close: () => client.close(),
    };
  }

  async openReceiver(onText) {
    const client = await this.open();
    client.on('message', (message) => onText(message.dataComponent.text, performance.now()));
    return { close: () => client.close() };
  }
}

class RawPath {
  constructor({ wsUrl, apiKey, recipientId }) {
    this.name = 'raw';
    this.exclusiveSocket = true;
    this.wsUrl = wsUrl;
    this.apiKey = apiKey;
    this.recipientId = recipientId;
  }

  async openSender() {
    const raw = await RawClient.connect(this.wsUrl, this.apiKey);
    return {
      send: (text) => raw.sendText(this.recipientId, text),
      close: () => raw.close(),
    };
  }

  async openReceiver(onText) {
    const raw = await RawClient.connect(this.wsUrl, this.apiKey);
    raw.onMessageReceived = (frame, arrivedAt) => {
      const body = frame.eventBody;
      onText(body && body.dataComponent ? body.dataComponent.text : undefined, arrivedAt);
    };
    return { close: () => raw.close() };
  }
}

module.exports = { NodesPath, ClientPath, RawPath, waitFor };
