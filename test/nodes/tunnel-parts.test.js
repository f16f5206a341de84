'use strict';
// Unit tests of the tunnel node's parts that need no Node-RED: the shared wait of "start" messages and which
// background failures go to the log.
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const { TunnelOutcomeWait } = require('../../dist/nodes/lib/tunnel-outcome');
const { TunnelFailureLog } = require('../../dist/nodes/lib/tunnel-failure-log');

/** Stands in for a TunnelKeeper: a status and `status` events. */
class FakeTunnel extends EventEmitter {
  constructor() {
    super();
    this.status = { state: 'idle' };
  }

  set(status) {
    this.status = status;
    this.emit('status', status);
  }
}

const settledWithin = (promise, ms) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe('tunnel outcome wait', () => {
  it('lets any number of starts wait on one listener, and answers them all at the outcome', async () => {
    const tunnel = new FakeTunnel();
    const wait = new TunnelOutcomeWait(tunnel, 10_000);
    const waits = Array.from({ length: 50 }, () => wait.next());
    assert.equal(tunnel.listenerCount('status'), 1);
    tunnel.set({ state: 'preparing' });
    tunnel.set({ state: 'connecting' });
    assert.equal(await settledWithin(Promise.race(waits), 20), false, 'not settled before an outcome');
    tunnel.set({ state: 'up', tunnelUrl: 'http://x/' });
    assert.equal(await settledWithin(Promise.all(waits), 100), true);
    assert.equal(tunnel.listenerCount('status'), 0, 'the listener is gone with the wait');
  });

  it('answers at once when the tunnel is up, at a failed attempt, at the time limit, or when released', async () => {
    const tunnel = new FakeTunnel();
    tunnel.set({ state: 'up' });
    assert.equal(await settledWithin(new TunnelOutcomeWait(tunnel, 10_000).next(), 20), true);

    tunnel.set({ state: 'connecting' });
    const wait = new TunnelOutcomeWait(tunnel, 10_000);
    const downWait = wait.next();
    tunnel.set({ state: 'down', error: new Error('refused'), retryInMs: 1000 });
    assert.equal(await settledWithin(downWait, 50), true);

    const timed = new TunnelOutcomeWait(tunnel, 30).next();
    assert.equal(await settledWithin(timed, 200), true);

    const released = wait.next();
    const sameWait = wait.next();
    wait.release();
    assert.equal(await settledWithin(Promise.all([released, sameWait]), 50), true);
    assert.equal(tunnel.listenerCount('status'), 0);
    // A new start after the release waits again (for the next outcome).
    const again = wait.next();
    assert.equal(tunnel.listenerCount('status'), 1);
    tunnel.set({ state: 'failed', error: new Error('host key changed') });
    assert.equal(await settledWithin(again, 50), true);
  });
});

describe('tunnel failure log', () => {
  const down = (message) => ({ state: 'down', error: new Error(message), retryInMs: 1000 });

  it('logs each cause of a failing tunnel once, however often it is retried', () => {
    const log = new TunnelFailureLog();
    const logged = [];
    const feed = (status) => {
      const cause = log.toLog(status);
      if (cause !== undefined) logged.push(cause);
    };
    for (let i = 0; i < 100; i++) {
      feed({ state: 'preparing' });
      feed(down('connect ECONNREFUSED'));
    }
    assert.deepEqual(logged, ['connect ECONNREFUSED']);
    feed({ state: 'connecting' });
    feed(down('HTTP 502'));
    feed(down('HTTP 502'));
    feed(down('connect ECONNREFUSED'));
    assert.deepEqual(logged, ['connect ECONNREFUSED', 'HTTP 502', 'connect ECONNREFUSED']);
  });

  it('starts again after the tunnel was up or stopped, and always logs a final failure', () => {
    const log = new TunnelFailureLog();
    assert.equal(log.toLog(down('timeout')), 'timeout');
    assert.equal(log.toLog(down('timeout')), undefined);
    assert.equal(log.toLog({ state: 'up', tunnelUrl: 'http://x/' }), undefined);
    assert.equal(log.toLog(down('timeout')), 'timeout', 'a new episode after being up');
    assert.equal(log.toLog({ state: 'stopped' }), undefined);
    assert.equal(log.toLog(down('timeout')), 'timeout', 'a new episode after a stop');
    assert.equal(log.toLog({ state: 'failed', error: new Error('host key changed') }), 'host key changed');
    assert.equal(log.toLog({ state: 'failed', error: new Error('host key changed') }), 'host key changed');
  });
});
