'use strict';
/* global document -- the function given to waitForFunction runs in the page */
// The emulator's page, clicked through in Chromium as a person would: Alice writes to the bot, sends a file,
// reacts to and receives what the bot sends, and joins a group.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { CliClient, startSimplexEmulator } = require('./helpers');

const CHROMIUM = '/usr/bin/chromium';

describe('SimpleX emulator: the people page in a browser', function () {
  this.timeout(60000);
  let emu;
  let bot;
  let browser;
  let page;
  let tmp;
  const pageErrors = [];

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sx-page-'));
    emu = await startSimplexEmulator({ seed: 'demo', filesFolder: tmp });
    bot = await CliClient.connect(emu.url);
    browser = await chromium.launch({
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
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.goto(`${emu.controlUrl}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#chat option') !== null);
  });

  after(async () => {
    if (browser) await browser.close();
    bot?.close();
    if (emu) await emu.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('acts as Alice: writes to the bot and sees the answer', async () => {
    assert.equal(await page.inputValue('#person'), 'Alice');
    await page.selectOption('#chat', 'HomeBot');
    await page.fill('#text', 'lights on please');
    await page.click('#composer button');
    const got = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'lights on please',
    );
    const contactId = got.chatItems[0].chatInfo.contact.contactId;
    await bot.ok(`/_send @${contactId} json [{"msgContent":{"type":"text","text":"lights are on"}}]`);
    await page.waitForSelector('.msg:not(.mine) .text >> text=lights are on');
  });

  it("reacts and replies to the bot's message", async () => {
    const message = page.locator('.msg:not(.mine)', { hasText: 'lights are on' });
    await message.locator('button[title="React 🚀"]').click();
    const reaction = await bot.waitEvent('chatItemReaction');
    assert.equal(reaction.reaction.chatReaction.reaction.emoji, '🚀');
    await message.locator('button.reply').click();
    await page.fill('#text', 'thank you');
    await page.click('#composer button');
    const reply = await bot.waitEvent((e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.quotedItem);
    assert.equal(reply.chatItems[0].chatItem.quotedItem.content.text, 'lights are on');
  });

  it('sends a file from the file picker and receives one from the bot', async () => {
    await page.setInputFiles('#file', { name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('the plan') });
    await page.click('#composer button');
    const offer = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.file?.fileName === 'plan.txt',
    );
    await bot.ok(`/freceive ${offer.chatItems[0].chatItem.file.fileId}`);
    const done = await bot.waitEvent('rcvFileComplete');
    assert.equal(fs.readFileSync(path.join(tmp, done.chatItem.chatItem.file.fileSource.filePath), 'utf8'), 'the plan');

    const source = path.join(tmp, 'answer.txt');
    fs.writeFileSync(source, 'the answer');
    const contactId = offer.chatItems[0].chatInfo.contact.contactId;
    await bot.ok(
      `/_send @${contactId} json ${JSON.stringify([{ fileSource: { filePath: source }, msgContent: { type: 'file', text: '' } }])}`,
    );
    const incoming = page.locator('.msg:not(.mine) .file', { hasText: 'answer.txt' });
    await incoming.locator('button.receive').click();
    await page.waitForSelector('.msg:not(.mine) .file >> text=/answer.txt.*rcvComplete/');
  });

  it('a file picked while the previous message is still being sent stays for the next one', async () => {
    await page.selectOption('#chat', 'HomeBot');
    let delayed = false;
    await page.route('**/_simplex/send', async (route) => {
      if (!delayed) {
        delayed = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      await route.continue();
    });
    const mark = bot.events.length;
    await page.fill('#text', 'first');
    await page.click('#composer button');
    await page.setInputFiles('#file', { name: 'later.txt', mimeType: 'text/plain', buffer: Buffer.from('later') });
    await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.content.msgContent?.text === 'first',
      3000,
      mark,
    );
    await page.waitForTimeout(300);
    await page.click('#composer button');
    const file = await bot.waitEvent(
      (e) => e.type === 'newChatItems' && e.chatItems[0].chatItem.file?.fileName === 'later.txt',
      3000,
      mark,
    );
    assert.equal(file.chatItems[0].chatItem.file.fileSize, 5);
    await page.unroute('**/_simplex/send');
  });

  it('joins a group the bot invites Alice to, and writes in it', async () => {
    const group = (await bot.ok('/_group 1 {"displayName":"Garden","fullName":""}')).groupInfo;
    const alice = (await bot.ok('/_contacts 1')).contacts.find((c) => c.localDisplayName === 'Alice');
    await bot.ok(`/_add #${group.groupId} ${alice.contactId} member`);
    await page.waitForSelector('#chat option[value="#Garden"]', { state: 'attached' });
    await page.selectOption('#chat', '#Garden');
    await page.click('#join');
    await bot.waitEvent((e) => e.type === 'connectedToGroupMember' && e.groupInfo.groupId === group.groupId);
    await page.fill('#text', 'hello garden');
    await page.click('#composer button');
    const msg = await bot.waitEvent(
      (e) =>
        e.type === 'newChatItems' &&
        e.chatItems[0].chatInfo.type === 'group' &&
        e.chatItems[0].chatItem.content.msgContent?.text === 'hello garden',
    );
    assert.equal(msg.chatItems[0].chatItem.chatDir.groupMember.localDisplayName, 'Alice');
    assert.deepEqual(pageErrors, []);
  });
});
