'use strict';
// The set-up every editor test shares: Node-RED started with this package and every example flow (the `npm start`
// setup) against a fresh emulator, and headless Chromium on its editor, collecting the page's errors.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startEmulator } = require('../../dist/emulator');
const { prepareUserDir, startNodeRed } = require('../../scripts/demo');
const { DEMO, keyOf, redCli, freePort } = require('./env');

const CHROMIUM = '/usr/bin/chromium';

/**
 * Starts it all and opens the editor. `name` names the temporary user directory; `ready` (run in the page) says the
 * editor has loaded what the test needs (default: this package's node types); `settleMs` is waited after that;
 * `onOutput` gets Node-RED's console output; `beforeLoad(page)` runs before the editor is loaded (to watch its
 * requests). Resolves with `{ emu, editorPort, page, pageErrors, close() }`; when a step fails, what was started is
 * closed again.
 */
async function openEditor({
  name,
  ready = () => window.RED && RED.nodes && RED.nodes.getType('semilimes-send'),
  settleMs = 500,
  onOutput,
  beforeLoad,
} = {}) {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  const started = { pageErrors: [] };
  started.close = async () => {
    if (started.browser) await started.browser.close();
    if (started.red) {
      started.red.kill('SIGINT');
      await new Promise((resolve) => started.red.once('exit', resolve));
    }
    if (started.emu) await started.emu.close();
    if (started.dir) fs.rmSync(started.dir, { recursive: true, force: true });
  };
  try {
    started.dir = fs.mkdtempSync(path.join(os.tmpdir(), `semilimes-${name}-`));
    started.emu = await startEmulator({ port: 0 });
    const editorPort = await freePort();
    started.editorPort = editorPort;
    prepareUserDir({ userDir: started.dir, emulatorUrl: started.emu.url, editorPort, reset: true });
    started.red = await startNodeRed({
      userDir: started.dir,
      editorPort,
      apiKey: keyOf(started.emu, DEMO.bot),
      redCli,
      ...(onOutput ? { onOutput } : {}),
    });
    started.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const page = await started.browser.newPage({ viewport: { width: 1400, height: 900 } });
    started.page = page;
    page.on('pageerror', (err) => started.pageErrors.push(String(err)));
    if (beforeLoad) beforeLoad(page);
    // 'load', not 'networkidle': the editor keeps its comms socket open and may try to reach the online catalogue.
    await page.goto(`http://127.0.0.1:${editorPort}/`, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(ready, null, { timeout: 60_000 });
    await page.waitForTimeout(settleMs);
    return started;
  } catch (err) {
    await started.close();
    throw err;
  }
}

module.exports = { openEditor, CHROMIUM };
