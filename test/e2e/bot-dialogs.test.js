'use strict';
// The dialogs of the bot features as a person uses them, in Node-RED with the example flows (the `npm start` setup),
// driven by headless Chromium: the receive node's allow-list, second output and loop guard; the send node's
// per-message settings; the command node's rules and outputs; the events node's choices.
const assert = require('node:assert/strict');
const { openEditor } = require('../helpers/editor-browser');

describe('bot feature dialogs in a browser', function () {
  this.timeout(120_000);
  let editor;
  let page;
  let pageErrors;

  before(async () => {
    editor = await openEditor({
      name: 'bot-dialogs',
      ready: () => window.RED && RED.nodes && RED.nodes.node('lights-recv'),
    });
    ({ page, pageErrors } = editor);
  });

  after(() => editor?.close());

  const open = async (id, selector) => {
    await page.evaluate((nodeId) => RED.editor.edit(RED.nodes.node(nodeId)), id);
    await page.waitForSelector('#node-dialog-ok', { state: 'visible' });
    // A typed input hides the field it was made from: the field is there, its widget is what shows.
    await page.waitForSelector(selector, { state: 'attached' });
    await page.waitForTimeout(300);
  };
  const done = async () => {
    await page.click('#node-dialog-ok');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
  };
  const nodeProps = (id, props) =>
    page.evaluate(
      ([nodeId, names]) => Object.fromEntries(names.map((n) => [n, RED.nodes.node(nodeId)[n]])),
      [id, props],
    );

  it('receive: the allow-list from global context, the second output and the loop guard', async () => {
    await open('lights-recv', '#node-input-senderIds');
    assert.equal(await page.evaluate(() => $('#node-input-senderIds').typedInput('type')), 'global');
    assert.equal(await page.evaluate(() => $('#node-input-senderIds').typedInput('value')), 'lightsAllowed');
    assert.equal(await page.isChecked('#node-input-ignoreOwn'), true, 'the loop guard is on');
    assert.equal(await page.isChecked('#node-input-strangers'), true);
    await page.click('#node-input-strangers');
    await done();
    assert.deepEqual(await nodeProps('lights-recv', ['strangers', 'outputs', 'senderIdsType']), {
      strangers: false,
      outputs: 1,
      senderIdsType: 'global',
    });
    assert.deepEqual(pageErrors, []);
  });

  it('receive: a new node has the loop guard on and one output', async () => {
    const id = await page.evaluate(() => {
      const def = RED.nodes.getType('semilimes-receive');
      return Object.fromEntries(Object.entries(def.defaults).map(([k, v]) => [k, v.value]));
    });
    assert.equal(id.ignoreOwn, true);
    assert.equal(id.strangers, false);
    assert.equal(id.outputs, 1);
  });

  it("send: timeout, silent and the reaction's component are typed inputs, and a timeout out of bounds is flagged", async () => {
    await open('doorbell-send', '#node-input-timeout');
    await page.evaluate(() => $('#node-input-timeout').typedInput('value', '5000'));
    await page.evaluate(() => $('#node-input-silent').typedInput('type', 'env'));
    await page.evaluate(() => $('#node-input-silent').typedInput('value', 'QUIET_BELL'));
    await done();
    assert.deepEqual(await nodeProps('doorbell-send', ['timeout', 'timeoutType', 'silent', 'silentType', 'valid']), {
      timeout: '5000',
      timeoutType: 'num',
      silent: 'QUIET_BELL',
      silentType: 'env',
      valid: true,
    });
    await open('doorbell-send', '#node-input-timeout');
    await page.evaluate(() => $('#node-input-timeout').typedInput('value', '50'));
    await done();
    assert.equal((await nodeProps('doorbell-send', ['valid'])).valid, false, 'a 50 ms timeout is flagged');
    // The component row shows for reactions only.
    await open('doorbell-send', '#node-input-action');
    assert.equal(await page.isVisible('.semilimes-send-row-messageRefName'), false);
    await page.selectOption('#node-input-action', 'react');
    assert.equal(await page.isVisible('.semilimes-send-row-messageRefName'), true);
    await page.click('#node-dialog-cancel');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('command: a rule added in the dialog adds an output', async () => {
    await open('lights-cmd', '#node-input-rule-container');
    await page.click('.red-ui-editableList-addButton');
    const rows = page.locator('#node-input-rule-container .semilimes-command-value');
    await rows.nth(1).fill('start');
    await done();
    const props = await nodeProps('lights-cmd', ['rules', 'outputs', 'valid']);
    assert.deepEqual(props.rules, [
      { t: 'command', v: 'lights' },
      { t: 'command', v: 'start' },
    ]);
    assert.equal(props.outputs, 3, 'two rules and the output for everything else');
    assert.equal(props.valid, true);
    assert.deepEqual(pageErrors, []);
  });

  it('events: a node that passes on nothing is flagged', async () => {
    await open('alert-events', '#node-input-connection');
    await page.click('#node-input-connection');
    await page.click('#node-input-key');
    await done();
    assert.equal((await nodeProps('alert-events', ['valid'])).valid, false);
    assert.deepEqual(pageErrors, []);
  });
});
