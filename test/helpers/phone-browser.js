'use strict';
// Chromium as a phone for the phone-page tests: a fresh profile, a phone-sized window, and every page error or
// console error collected, so a test can assert the page ran clean.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM = '/usr/bin/chromium';

/** Opens `url` in a phone-sized Chromium; `close()` ends the browser and removes its profile. */
async function openPhone(url, { errors = [], ...contextOptions } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package`);
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-profile-'));
  // A persistent context on a fresh directory: Chromium runs with its own --user-data-dir.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 420, height: 860 },
    locale: 'en-GB',
    deviceScaleFactor: 1,
    ...contextOptions,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(url);
  const close = async () => {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, page, close };
}

module.exports = { openPhone };
