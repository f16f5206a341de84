'use strict';
// The editor as a person sees it: Node-RED started with this package and every example flow (the `npm start`
// setup), driven by headless Chromium. Every node must be valid, every node's dialog must open and close without a
// page error, the lookup must list the account's contacts, and deployed nodes must show their connection.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const jsQR = require('jsqr');
const { startSimplexEmulator } = require('../../dist/simplex-emulator');
const { waitFor } = require('../helpers/env');
const { openEditor } = require('../helpers/editor-browser');

const pkg = require('../../package.json');

describe('the editor in a browser', function () {
  this.timeout(120_000);
  let editor;
  let sxEmu;
  let sxDir;
  let page;
  let pageErrors;

  before(async () => {
    // The SimpleX examples reach their CLI through these variables (Node-RED inherits them).
    sxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'simplex-editor-'));
    sxEmu = await startSimplexEmulator({ port: 0, seed: 'demo', filesFolder: sxDir });
    process.env.SIMPLEX_CLI_URL = sxEmu.url;
    process.env.SIMPLEX_FILES_FOLDER = sxEmu.filesFolder;
    editor = await openEditor({ name: 'editor' });
    ({ page, pageErrors } = editor);
  });

  after(async () => {
    await editor?.close();
    if (sxEmu) await sxEmu.close();
    if (sxDir) fs.rmSync(sxDir, { recursive: true, force: true });
    delete process.env.SIMPLEX_CLI_URL;
    delete process.env.SIMPLEX_FILES_FOLDER;
  });

  it('puts every node type of the package in the palette (config nodes in the config list)', async () => {
    const types = Object.keys(pkg['node-red'].nodes);
    const missing = await page.evaluate((all) => all.filter((t) => !RED.nodes.getType(t)), types);
    assert.deepEqual(missing, []);
    const inPalette = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          '.red-ui-palette-node[data-palette-type^="semilimes-"], .red-ui-palette-node[data-palette-type^="simplex-"]',
        ),
      ].map((e) => e.dataset.paletteType),
    );
    const expected = types.filter((t) => t !== 'semilimes-account' && t !== 'simplex-cli');
    assert.deepEqual([...new Set(inPalette)].sort(), expected.sort());
  });

  it('shows every example node as valid', async () => {
    const invalid = await page.evaluate(() => {
      const out = [];
      // Callbacks must not return false: eachNode stops there.
      const check = (n) => {
        if (n.valid === false) out.push(`${n.type} ${n.id}: ${JSON.stringify(n.validationErrors)}`);
      };
      RED.nodes.eachNode(check);
      RED.nodes.eachConfig(check);
      return out;
    });
    assert.deepEqual(invalid, []);
    const counted = await page.evaluate(() => {
      let n = 0;
      RED.nodes.eachNode(() => {
        n++;
      });
      return n;
    });
    assert.ok(counted > 20, `looked at ${counted} nodes`);
  });

  it('opens and closes the dialog of every semilimes and SimpleX node without a page error', async () => {
    const ids = await page.evaluate(() => {
      const out = [];
      const collect = (n) => {
        if (n.type.startsWith('semilimes-') || n.type.startsWith('simplex-')) out.push(n.id);
      };
      RED.nodes.eachNode(collect);
      RED.nodes.eachConfig(collect);
      return out;
    });
    assert.ok(ids.length >= 10, `only ${ids.length} semilimes nodes in the examples`);
    for (const id of ids) {
      await page.evaluate((nodeId) => {
        const node = RED.nodes.node(nodeId);
        if (node._def.category === 'config') RED.editor.editConfig('', node.type, node.id);
        else RED.editor.edit(node);
      }, id);
      await page.waitForSelector('.red-ui-tray', { state: 'visible' });
      await page.waitForTimeout(150);
      await page.evaluate(() => RED.tray.close());
      await page.waitForSelector('.red-ui-tray', { state: 'detached' });
      assert.deepEqual(pageErrors, [], `page error after the dialog of ${id}`);
    }
  });

  it("lists the account's contacts in the destination lookup", async () => {
    const sendId = await page.evaluate(() => {
      let found;
      RED.nodes.eachNode((n) => {
        if (!found && n.type === 'semilimes-send' && n.chatKind !== 'auto') found = n.id;
      });
      return found;
    });
    assert.ok(sendId, 'an example send node with a fixed destination');
    await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), sendId);
    await page.waitForSelector('.semilimes-lookup-button', { state: 'visible' });
    await page.click('.semilimes-lookup-button');
    await page.waitForFunction(() => document.body.innerText.includes('Alice'), null, { timeout: 10_000 });
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it("lists contacts in the form node's receiver lookup, through the account picked for lookups", async () => {
    const formId = await page.evaluate(() => {
      let found;
      RED.nodes.eachNode((n) => {
        if (!found && n.type === 'semilimes-form') found = n.id;
      });
      return found;
    });
    assert.ok(formId, 'an example form node');
    await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), formId);
    await page.waitForSelector('#node-input-receiverKind', { state: 'visible' });
    await page.selectOption('#node-input-receiverKind', 'contact');
    const accountId = await page.evaluate(() => {
      let id;
      RED.nodes.eachConfig((n) => {
        if (n.type === 'semilimes-account') id = n.id;
      });
      return id;
    });
    await page.waitForSelector('select#node-input-account');
    await page.selectOption('select#node-input-account', accountId);
    await page.click('.semilimes-form-receiver-id .semilimes-lookup-button');
    await page.waitForFunction(() => document.body.innerText.includes('Bob'), null, { timeout: 10_000 });
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('imports a flow saved by 0.1.0 with its values under the new property names, in the dialog too', async () => {
    const saved = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'flows-0.1.0', 'channel-on-a-timer.json'), 'utf8'),
    );
    const old = saved.find((n) => n.type === 'semilimes-send');
    assert.equal(old.destinationType, 'channel');
    const imported = await page.evaluate((flow) => {
      const before = new Set();
      RED.nodes.eachNode((n) => {
        before.add(n.id);
      });
      RED.view.importNodes(flow, { generateIds: true, addFlow: true });
      let found;
      RED.nodes.eachNode((n) => {
        if (!found && !before.has(n.id) && n.type === 'semilimes-send') found = n;
      });
      const {
        id,
        chatKind,
        chatId,
        chatIdType,
        messageId,
        version,
        destinationType,
        destination,
        valid,
        silentType,
        timeoutType,
      } = found;
      return {
        id,
        chatKind,
        chatId,
        chatIdType,
        messageId,
        version,
        destinationType,
        destination,
        valid,
        silentType,
        timeoutType,
      };
    }, saved);
    assert.deepEqual(
      { ...imported, id: undefined },
      {
        id: undefined,
        chatKind: 'channel',
        chatId: old.destination,
        chatIdType: old.destinationTypeInput,
        messageId: old.messageIdProp,
        version: 2,
        destinationType: undefined,
        destination: undefined,
        valid: true,
        // Settings added since 0.1.0 get the values their migration step gives.
        silentType: 'bool',
        timeoutType: 'num',
      },
    );
    await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), imported.id);
    await page.waitForSelector('#node-input-chatKind', { state: 'visible' });
    assert.equal(await page.$eval('#node-input-chatKind', (e) => e.value), 'channel');
    assert.equal(await page.evaluate(() => $('#node-input-chatId').typedInput('value')), old.destination);
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('keeps the fields two form component types share when a row changes type', async () => {
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('lamp-form')));
    // The rows render once the component definitions have come from the runtime.
    await page.waitForFunction(() => {
      const items = $('#node-input-semilimes-components').editableList('items');
      const first = items.length > 0 && $(items[0]).data('data');
      return Boolean(first && typeof first.read === 'function');
    });
    // editableList('items') holds one jQuery object per row.
    const firstRow = () => $($('#node-input-semilimes-components').editableList('items')[0]).data('data').read();
    const before = await page.evaluate(firstRow);
    assert.equal(before.type, 'label');
    assert.ok(before.fields.title && before.fields.title.v, 'the label has a title');
    const select = await page.$('#node-input-semilimes-components li:first-child select');
    await select.selectOption('textbox');
    const after = await page.evaluate(firstRow);
    assert.equal(after.type, 'textbox');
    assert.deepEqual(after.fields.title, before.fields.title);
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('previews an emptied field with the documented default that will be sent', async () => {
    const previewed = await page.evaluate(() =>
      window.semilimesFieldEditor.preview(
        { step: { kind: 'number', default: 1 }, title: { kind: 'string' } },
        { step: { v: '', t: 'num' }, title: { v: 'Level', t: 'str' } },
        { refName: 'level', formComponentType: 'slider' },
      ),
    );
    assert.deepEqual(previewed, { refName: 'level', formComponentType: 'slider', step: 1, title: 'Level' });
  });

  it("shows the deployed bot's address in the SimpleX CLI dialog, and the SimpleX dialogs as a person sees them", async () => {
    const shots = process.env.EDITOR_SCREENSHOTS;
    const snap = async (name) => {
      if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
    };
    await page.evaluate(() => RED.editor.editConfig('', 'simplex-cli', 'simplex-demo-cli'));
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    await waitFor(() => page.evaluate(() => $('#simplex-cli-address').text()), 'the address in the dialog', 10_000);
    const shown = await page.evaluate(() => $('#simplex-cli-address').text());
    assert.equal(shown, sxEmu.control.address().connShortLink);
    // The QR code a person scans with the phone: read back from the canvas pixels as a phone camera would.
    const drawn = await page.evaluate(() => {
      const canvas = document.getElementById('simplex-cli-qr');
      const { width, height } = canvas;
      const visible = canvas.offsetWidth > 0;
      return {
        visible,
        width,
        height,
        rgba: Array.from(canvas.getContext('2d').getImageData(0, 0, width, height).data),
      };
    });
    assert.ok(drawn.visible, 'the QR code is shown');
    const decoded = jsQR(Uint8ClampedArray.from(drawn.rgba), drawn.width, drawn.height);
    assert.equal(decoded && decoded.data, sxEmu.control.address().connShortLink);
    const menuRows = await page.evaluate(() => $('#node-input-menu-container').editableList('items').length);
    assert.equal(menuRows, 5);
    await snap('simplex-cli');
    await page.evaluate(() => document.getElementById('simplex-cli-copy').scrollIntoView());
    await snap('simplex-cli-startup');
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    for (const id of ['sx-home-recv', 'sx-bcast-confirm', 'sx-mod-delete']) {
      await page.evaluate((nodeId) => RED.editor.edit(RED.nodes.node(nodeId)), id);
      await page.waitForSelector('.red-ui-tray', { state: 'visible' });
      await page.waitForTimeout(400);
      if (id === 'sx-mod-delete') {
        const params = await page.evaluate(() =>
          $('.simplex-command-param')
            .map((i, e) => $(e).attr('data-param'))
            .get(),
        );
        assert.deepEqual(params, ['groupId', 'chatItemIds']);
      }
      await snap(id);
      await page.evaluate(() => RED.tray.close());
      await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    }
    assert.deepEqual(pageErrors, []);
  });

  it("lists the SimpleX contacts in the send node's chat lookup", async () => {
    await page.evaluate(() => RED.editor.edit(RED.nodes.node('sx-echo-send')));
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    await page.click('.red-ui-tray button:has(i.fa-search)');
    await waitFor(
      () =>
        page.evaluate(() =>
          $('.simplex-lookup-list > div')
            .map((i, e) => $(e).text())
            .get()
            .some((t) => /Alice/.test(t)),
        ),
      'Alice in the lookup',
      10_000,
    );
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('shows the account\'s pacing settings empty ("no limit") and refuses a rate that is not one', async () => {
    const accountId = await page.evaluate(() => {
      let id;
      RED.nodes.eachConfig((n) => {
        if (n.type === 'semilimes-account') id = id || n.id;
      });
      return id;
    });
    await page.evaluate((id) => RED.editor.editConfig('', 'semilimes-account', id), accountId);
    await page.waitForSelector('#node-config-input-ratePerChat', { state: 'visible' });
    const shown = await page.evaluate(() => ({
      perChat: $('#node-config-input-ratePerChat').val(),
      perAccount: $('#node-config-input-ratePerAccount').val(),
      waiting: $('#node-config-input-maxQueued').val(),
      atOnce: $('#node-config-input-inFlightPerChat').val(),
      atOncePlaceholder: $('#node-config-input-inFlightPerChat').attr('placeholder'),
      atOnceVisible: $('#node-config-input-inFlightPerChat').is(':visible'),
      placeholder: $('#node-config-input-ratePerChat').attr('placeholder'),
      tip: $('.form-tips').text(),
    }));
    assert.deepEqual([shown.perChat, shown.perAccount, shown.waiting, shown.atOnce], ['', '', '', '']);
    assert.equal(shown.placeholder, 'no limit');
    assert.equal(shown.atOncePlaceholder, '32');
    assert.ok(shown.atOnceVisible, '"At once" is on the dialog');
    assert.match(shown.tip, /too many requests/);
    assert.match(shown.tip, /At once.* to 1 when the order must hold/);
    const def = await page.evaluate(() => RED.nodes.getType('semilimes-account').defaults);
    assert.ok(def.ratePerChat && def.maxQueued, 'the settings are saved with the node');
    const valid = await page.evaluate(() => {
      const { ratePerChat, maxQueued, inFlightPerChat } = RED.nodes.getType('semilimes-account').defaults;
      return {
        rateMinus: ratePerChat.validate('-1', {}),
        rateOk: ratePerChat.validate('2.5', {}),
        rateEmpty: ratePerChat.validate('', {}),
        queuedZero: maxQueued.validate('0', {}),
        queuedOk: maxQueued.validate('50', {}),
        atOnceOne: inFlightPerChat.validate('1', {}),
        atOnceZero: inFlightPerChat.validate('0', {}),
        atOnceHalf: inFlightPerChat.validate('2.5', {}),
      };
    });
    assert.equal(valid.rateOk, true);
    assert.equal(valid.rateEmpty, true);
    assert.equal(valid.queuedOk, true);
    assert.match(String(valid.rateMinus), /messages per second/);
    assert.match(String(valid.queuedZero), /whole number/);
    assert.equal(valid.atOnceOne, true);
    assert.match(String(valid.atOnceZero), /whole number from 1 to 1000/);
    assert.match(String(valid.atOnceHalf), /whole number from 1 to 1000/);
    await page.evaluate(() => RED.tray.close());
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
    assert.deepEqual(pageErrors, []);
  });

  it('shows the connection under deployed nodes', async () => {
    await waitFor(
      () =>
        page.evaluate(() => {
          let connected = 0;
          RED.nodes.eachNode((n) => {
            if (n.type === 'semilimes-receive' && n.status && /connected/.test(n.status.text || '')) connected++;
          });
          return connected > 0;
        }),
      'a receive node showing "connected"',
      20_000,
    );
  });

  /** Drags a node type from the palette onto the workspace, as a person adds a node; resolves with its id. */
  async function dropFromPalette(type) {
    const before = await page.evaluate((t) => RED.nodes.filterNodes({ type: t }).map((n) => n.id), type);
    const source = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`).first();
    await source.scrollIntoViewIfNeeded();
    const from = await source.boundingBox();
    const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + chart.width / 2, chart.y + chart.height / 2, { steps: 12 });
    await page.mouse.up();
    const added = await waitFor(
      () =>
        page.evaluate(
          ([t, old]) =>
            RED.nodes
              .filterNodes({ type: t })
              .map((n) => n.id)
              .find((id) => !old.includes(id)),
          [type, before],
        ),
      `a new ${type} node on the workspace`,
    );
    await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), added);
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    return added;
  }

  async function closeDialog(button = '#node-dialog-cancel') {
    await page.click(button);
    await page.waitForSelector('.red-ui-tray', { state: 'detached' });
  }

  it("gives a new tunnel node an RSA key, ed25519 when chosen before the first deploy, and keeps the deployed key's type", async () => {
    const id = await dropFromPalette('semilimes-tunnel');
    const publicKey = () => page.locator('#semilimes-tunnel-publicKey').innerText();
    await waitFor(
      async () => /^ssh-rsa [A-Za-z0-9+/=]+ semilimes-tunnel$/.test(await publicKey()),
      'an RSA public key in the dialog',
      20_000,
    );
    assert.equal(await page.inputValue('#node-input-keyType'), 'rsa');
    await page.selectOption('#node-input-keyType', 'ed25519');
    await waitFor(async () => /^ssh-ed25519 /.test(await publicKey()), 'an ed25519 public key in the dialog', 20_000);
    const shown = await publicKey();
    const accountId = await page.evaluate(() => {
      let found;
      RED.nodes.eachConfig((n) => {
        if (n.type === 'semilimes-account') found = n.id;
      });
      return found;
    });
    await page.selectOption('select#node-input-account', accountId);
    await page.uncheck('#node-input-autoStart'); // no tunnel server behind the emulator
    await closeDialog('#node-dialog-ok');

    await page.click('#red-ui-header-button-deploy');
    await waitFor(() => page.evaluate(() => !RED.nodes.dirty()), 'the deploy to finish', 20_000);
    const stored = await page.evaluate(
      (nodeId) => fetch(`credentials/semilimes-tunnel/${nodeId}`).then((r) => r.json()),
      id,
    );
    assert.equal(stored.has_privateKey, true);
    assert.equal(stored.privateKey, undefined, 'the private key never comes back to the editor');
    assert.equal(stored.publicKey, shown, 'the key shown is the key deployed');

    await page.evaluate((nodeId) => RED.editor.edit(RED.nodes.node(nodeId)), id);
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    await waitFor(async () => (await publicKey()) === shown, 'the deployed key in the dialog');
    assert.equal(await page.inputValue('#node-input-keyType'), 'ed25519');
    assert.equal(await page.isDisabled('#node-input-keyType'), true, 'an existing key keeps its type');
    await closeDialog();
    assert.deepEqual(pageErrors, []);
  });

  it("keeps a new file node's paths inside the files folder; a node saved by 0.1.0 allows any path", async () => {
    await dropFromPalette('semilimes-file');
    assert.equal(await page.inputValue('#node-input-folder'), 'files');
    await closeDialog();

    const saved = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'flows-0.1.0', 'camera-snapshot-to-chat.json'), 'utf8'),
    );
    const old = saved.find((n) => n.type === 'semilimes-file');
    assert.equal(old.folder, undefined);
    const id = await page.evaluate((flow) => {
      const before = new Set(RED.nodes.filterNodes({ type: 'semilimes-file' }).map((n) => n.id));
      RED.view.importNodes(flow, { generateIds: true, addFlow: true });
      return RED.nodes.filterNodes({ type: 'semilimes-file' }).find((n) => !before.has(n.id)).id;
    }, saved);
    await page.evaluate((nodeId) => RED.editor.edit(RED.nodes.node(nodeId)), id);
    await page.waitForSelector('.red-ui-tray', { state: 'visible' });
    assert.equal(await page.inputValue('#node-input-folder'), '', 'a node saved without a folder stays unrestricted');
    assert.equal(await page.inputValue('#node-input-saveTo'), old.path, 'its "path" is now "saveTo"');
    await closeDialog();
    assert.deepEqual(pageErrors, []);
  });
});
