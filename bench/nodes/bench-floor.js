'use strict';
// `npm run bench -- --floor`: the least a semilimes send or receive node can do, in place of this package's, to measure
// what Node-RED itself costs. Each opens its own socket with the raw client (bench/lib/raw-client.js): the send node
// writes the documented frame and outputs the answer, with correlation and nothing else (no queue, no checks, no
// status); the receive node parses the frame and outputs the text. No reconnects, no de-duplication, no loop guard.
const { RawClient } = require('../lib/raw-client');

module.exports = function register(RED) {
  /** Opens the raw client with the bench's address and key (environment), and closes it with the node. */
  function connect(node) {
    node.connected = false;
    node.client = RawClient.connect(process.env.BENCH_FLOOR_WS_URL, process.env.BENCH_FLOOR_API_KEY);
    node.client.then(
      () => (node.connected = true),
      (err) => node.error(err),
    );
    node.on('close', (done) => {
      node.client.then((client) => client.close()).then(done, done);
    });
  }

  function BenchFloorSendNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    connect(node);
    node.on('input', (msg, send, done) => {
      node.client
        .then((client) => client.sendText(msg.recipientId, msg.payload))
        .then((data) => {
          msg.payload = data;
          send(msg);
          done();
        }, done);
    });
  }

  function BenchFloorReceiveNode(config) {
    RED.nodes.createNode(this, config);
    const node = this;
    connect(node);
    node.client.then((client) => {
      client.onMessageReceived = (frame) => node.send({ payload: frame.eventBody.dataComponent.text });
    });
  }

  RED.nodes.registerType('bench-floor-send', BenchFloorSendNode);
  RED.nodes.registerType('bench-floor-receive', BenchFloorReceiveNode);
};
