'use strict';
// The pieces of the node harness that need no runtime: one outcome per message whatever the order of events, and
// which deploys close a node.
const assert = require('node:assert/strict');
const { InFlight } = require('../../dist/nodes/lib/in-flight');
const { deployStops } = require('../../dist/nodes/lib/deploy-stop');
const { shortCause, StatusView } = require('../../dist/nodes/lib/status');

const tick = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('node harness pieces', () => {
  describe('InFlight', () => {
    it('ends a message once: a late success after a cut-short neither sends nor calls done again', async () => {
      const inFlight = new InFlight();
      const answer = deferred();
      const done = [];
      const sent = [];
      inFlight.run(
        () => answer.promise,
        (err) => done.push(err),
        (v) => sent.push(v),
        (err) => done.push(err),
      );
      await tick();
      inFlight.cutShortAll(() => new Error('cut short'));
      inFlight.cutShortAll(() => new Error('cut short again'));
      answer.resolve('late');
      await tick();
      assert.deepEqual(
        done.map((e) => e.message),
        ['cut short'],
      );
      assert.deepEqual(sent, []);
    });

    it('turns a throw inside the work into one failure', async () => {
      const inFlight = new InFlight();
      const failures = [];
      inFlight.run(
        () => {
          throw new Error('sync throw');
        },
        assert.fail,
        assert.fail,
        (err) => failures.push(err.message),
      );
      await tick();
      assert.deepEqual(failures, ['sync throw']);
      assert.equal(inFlight.size, 0);
    });

    it('still calls done once with the error when the success handler itself throws', async () => {
      const inFlight = new InFlight();
      const done = [];
      inFlight.run(
        async () => 'value',
        (err) => done.push(err),
        () => {
          throw new Error('handler broke');
        },
        assert.fail,
      );
      await tick();
      assert.equal(done.length, 1);
      assert.equal(done[0].message, 'handler broke');
    });

    it('gives work that reads its signal only after the close an aborted one', async () => {
      const inFlight = new InFlight();
      let control;
      let release;
      inFlight.run(
        (signal) => {
          control = { signal };
          return new Promise((resolve) => (release = resolve));
        },
        () => {},
        assert.fail,
        assert.fail,
      );
      await tick();
      const closing = inFlight.closeAll(() => new Error('closed'), 200);
      assert.equal(control.signal.aborted, true);
      release();
      await closing;
    });

    it('aborts the work on close, waits for it to settle, and bounds the wait', async () => {
      const inFlight = new InFlight();
      let aborted = false;
      let settledAt = 0;
      inFlight.run(
        (signal) =>
          new Promise((resolve) =>
            signal.addEventListener('abort', () => {
              aborted = true;
              setTimeout(() => {
                settledAt = Date.now();
                resolve();
              }, 30);
            }),
          ),
        () => {},
        assert.fail,
        assert.fail,
      );
      inFlight.run(
        () => new Promise(() => {}),
        () => {},
        assert.fail,
        assert.fail,
      ); // never settles
      await tick();
      const started = Date.now();
      await inFlight.closeAll(() => new Error('closed'), 200);
      assert.ok(aborted);
      assert.ok(settledAt > 0, 'the aborted work settled before the close finished');
      assert.ok(Date.now() - started < 1000);
      assert.ok(inFlight.isClosed);
    });
  });

  describe('deployStops', () => {
    const node = { id: 'n1', z: 'tab1' };
    it('is true for a full deploy and for a changed or removed node', () => {
      assert.equal(deployStops(node, { type: 'full', diff: {} }), true);
      assert.equal(deployStops(node, { type: 'nodes', diff: { changed: ['n1'] } }), true);
      assert.equal(deployStops(node, { type: 'nodes', diff: { removed: ['n1'] } }), true);
    });
    it('is false for a modified-nodes deploy of other nodes', () => {
      assert.equal(deployStops(node, { type: 'nodes', diff: { changed: ['n2'], rewired: ['n1'] } }), false);
    });
    it('follows a modified-flows deploy: rewired, linked or a changed tab', () => {
      assert.equal(deployStops(node, { type: 'flows', diff: { rewired: ['n1'] } }), true);
      assert.equal(deployStops(node, { type: 'flows', diff: { flowChanged: ['tab1'] } }), true);
      assert.equal(deployStops(node, { type: 'flows', diff: { flowChanged: ['tab2'], changed: ['n2'] } }), false);
    });
    it('knows a subflow instance node by its alias', () => {
      assert.equal(
        deployStops({ id: 'copy', _alias: 'n1', z: 'sf' }, { type: 'nodes', diff: { changed: ['n1'] } }),
        true,
      );
    });
  });

  it('shortens a cause for the status line to its first line and 40 characters', () => {
    assert.equal(shortCause('short'), 'short');
    assert.equal(shortCause('first line\nsecond line'), 'first line');
    const long = shortCause('x'.repeat(200));
    assert.equal(long.length, 40);
    assert.ok(long.endsWith('…'));
  });

  describe('the status line a person reads at a glance', () => {
    /** A StatusView whose shown statuses are collected; `view.last` is the one on screen. */
    function view(connected = true) {
      const shown = [];
      const v = new StatusView((s) => shown.push(s), connected);
      Object.defineProperty(v, 'last', { get: () => shown[shown.length - 1] });
      return v;
    }
    const up = { state: 'connected' };

    it('connected and idle: "connected"; after an action: only the action and its time', () => {
      const v = view();
      v.connectionChanged(up, 'connected');
      assert.deepEqual(v.last, { fill: 'green', shape: 'dot', text: 'connected' });
      v.succeeded('sent');
      assert.match(v.last.text, /^sent \d\d:\d\d:\d\d$/);
    });

    it('a failure shows its cause first and alone, however long the key has', () => {
      const v = view();
      v.connectionChanged(up, 'connected');
      v.keyStatus('key: 364 d left', false);
      v.failed('failed', 'recipient not found: 0a11ce00-0000-4000-8000-0000000000a1 is no contact');
      assert.equal(v.last.fill, 'red');
      assert.equal(v.last.text, 'failed: recipient not found: 0a11ce00-0000-4000…');
      assert.ok(v.last.text.length <= 48);
    });

    it("shows the key's days left only under the warning limit, first and in yellow", () => {
      const v = view();
      v.connectionChanged(up, 'connected');
      v.keyStatus('key: 364 d left', false);
      assert.equal(v.last.text, 'connected');
      v.keyStatus('key: 3 d left', true);
      v.succeeded('sent');
      assert.equal(v.last.fill, 'yellow');
      assert.match(v.last.text, /^key: 3 d left · sent \d\d:\d\d:\d\d$/);
    });

    it('a lost connection shows as the connection state alone, not an old action', () => {
      const v = view();
      v.connectionChanged(up, 'connected');
      v.succeeded('sent');
      v.connectionChanged({ state: 'disconnected' }, 'disconnected');
      assert.deepEqual(v.last, { fill: 'red', shape: 'ring', text: 'disconnected' });
      v.connectionChanged({ state: 'unauthorized' }, 'unauthorized: check the API key');
      assert.equal(v.last.text, 'unauthorized: check the API key');
    });

    it('a busy node: one status per second for the same action, yet every change still shows at once', () => {
      const shown = [];
      const v = new StatusView((s) => shown.push(s), true);
      v.connectionChanged(up, 'connected');
      // Stay within one second of the clock, so that the time on the line cannot change during the checks.
      while (Date.now() % 1000 > 800);
      const before = shown.length;
      for (let i = 0; i < 1000; i++) v.succeeded('sent');
      assert.equal(shown.length, before + 1, 'a thousand sends in one second: one status update');
      const expected = new Date().toTimeString().slice(0, 8);
      assert.equal(shown.at(-1).text, `sent ${expected}`, 'the local time of this second');
      v.transient({ fill: 'blue', shape: 'dot', text: 'uploading 40 %' });
      v.succeeded('sent');
      assert.equal(shown.at(-1).text, `sent ${expected}`, 'a transient status is replaced by the next success');
      v.failed('failed', 'refused');
      v.succeeded('sent');
      assert.deepEqual(shown.at(-1), { fill: 'green', shape: 'dot', text: `sent ${expected}` });
      v.succeeded('updated');
      assert.equal(shown.at(-1).text, `updated ${expected}`, 'another action within the same second');
      v.waiting('3 waiting');
      v.succeeded('updated');
      assert.equal(shown.at(-1).text, `3 waiting · updated ${expected}`);
    });

    it('a node without a connection shows what it built', () => {
      const v = view(false);
      v.succeeded('built');
      assert.equal(v.last.fill, 'green');
      assert.match(v.last.text, /^built \d\d:\d\d:\d\d$/);
    });
  });
});
