'use strict';
// The phone page as a SimpleX person meets it: headless Chromium against the semilimes emulator's page, linked to a
// started SimpleX CLI emulator. Alice uses the page; the bot is played by the test with a plain WebSocket client
// speaking the CLI's protocol, as a bot (or a flow) would. A screenshot of every step goes to
// test-artifacts/phone-simplex/.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { openPhone } = require('../helpers/phone-browser');
const { startEmulator } = require('../../dist/emulator');
const { CliClient, controlOk, startSimplexEmulator } = require('../simplex-emulator/helpers');
const { pngOf } = require('../helpers/png');

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'phone-simplex');

/** A real PNG (a blue-violet gradient), so previews show a picture and the bytes can be compared. */
function gradientPng(width, height) {
  return pngOf(width, height, (x, y) => {
    const t = y / height;
    return [40 + 150 * t, 90 + 60 * Math.sin(x / 15), 230 - 80 * t];
  });
}
const PNG = gradientPng(320, 200);

describe('the phone page as a SimpleX person, in a browser', function () {
  this.timeout(60_000);
  let sx;
  let emu;
  let bot;
  let botFiles;
  let tmp;
  let context;
  let closePhone;
  let page;
  let aliceContact;
  let family;
  const pageErrors = [];

  /** The next newChatItems event whose first item matches, counting only events after `from`. */
  const newItem = (match, from = 0, timeoutMs = 8000) =>
    bot.waitEvent((e) => e.type === 'newChatItems' && match(e.chatItems[0]), timeoutMs, from);

  async function shot(name) {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  }

  const bubble = (content) => page.locator('.msg-row', { hasText: content });

  async function openMenu(content) {
    await bubble(content).last().hover();
    await bubble(content).last().locator('.more-button').click();
    await page.locator('.message-menu').waitFor();
  }

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phone-simplex-'));
    botFiles = path.join(tmp, 'bot-files');
    fs.mkdirSync(botFiles);
    // No seed: Alice and Bob exist but know nobody; the bot sets up its address as a bot does when it starts.
    sx = await startSimplexEmulator({ seed: 'none', filesFolder: botFiles, botAllowFiles: true });
    emu = await startEmulator({ port: 0, simplexControlUrl: sx.controlUrl });
    bot = await CliClient.connect(sx.url);
    await bot.ok('/_address 1');
    const welcome = { type: 'text', text: 'Hello! I am HomeBot. Send me anything.' };
    await bot.ok(
      `/_address_settings 1 ${JSON.stringify({ businessAddress: false, autoAccept: { acceptIncognito: false }, autoReply: welcome })}`,
    );
    ({
      context,
      page,
      close: closePhone,
    } = await openPhone(`${emu.url}/_emulator/`, {
      errors: pageErrors,
      acceptDownloads: true,
    }));
  });

  after(async () => {
    if (closePhone) await closePhone();
    if (bot) bot.close();
    if (emu) await emu.close();
    if (sx) await sx.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('offers the SimpleX people in the person picker, next to the semilimes ones', async () => {
    await page.locator('.person[data-service="simplex"]', { hasText: 'SimpleX: Alice' }).waitFor();
    const simplexPeople = await page.locator('.person[data-service="simplex"] .person-name').allTextContents();
    assert.deepEqual(simplexPeople, ['SimpleX: Alice', 'SimpleX: Bob']);
    assert.ok(await page.locator('.person[data-service="semilimes"]').count(), 'semilimes people are still listed');
    await shot('01-pick-person');
  });

  it("as Alice, sees the bot's address and connects to it; the bot's welcome arrives", async () => {
    await page.locator('.person', { hasText: 'SimpleX: Alice' }).click();
    await page.locator('.sx-connect-card').waitFor();
    const address = (await controlOk(sx, 'GET', '/address')).connShortLink;
    assert.equal(await page.locator('.sx-link').inputValue(), address);
    assert.match(await page.locator('#me-service').textContent(), /SimpleX/);
    await shot('02-connect-card');
    const from = bot.events.length;
    await page.click('.sx-connect-button');
    const connected = await bot.waitEvent('contactConnected', 8000, from);
    assert.equal(connected.contact.profile.displayName, 'Alice');
    aliceContact = connected.contact.contactId;
    await page.locator('#chat-title', { hasText: 'HomeBot' }).waitFor();
    await bubble('Hello! I am HomeBot.').waitFor({ timeout: 8000 });
    assert.equal(await bubble('Hello! I am HomeBot.').getAttribute('class'), 'msg-row theirs');
    await page.locator('.service-note', { hasText: 'end-to-end encrypted' }).first().waitFor();
    await shot('03-connected');
  });

  it("sends a text and sees the bot's answer arrive live", async () => {
    await page.evaluate(() => (window.notReloaded = true));
    const from = bot.events.length;
    await page.fill('#composer-text', 'hello bot');
    await page.keyboard.press('Enter');
    const got = await newItem((i) => i.chatItem.content.msgContent?.text === 'hello bot', from);
    assert.equal(got.chatItems[0].chatInfo.contact.contactId, aliceContact);
    await bubble('hello bot').waitFor();
    assert.equal(await bubble('hello bot').getAttribute('class'), 'msg-row mine');
    const itemId = got.chatItems[0].chatItem.meta.itemId;
    await bot.ok(
      `/_send @${aliceContact} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'You said: hello bot' }, quotedItemId: itemId }])}`,
    );
    await bubble('You said: hello bot').waitFor({ timeout: 8000 });
    const answer = bubble('You said: hello bot');
    assert.equal(await answer.getAttribute('class'), 'msg-row theirs');
    assert.equal(await answer.locator('.quote-text').textContent(), 'hello bot');
    assert.match(await answer.locator('time').textContent(), /^\d{1,2}:\d{2}/);
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    await shot('04-bot-answers');
  });

  it('sends a photo: a preview in the chat, the same bytes at the bot', async () => {
    const from = bot.events.length;
    await page.setInputFiles('#composer-file', { name: 'garden.png', mimeType: 'image/png', buffer: PNG });
    const got = await newItem((i) => i.chatItem.file?.fileName === 'garden.png', from);
    const item = got.chatItems[0].chatItem;
    assert.equal(item.content.msgContent.type, 'image');
    assert.match(item.content.msgContent.image, /^data:image\/jpeg;base64,/);
    await bot.ok(`/freceive ${item.file.fileId}`);
    const done = await bot.waitEvent(
      (e) => e.type === 'rcvFileComplete' && e.chatItem.chatItem.file.fileId === item.file.fileId,
      8000,
      from,
    );
    const received = fs.readFileSync(path.join(botFiles, done.chatItem.chatItem.file.fileSource.filePath));
    assert.ok(received.equals(PNG), 'the bot received the same bytes');
    const preview = bubble('garden.png').locator('img.file-preview');
    await preview.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('img.file-preview')].some((img) => img.complete && img.naturalWidth === 320),
    );
    await shot('05-photo-sent');
  });

  it('receives a file and a picture from the bot, and downloads the file with the same bytes', async () => {
    const report = Buffer.from('Energy report\nkWh today: 12.4\n'.repeat(40));
    const reportPath = path.join(tmp, 'energy-report.txt');
    fs.writeFileSync(reportPath, report);
    const photoPath = path.join(tmp, 'front-door.png');
    fs.writeFileSync(photoPath, gradientPng(240, 160));
    await bot.ok(
      `/_send @${aliceContact} json ${JSON.stringify([
        { msgContent: { type: 'file', text: 'Your energy report' }, fileSource: { filePath: reportPath } },
      ])}`,
    );
    await bot.ok(
      `/_send @${aliceContact} json ${JSON.stringify([
        {
          msgContent: { type: 'image', text: 'Someone at the front door', image: '' },
          fileSource: { filePath: photoPath },
        },
      ])}`,
    );
    const row = bubble('energy-report.txt');
    await row.locator('.file-download').waitFor({ timeout: 8000 });
    assert.equal(await row.getAttribute('class'), 'msg-row theirs');
    assert.match(await row.textContent(), /Your energy report/);
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('.file-download').click()]);
    assert.equal(download.suggestedFilename(), 'energy-report.txt');
    const saved = path.join(tmp, 'downloaded.txt');
    await download.saveAs(saved);
    assert.ok(fs.readFileSync(saved).equals(report), 'the downloaded file has the bytes the bot sent');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('img.file-preview')].some((img) => img.complete && img.naturalWidth === 240),
    );
    await bubble('Someone at the front door').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot('06-file-and-picture-received');
  });

  it('replies to a message, and reacts with one of the eight emojis the CLI allows', async () => {
    await openMenu('You said: hello bot');
    const offered = await page.locator('.message-menu .menu-reaction').allTextContents();
    assert.deepEqual(offered, ['👍', '👎', '😀', '😂', '😢', '❤', '🚀', '✅']);
    let from = bot.events.length;
    await page.locator('.message-menu .menu-reaction', { hasText: '🚀' }).click();
    const reaction = await bot.waitEvent('chatItemReaction', 8000, from);
    assert.equal(reaction.added, true);
    assert.equal(reaction.reaction.chatReaction.reaction.emoji, '🚀');
    assert.equal(reaction.reaction.chatReaction.chatItem.content.msgContent.text, 'You said: hello bot');
    await bubble('You said: hello bot').locator('.reaction.reacted', { hasText: '🚀' }).waitFor();
    await bubble('You said: hello bot').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot('07-reaction');

    from = bot.events.length;
    await openMenu('You said: hello bot');
    await page.locator('.message-menu .menu-item', { hasText: 'Reply' }).click();
    await page.locator('#composer-banner', { hasText: 'You said: hello bot' }).waitFor();
    await page.fill('#composer-text', 'thanks, that is right');
    await page.keyboard.press('Enter');
    const got = await newItem((i) => i.chatItem.content.msgContent?.text === 'thanks, that is right', from);
    assert.equal(got.chatItems[0].chatItem.quotedItem.content.text, 'You said: hello bot');
    await bubble('thanks, that is right').locator('.quote-text', { hasText: 'You said: hello bot' }).waitFor();

    // The bot reacts too: Alice sees it on her message.
    const mine = got.chatItems[0].chatItem.meta.itemId;
    await bot.ok(`/_reaction @${aliceContact} ${mine} on ${JSON.stringify({ type: 'emoji', emoji: '👍' })}`);
    await bubble('thanks, that is right').locator('.reaction', { hasText: '👍' }).waitFor({ timeout: 8000 });
    await shot('08-reply-and-reaction-from-bot');
  });

  it("sees the bot's edits and deletions, and deletes her own message for everyone", async () => {
    const sent = await bot.ok(
      `/_send @${aliceContact} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'The lamp is on' } }])}`,
    );
    const itemId = sent.chatItems[0].chatItem.meta.itemId;
    await bubble('The lamp is on').waitFor({ timeout: 8000 });
    await bot.ok(
      `/_update item @${aliceContact} ${itemId} json ${JSON.stringify({ msgContent: { type: 'text', text: 'The lamp is off' } })}`,
    );
    await bubble('The lamp is off').locator('.edited').waitFor({ timeout: 8000 });
    const doomed = await bot.ok(
      `/_send @${aliceContact} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'Oops, wrong chat' } }])}`,
    );
    await bubble('Oops, wrong chat').waitFor({ timeout: 8000 });
    await bot.ok(`/_delete item @${aliceContact} ${doomed.chatItems[0].chatItem.meta.itemId} broadcast`);
    await page.locator('.bubble.deleted', { hasText: 'Message deleted' }).waitFor({ timeout: 8000 });
    assert.equal(await bubble('Oops, wrong chat').count(), 0);

    // Alice edits her own message: the bot gets the update.
    let from = bot.events.length;
    await page.fill('#composer-text', 'I am home at 6');
    await page.keyboard.press('Enter');
    await newItem((i) => i.chatItem.content.msgContent?.text === 'I am home at 6', from);
    await openMenu('I am home at 6');
    await page.locator('.message-menu .menu-item', { hasText: 'Edit' }).click();
    await page.fill('#composer-text', 'I am home at 7');
    await page.keyboard.press('Enter');
    const updated = await bot.waitEvent('chatItemUpdated', 8000, from);
    assert.equal(updated.chatItem.chatItem.content.msgContent.text, 'I am home at 7');
    await bubble('I am home at 7').locator('.edited').waitFor();

    from = bot.events.length;
    await page.fill('#composer-text', 'never mind');
    await page.keyboard.press('Enter');
    await newItem((i) => i.chatItem.content.msgContent?.text === 'never mind', from);
    await openMenu('never mind');
    await page.locator('.message-menu .menu-item', { hasText: 'Delete for everyone' }).click();
    await bot.waitEvent('chatItemsDeleted', 8000, from);
    await page.locator('.msg-row.mine .bubble.deleted').waitFor({ timeout: 8000 });
    await shot('09-edit-and-delete');
  });

  it('joins the group the bot invites her to, and talks there with the bot and Bob', async () => {
    // Bob connects to the bot through the control API: the group has someone besides the bot.
    const bobConnected = bot.waitEvent((e) => e.type === 'contactConnected' && e.contact.profile.displayName === 'Bob');
    await controlOk(sx, 'POST', '/connect', { person: 'Bob' });
    const bobContact = (await bobConnected).contact.contactId;
    const created = await bot.ok(`/_group 1 ${JSON.stringify({ displayName: 'Family', fullName: '' })}`);
    family = created.groupInfo.groupId;
    await bot.ok(`/_add #${family} ${bobContact} member`);
    await controlOk(sx, 'POST', '/join', { person: 'Bob', group: 'Family' });
    await bot.ok(`/_add #${family} ${aliceContact} member`);

    await page.click('#back');
    const row = page.locator('.chat-row', { hasText: 'Family' });
    await row.locator('.chat-preview', { hasText: 'HomeBot invited you' }).waitFor({ timeout: 8000 });
    await shot('10-invitation-in-chat-list');
    await row.click();
    await page.locator('#sx-join', { hasText: 'HomeBot invited you to join Family' }).waitFor();
    assert.equal(await page.locator('#composer').isVisible(), false);
    await shot('11-invitation');
    const from = bot.events.length;
    await page.click('.sx-join-button');
    await bot.waitEvent((e) => e.type === 'connectedToGroupMember' || e.type === 'joinedGroupMember', 8000, from);
    await page.locator('#composer').waitFor({ state: 'visible', timeout: 8000 });
    assert.equal(await page.locator('#sx-join').isVisible(), false);

    // Alice's first words reach the group once she is connected to its members.
    const bobSees = async (wanted) =>
      (await controlOk(sx, 'GET', '/messages?person=Bob&chat=%23Family')).some((m) => m.text === wanted);
    await page.fill('#composer-text', 'Hi family!');
    await page.keyboard.press('Enter');
    const got = await newItem((i) => i.chatItem.content.msgContent?.text === 'Hi family!', from);
    assert.equal(got.chatItems[0].chatInfo.groupInfo.groupId, family);
    const until = Date.now() + 8000;
    while (!(await bobSees('Hi family!')) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.ok(await bobSees('Hi family!'), 'Bob received Alice’s group message');

    await bot.ok(
      `/_send #${family} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'Welcome, Alice!' } }])}`,
    );
    await controlOk(sx, 'POST', '/send', { from: 'Bob', group: 'Family', text: 'Hi Alice 👋' });
    const botLine = bubble('Welcome, Alice!');
    await botLine.waitFor({ timeout: 8000 });
    assert.equal(await botLine.locator('.sender').textContent(), 'HomeBot');
    const bobLine = bubble('Hi Alice 👋');
    await bobLine.waitFor({ timeout: 8000 });
    assert.equal(await bobLine.locator('.sender').textContent(), 'Bob');
    assert.match(await page.locator('#chat-subtitle').textContent(), /3 members/);
    await shot('12-group-chat');
    // Meanwhile the bot writes in the direct chat: the chat list counts it as unread (chat events do not count).
    await bot.ok(
      `/_send @${aliceContact} json ${JSON.stringify([{ msgContent: { type: 'text', text: 'Dinner is at 7' } }])}`,
    );
    await page.click('#back');
    const direct = page.locator('.chat-row', { hasText: 'HomeBot' });
    await direct.locator('.chat-preview', { hasText: 'Dinner is at 7' }).waitFor({ timeout: 8000 });
    assert.equal(await direct.locator('.badge').textContent(), '1');
    await page
      .locator('.chat-row', { hasText: 'Family' })
      .locator('.chat-preview', { hasText: 'Bob: Hi Alice' })
      .waitFor();
    await shot('13-chat-list');
  });

  it('adds a SimpleX person, who starts with no contacts and the connect card', async () => {
    await page.click('#switch-person');
    await page.fill('.sx-person-name', 'Carol');
    await page.click('.sx-person-add');
    await page.locator('.person[data-service="simplex"]', { hasText: 'SimpleX: Carol' }).click();
    await page.locator('.sx-connect-card', { hasText: 'Connect to the bot' }).waitFor();
    assert.equal(await page.locator('.chat-row').count(), 0);
    const devices = await controlOk(sx, 'GET', '/devices');
    assert.deepEqual(devices.find((d) => d.name === 'Carol').contacts, []);
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });

  it('still offers the semilimes people when the SimpleX emulator is gone, and says so', async () => {
    await sx.close();
    const other = await context.newPage();
    const uncaught = [];
    other.on('pageerror', (err) => uncaught.push(String(err)));
    try {
      await other.goto(`${emu.url}/_emulator/`);
      await other.locator('.person[data-service="semilimes"]').first().waitFor();
      await other.locator('#toast', { hasText: 'The SimpleX emulator does not answer' }).waitFor();
      assert.equal(await other.locator('.person[data-service="simplex"]').count(), 0);
      assert.deepEqual(uncaught, []);
    } finally {
      await other.close();
    }
  });
});
