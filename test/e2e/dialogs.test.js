'use strict';
// The node dialogs as a person meets them, in headless Chromium on the `npm start` setup (Node-RED with this package
// and the example flows, against the emulator): the palette and quick-add names, port labels, human field labels
// that are not cut off, fixed values checked while typing with the runtime's rules, a node with a broken fixed value
// marked invalid before deploy, a row that takes its new type's defaults, the only account preselected, and lookups
// that name what an id is. Screenshots of each step go to .artifacts/dialogs/ (look at them).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DEMO } = require('../helpers/env');
const { openEditor } = require('../helpers/editor-browser');

const SHOTS = path.join(__dirname, '..', '..', '.artifacts', 'dialogs');

describe('the node dialogs in a browser', function () {
  this.timeout(120_000);
  let editor;
  let page;
  let pageErrors;
  /** Addresses the editor page asked for that are not this machine (the palette catalogue would be one). */
  const outbound = [];
  let redOutput = '';
  let editorPort;

  const shot = (name) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  /** Opens the edit dialog of the first node the predicate (run in the page, as a string) picks. */
  async function edit(pick) {
    const id = await page.evaluate((source) => {
      const test = new Function('n', `return (${source})(n)`);
      let found;
      RED.nodes.eachNode((n) => {
        if (!found && test(n)) found = n.id;
      });
      return found;
    }, pick.toString());
    assert.ok(id, `a node for ${pick}`);
    await page.evaluate((nodeId) => RED.editor.edit(RED.nodes.node(nodeId)), id);
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    await page.waitForTimeout(400);
    return id;
  }
  async function closeDialog(how = 'cancel') {
    await page.click(how === 'done' ? '#node-dialog-ok' : '#node-dialog-cancel');
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
  }

  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    editor = await openEditor({
      name: 'dialogs',
      settleMs: 800,
      onOutput: (c) => (redOutput += c),
      beforeLoad: (opened) =>
        opened.on('request', (req) => {
          const { hostname, protocol } = new URL(req.url());
          if (!['127.0.0.1', 'localhost'].includes(hostname) && protocol !== 'data:') outbound.push(req.url());
        }),
    });
    ({ page, pageErrors, editorPort } = editor);
  });

  after(() => editor?.close());

  afterEach(() => assert.deepEqual(pageErrors, []));

  it('opens on the echo bot, and the palette names the nodes "semilimes send", "semilimes receive", ...', async () => {
    await page.evaluate(() => $('#red-ui-palette-container-semilimes')[0].scrollIntoView());
    await shot('01-echo-bot-and-palette');
    const tab = await page.evaluate(() => RED.workspaces.active());
    assert.equal(tab, 'echo-tab');
    const labels = await page.evaluate(() =>
      [...document.querySelectorAll('.red-ui-palette-node[data-palette-type^="semilimes-"] .red-ui-palette-label')].map(
        (e) => e.textContent.replace(/\s+/g, ' ').trim(),
      ),
    );
    for (const name of ['send', 'receive', 'api', 'form', 'component'])
      assert.ok(labels.includes(`semilimes ${name}`), labels.join(', '));
  });

  it('the demo starts without a warning, asks nothing of the internet, and its examples follow its port', async () => {
    // Node-RED's own notes (projects disabled, unencrypted demo credentials) aside, no node of ours warns.
    const ours = redOutput
      .split('\n')
      .filter((line) => /\[(warn|error)\]/.test(line) && /semilimes|SSH key/.test(line));
    assert.deepEqual(ours, []);
    assert.deepEqual(outbound, []);
    const tunnelPort = await page.evaluate(() => RED.nodes.node('tunnel').localPort);
    assert.equal(Number(tunnelPort), editorPort);
    const cameraNote = await page.evaluate(() => RED.nodes.node('camera-note').info);
    assert.ok(cameraNote.includes(`127.0.0.1:${editorPort}/camera/snapshot`));
  });

  it('quick-add finds "semilimes send"', async () => {
    await page.click('#red-ui-workspace-chart', { position: { x: 700, y: 600 }, modifiers: ['Control'] });
    await page.waitForSelector('#red-ui-type-search-input', { state: 'visible' });
    await page.waitForTimeout(300);
    await page.click('#red-ui-type-search-input');
    await page.keyboard.type('semilimes send', { delay: 20 });
    await page.waitForTimeout(500);
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('#red-ui-type-search .red-ui-search-result-node-label')]
        .filter((e) => e.offsetParent !== null)
        .map((e) => e.textContent),
    );
    await shot('02-quick-add');
    const found = shown.length > 0 && shown[0].startsWith('semilimes send');
    if (!found) await page.keyboard.press('Escape');
    assert.ok(found, `quick-add shows: ${shown.join(', ')}`);
    // Enter adds it: a new send node, whose dialog has the only account chosen.
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    const added = await page.evaluate(() => {
      let id;
      RED.nodes.eachNode((n) => {
        if (n.type === 'semilimes-send' && !n.name && n.z === RED.workspaces.active() && n.id !== 'echo-send')
          id = n.id;
      });
      return id;
    });
    assert.ok(added, 'a send node was added');
    await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), added);
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    await page.waitForTimeout(400);
    const chosen = await page.$eval('#node-input-account', (e) => e.value);
    assert.equal(chosen, 'semilimes-demo-account', 'the only account is preselected');
    await shot('03-new-send-node');
    await closeDialog('done');
    const saved = await page.evaluate((id) => RED.nodes.node(id).account, added);
    assert.equal(saved, 'semilimes-demo-account');
    await page.evaluate((id) => {
      RED.nodes.remove(id);
      RED.view.redraw(true);
    }, added);
  });

  it('labels every port', async () => {
    const labels = await page.evaluate(() => {
      const out = {};
      for (const type of [
        'semilimes-send',
        'semilimes-receive',
        'semilimes-api',
        'semilimes-form',
        'semilimes-component',
      ]) {
        const def = RED.nodes.getType(type);
        out[type] = {
          // As the editor calls them: on a node, which has the type's translation function.
          input: def.inputs ? def.inputLabels && def.inputLabels.call({ _: def._ }, 0) : null,
          output: def.outputLabels && def.outputLabels.call({ _: def._ }, 0),
        };
      }
      return out;
    });
    for (const [type, { input, output }] of Object.entries(labels)) {
      assert.ok(output && !/port\./.test(output), `${type} output label: ${output}`);
      if (type !== 'semilimes-receive') assert.ok(input && !/port\./.test(input), `${type} input label: ${input}`);
    }
    // As a person sees it: hovering the echo flow's send node output shows the label.
    await page.hover('[id="echo-send"] .red-ui-flow-port-output .red-ui-flow-port');
    await page.waitForSelector('.red-ui-flow-port-tooltip', { state: 'visible', timeout: 5000 });
    const tip = await page.$eval('.red-ui-flow-port-tooltip', (e) => e.textContent);
    assert.match(tip, /sent/);
    await shot('04-port-label');
  });

  /** The dialog's field labels: none a raw API name, none cut off. */
  async function checkLabels(selector, rawNames) {
    const labels = await page.$$eval(selector, (els) =>
      els
        .filter((e) => e.offsetParent !== null)
        .map((e) => ({ text: e.textContent.trim(), cut: e.scrollWidth > e.clientWidth + 1 })),
    );
    assert.ok(labels.length > 3, `found ${labels.length} labels`);
    for (const { text, cut } of labels) {
      assert.ok(!cut, `label cut off: ${text}`);
      assert.ok(!rawNames.includes(text.replace(/ \*$/, '')), `raw API name as a label: ${text}`);
    }
    return labels.map((l) => l.text);
  }

  it('form dialog: human labels, nothing cut off, the documented range in the tooltip', async () => {
    await page.evaluate(() => RED.workspaces.show('lamp-tab'));
    await edit((n) => n.id === 'lamp-form');
    await page.evaluate(() => $('.semilimes-component-fields').show());
    await page.waitForTimeout(200);
    const labels = await checkLabels('.semilimes-field-row > label', [
      'authorizeSubmit',
      'requiredSelection',
      'submitEnabled',
      'hideSubmissionMsg',
      'retainStatus',
      'min',
      'max',
      'step',
    ]);
    assert.ok(labels.includes('Only the receiver may answer'), labels.join(' | '));
    const tip = await page.$eval('.semilimes-field-row > label', (e) => e.title);
    assert.match(tip, /^[a-zA-Z]+: /, 'the API name and what it takes');
    const rangeTip = await page.evaluate(() =>
      $('.semilimes-field-row > label')
        .filter((i, e) => e.textContent === 'Step')
        .attr('title'),
    );
    assert.match(rangeTip, /step: number/);
    await shot('05-form-dialog-labels');
    await closeDialog();
  });

  it("form dialog: a new row switched to slider takes the slider's defaults; min 50 > max 10 is marked while typing and the node is invalid", async () => {
    const id = await edit((n) => n.id === 'lamp-form');
    await page.evaluate(() =>
      $('#node-input-semilimes-components')
        .closest('.red-ui-editableList')
        .find('.red-ui-editableList-addButton')
        .first()
        .click(),
    );
    await page.waitForTimeout(300);
    const row = page.locator('#node-input-semilimes-components > li').last();
    await row.locator('select').first().selectOption('slider');
    await page.waitForTimeout(300);
    const title = await row.evaluate((el) => {
      const label = [...el.querySelectorAll('.semilimes-field-row > label')].find((l) =>
        l.textContent.startsWith('Title'),
      );
      return label ? $(label).next('input').typedInput('value') : null;
    });
    assert.notEqual(title, 'Textbox', 'a slider does not keep the text box title');
    async function typeInto(labelText, value) {
      const input = row
        .locator('.semilimes-field-row', { has: page.locator(`label:text-is("${labelText}")`) })
        .locator('.red-ui-typedInput-input-wrap input')
        .first();
      await input.fill('');
      await input.type(value);
    }
    await typeInto('Minimum', '50');
    await typeInto('Maximum', '10');
    await page.waitForSelector('#node-input-semilimes-problems:visible', { timeout: 5000 });
    const problem = await page.$eval('#node-input-semilimes-problems', (e) => e.textContent);
    assert.match(problem, /min = 50 must be less than max \(10\)/);
    await row.evaluate((el) => el.scrollIntoView());
    await shot('06-slider-min-above-max');
    await closeDialog('done');
    await page.waitForFunction((nodeId) => RED.nodes.node(nodeId).valid === false, id, { timeout: 5000 });
    await page.evaluate((nodeId) => RED.view.reveal(nodeId), id);
    await page.waitForTimeout(500);
    await shot('07-form-node-invalid');
    // Deploy warns about it.
    await page.click('#red-ui-header-button-deploy');
    await page.waitForSelector('.red-ui-notification', { state: 'visible', timeout: 5000 });
    await page.waitForTimeout(700); // the notification slides in
    const warning = await page.$eval('.red-ui-notification', (e) => e.textContent);
    assert.match(warning, /invalid/i);
    await shot('08-deploy-warns');
    await page.keyboard.press('Escape');
    await page.evaluate(() =>
      $('.red-ui-notification button')
        .filter((i, b) => /cancel/i.test(b.textContent))
        .click(),
    );
    await page.waitForTimeout(300);
  });

  it('api dialog: human parameter labels, nothing cut off, no two rows with the same label', async () => {
    await page.evaluate(() => RED.workspaces.show('feed-tab'));
    await edit((n) => n.id === 'feed-add');
    await page.waitForSelector('.semilimes-api-param');
    const labels = await checkLabels('.semilimes-api-param > label', [
      'dataComponents',
      'dataComponent',
      'enableReactions',
      'pinWall',
    ]);
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
    await shot('09-api-dialog');
    await closeDialog();
  });

  it("lookup: lists the account's people with their ids and names the chosen id beside the field", async () => {
    await page.evaluate(() => RED.workspaces.show('camera-tab'));
    await edit((n) => n.id === 'camera-send');
    // The example reads the id from the environment; type one instead, as a person would.
    await page.click('.semilimes-lookup-button');
    await page.waitForSelector('.semilimes-lookup-list li', { timeout: 10_000 });
    const rows = await page.$$eval('.semilimes-lookup-list li', (els) => els.map((e) => e.textContent));
    assert.ok(
      rows.some((r) => r.includes('Alice') && r.includes(DEMO.alice)),
      rows.join(' | '),
    );
    await page.click(`.semilimes-lookup-list li:has-text("Alice")`);
    await page.waitForSelector('.semilimes-lookup-name:visible');
    assert.match(await page.$eval('.semilimes-lookup-name', (e) => e.textContent), /Alice/);
    await shot('10-lookup-named');
    await closeDialog();
  });

  it('lookup: follows a change of account, and the name beside the id with it', async () => {
    await page.evaluate(() =>
      RED.view.importNodes([
        {
          id: 'other-account',
          type: 'semilimes-account',
          name: 'another account',
          baseUrl: 'https://api.semilimes.net',
        },
      ]),
    );
    await edit((n) => n.id === 'camera-send');
    await page.click('.semilimes-lookup-button');
    await page.click(`.semilimes-lookup-list li:has-text("Alice")`);
    await page.waitForSelector('.semilimes-lookup-name:visible');
    // Another account (not deployed, no key): Alice is not one of its contacts as far as the dialog knows.
    await page.selectOption('#node-input-account', 'other-account');
    await page.waitForSelector('.semilimes-lookup-name', { state: 'hidden', timeout: 5000 });
    await page.click('.semilimes-lookup-button');
    await page.waitForFunction(() => /API key|deploy/i.test($('.semilimes-lookup-panel .form-tips').text()), null, {
      timeout: 5000,
    });
    await shot('11-lookup-other-account');
    await page.click('.semilimes-lookup-button');
    // Back to the first account: the name comes back without opening the list.
    await page.selectOption('#node-input-account', 'semilimes-demo-account');
    await page.waitForSelector('.semilimes-lookup-name:visible', { timeout: 10_000 });
    assert.match(await page.$eval('.semilimes-lookup-name', (e) => e.textContent), /Alice/);
    await closeDialog();
  });
});
