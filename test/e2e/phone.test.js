'use strict';
// The emulator's phone page as a person meets it: headless Chromium against a started emulator.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startEmulator, DEMO_IDS } = require('../../dist/emulator');

const CHROMIUM = '/usr/bin/chromium';

describe('the phone page in a browser', function () {
  this.timeout(60_000);
  let emu;
  let context;
  let profileDir;
  let page;

  before(async () => {
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'semilimes-phone-'));
    emu = await startEmulator({ port: 0 });
    // A persistent context on a fresh directory: Chromium gets its own --user-data-dir.
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
    await page.goto(`${emu.url}/_emulator/`);
  });

  after(async () => {
    if (context) await context.close();
    if (emu) await emu.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  });

  it('as Alice, sends a text to the bot and sees it', async () => {
    await page.selectOption('#account', DEMO_IDS.alice);
    await page.waitForTimeout(300);
    await page.fill('#text', 'hello bot');
    await page.click('#composer button');
    await page.getByText('hello bot').waitFor({ timeout: 3000 });
    const stored = emu.control.messages({ chat: { between: [DEMO_IDS.alice, DEMO_IDS.bot] } });
    assert.deepEqual(stored.map((m) => m.dataComponent.text), ['hello bot']);
  });
});
