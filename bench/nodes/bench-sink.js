'use strict';
// A do-nothing node for the benchmark: the benchmark attaches its own 'input' listener to count and time what
// reaches it (the role the test helper's "helper" node plays in the tests). Loaded through Node-RED's nodesDir.
module.exports = function register(RED) {
  function BenchSinkNode(config) {
    RED.nodes.createNode(this, config);
  }
  RED.nodes.registerType('bench-sink', BenchSinkNode);
};
