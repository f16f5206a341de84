'use strict';
// The emulator's phone page as a person meets it: headless Chromium against a started emulator. Alice uses the
// page; the bot side is played by the test through the documented REST API with the bot's key, as a flow would.
// A screenshot of every step goes to test-artifacts/phone/.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { openPhone } = require('../helpers/phone-browser');
const { startEmulator, DEMO_IDS } = require('../../dist/emulator');
const { pngOf } = require('../helpers/png');

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'phone');
const { bot: BOT, alice: ALICE, bob: BOB, familyGroupChat: FAMILY, homeNewsChannel: HOME_NEWS } = DEMO_IDS;

/** A real PNG: a sunset-like gradient, so previews show a picture and Chromium has something to decode. */
function gradientPng(width, height) {
  return pngOf(width, height, (x, y) => {
    const t = y / height;
    return [255 - 60 * t, 170 - 120 * t + 30 * Math.sin(x / 12), 60 + 120 * t];
  });
}
const PNG = gradientPng(240, 150);

describe('the phone page in a browser', function () {
  this.timeout(60_000);
  let emu;
  let closePhone;
  let page;
  let botKey;
  const pageErrors = [];

  /** Calls the documented REST API as the bot and returns `data`. */
  async function asBot(method, apiPath, body) {
    const res = await fetch(emu.url + apiPath, {
      method,
      headers: { Authorization: `Bearer ${botKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    assert.equal(json.success, true, `${apiPath}: ${JSON.stringify(json)}`);
    return json.data;
  }

  async function uploadAsBot(name, type, bytes) {
    const form = new FormData();
    form.append('httpFiles', new Blob([bytes], { type }), name);
    const res = await fetch(`${emu.url}/service/file/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${botKey}` },
      body: form,
    });
    return (await res.json()).data.uploadedFiles[0].fileId;
  }

  const sendToAlice = async (dataComponent) =>
    (await asBot('POST', '/communication/p2p/message/send', { recipientId: ALICE, dataComponent })).sentMessage
      .messageId;

  /** Resolves with the first stored message matching `predicate`, polling the emulator. */
  async function stored(predicate, what) {
    const until = Date.now() + 8000;
    for (;;) {
      const found = emu.control.messages().find(predicate);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no stored message: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Scrolls the conversation so that `locator` is at the top of the screen (for the screenshot). */
  async function showAtTop(locator) {
    await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }

  async function shot(name) {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  }

  async function openChat(title) {
    if (await page.locator('#back').isVisible()) await page.click('#back');
    await page
      .locator('.chat-row')
      .filter({ has: page.locator('.chat-title', { hasText: new RegExp(`^${title}$`) }) })
      .click();
    await page.locator('#chat-title', { hasText: title }).waitFor();
  }

  const bubble = (text) => page.locator('.msg-row', { hasText: text });

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    emu = await startEmulator({ port: 0 });
    botKey = emu.accounts.find((a) => a.accountId === BOT).apiKey;
    ({ page, close: closePhone } = await openPhone(`${emu.url}/_emulator/`, { errors: pageErrors }));
  });

  after(async () => {
    if (closePhone) await closePhone();
    if (emu) await emu.close();
  });

  it('picks the person, then lists their chats by name: people, group chats, channels', async () => {
    await page.locator('.person', { hasText: 'Alice' }).waitFor();
    await shot('01-pick-person');
    await page.locator('.person', { hasText: 'Alice' }).click();
    await page.locator('.chat-row').first().waitFor();
    const titles = await page.locator('.chat-row .chat-title').allTextContents();
    assert.deepEqual([...titles].sort(), ['Bob', 'Family', 'Home news', 'Node-RED Bot']);
    await shot('02-chat-list');
  });

  it('as Alice, sends a text to the bot and sees it in her bubble', async () => {
    await openChat('Node-RED Bot');
    await page.fill('#composer-text', 'hello bot');
    await page.keyboard.press('Enter');
    await bubble('hello bot').locator('.bubble').waitFor();
    assert.equal(await bubble('hello bot').getAttribute('class'), 'msg-row mine');
    const sent = await stored((m) => m.dataComponent.text === 'hello bot', "Alice's text");
    assert.equal(sent.publisherId, ALICE);
    assert.deepEqual(sent.chat, { featureType: 'p2p', accountIds: [ALICE, BOT] });
    await shot('03-alice-sends');
  });

  it('shows the bot typing, then its reply, live without reloading', async () => {
    await page.evaluate(() => (window.notReloaded = true));
    await asBot('POST', '/communication/p2p/signal/typing', { recipientId: ALICE });
    await page.locator('#chat-subtitle.typing', { hasText: 'typing' }).waitFor({ timeout: 8000 });
    await shot('04-bot-typing');
    await sendToAlice({ dataComponentType: 'text', text: 'You said: hello bot' });
    await bubble('You said: hello bot').waitFor({ timeout: 8000 });
    assert.equal(await bubble('You said: hello bot').getAttribute('class'), 'msg-row theirs');
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    await page.locator('#chat-subtitle:not(.typing)').waitFor();
    assert.match(await bubble('You said: hello bot').locator('time').textContent(), /^\d{1,2}:\d{2}/);
    await shot('05-bot-replies');
  });

  it('submits the lamp form (switch + slider) and sees the form updated in place', async () => {
    const lamp = (on, level) => ({
      dataComponentType: 'form',
      refName: 'lamp',
      submitEnabled: true,
      retainStatus: true,
      submitText: 'Apply',
      formComponents: [
        {
          refName: 'state',
          formComponentType: 'label',
          title: on ? `💡 The lamp is on at ${level}%` : '💡 The lamp is off',
        },
        { refName: 'power', formComponentType: 'switch', title: 'Power', value: on },
        {
          refName: 'level',
          formComponentType: 'slider',
          title: 'Brightness',
          min: 0,
          max: 100,
          step: 10,
          value: level,
        },
      ],
    });
    const formId = await sendToAlice(lamp(false, 30));
    const form = page.locator(`.msg-row[data-message-id="${formId}"]`);
    await form.locator('.label-title', { hasText: 'The lamp is off' }).waitFor();
    await form.locator('.switch-row').click();
    await form.locator('input[type=range]').fill('70');
    assert.equal(await form.locator('.slider-value').textContent(), '70');
    await shot('06-lamp-form-filled');
    await form.locator('button', { hasText: 'Apply' }).click();

    const submission = await stored(
      (m) => m.dataComponent.dataComponentType === 'formsubmission',
      'the lamp submission',
    );
    const values = Object.fromEntries(submission.dataComponent.formComponents.map((c) => [c.refName, c.value]));
    assert.equal(values.power, true);
    assert.equal(values.level, 70);
    assert.equal(submission.dataComponent.submitterId, ALICE);

    await asBot('POST', '/communication/p2p/message/update', { messageId: formId, dataComponent: lamp(true, 70) });
    await form.locator('.label-title', { hasText: 'The lamp is on at 70%' }).waitFor({ timeout: 8000 });
    assert.equal(await page.locator('.msg-row.theirs .sl-form').count(), 1, 'the same form, updated, not a new one');
    assert.equal(await form.locator('input[role=switch]').isChecked(), true);
    assert.equal(await form.locator('.edited').count(), 1);
    await shot('07-lamp-form-updated');
  });

  it('books a slot in an event picker and sees the appointment the bot sends', async () => {
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(9, 0, 0, 0);
    const slot = (h) => tomorrow.getTime() + (h - 9) * 3600_000;
    const formId = await sendToAlice({
      dataComponentType: 'form',
      refName: 'booking',
      submitText: 'Book',
      formComponents: [
        { refName: 'intro', formComponentType: 'label', title: 'When would you like your haircut?' },
        {
          refName: 'slot',
          formComponentType: 'eventpicker',
          title: 'Free slots',
          requiredSelection: true,
          multiSelection: false,
          eventsDisplayMode: 'list',
          events: [9, 10, 11].map((h) => ({
            id: `slot-${h}`,
            start: slot(h),
            title: `Haircut ${h}:00`,
            description: '30 minutes',
          })),
        },
      ],
    });
    const form = page.locator(`.msg-row[data-message-id="${formId}"]`);
    await form.locator('.event-row', { hasText: 'Haircut 10:00' }).click();
    await shot('08-booking-slot-picked');
    await form.locator('button', { hasText: 'Book' }).click();
    const submission = await stored((m) => m.dataComponent.replyTo?.refName === 'booking', 'the booking');
    const [picked] = submission.dataComponent.formComponents.find((c) => c.refName === 'slot').value;
    assert.equal(picked.id, 'slot-10');

    await sendToAlice({
      dataComponentType: 'appointment',
      title: 'Haircut with Sam',
      description: 'See you at the salon',
      start: Math.floor(picked.start / 1000),
      end: Math.floor(picked.start / 1000) + 1800,
      allDay: false,
      location: { latitude: 46.0037, longitude: 8.9511 },
    });
    const card = page.locator('.appointment-card', { hasText: 'Haircut with Sam' });
    await card.waitFor({ timeout: 8000 });
    assert.equal(await card.locator('.cal-day').textContent(), String(tomorrow.getDate()));
    assert.match(await card.locator('.appointment-when').textContent(), /10:00\s*–\s*10:30/);
    await card.scrollIntoViewIfNeeded();
    await shot('09-appointment');
  });

  it('asks the Family group a question and sees the reply and the 👍', async () => {
    await openChat('Family');
    await page.fill('#composer-text', 'Is dinner at 7?');
    await page.click('.send-button');
    const question = await stored((m) => m.dataComponent.text === 'Is dinner at 7?', 'the question');
    assert.deepEqual(question.chat, { featureType: 'groupchat', groupChatId: FAMILY });
    emu.control.sendAs({
      from: BOB,
      to: { groupChatId: FAMILY },
      dataComponent: { dataComponentType: 'text', text: 'I bring dessert' },
    });
    await asBot('POST', '/communication/groupchat/message/reply', {
      messageId: question.messageId,
      dataComponent: { dataComponentType: 'text', text: 'Yes, dinner is at 7 🍝' },
    });
    await asBot('POST', '/communication/groupchat/message/reaction/send', {
      messageId: question.messageId,
      reaction: '👍',
    });

    const reply = bubble('Yes, dinner is at 7');
    await reply.waitFor({ timeout: 8000 });
    assert.equal(await reply.locator('.quote-text').textContent(), 'Is dinner at 7?');
    assert.equal(await reply.locator('.sender').textContent(), 'Node-RED Bot');
    assert.equal(await bubble('I bring dessert').locator('.sender').textContent(), 'Bob');
    await bubble('Is dinner at 7?').first().locator('.reaction', { hasText: '👍' }).waitFor({ timeout: 8000 });
    await shot('10-family-reply-and-reaction');
  });

  it('draws a gauge posted to the Home news channel, where Alice, an editor, may post too', async () => {
    await asBot('POST', '/communication/channel/message/send', {
      channelId: HOME_NEWS,
      dataComponent: {
        dataComponentType: 'gauge',
        title: 'Living room',
        thickness: 20,
        degrees: 240,
        spacing: 2,
        fontSize: 16,
        value: 62,
        displayValue: '21.5 °C',
        segments: [
          { from: 0, to: 30, color: '#3b82f6' },
          { from: 31, to: 70, color: '#22c55e' },
          { from: 71, to: 100, color: '#ef4444' },
        ],
        pointer: 'needle',
        pointerColor: '#333333',
        progressBar: 'rounded',
        progressBarColor: '#0f6e5c',
      },
    });
    await asBot('POST', '/communication/channel/message/send', {
      channelId: HOME_NEWS,
      dataComponent: {
        dataComponentType: 'gauge',
        title: 'Humidity',
        thickness: 30,
        degrees: 180,
        spacing: 0,
        fontSize: 20,
        value: 45,
        displayValue: '45 %',
        segments: [{ from: 0, to: 100, color: '#93c5fd' }],
        pointer: 'none',
        progressBar: 'basic',
        progressBarColor: '#1d4ed8',
      },
    });
    await openChat('Home news');
    const living = page.locator('.gauge', { hasText: 'Living room' });
    await living.waitFor({ timeout: 8000 });
    assert.equal(await living.locator('.gauge-segment').count(), 3);
    assert.deepEqual(
      await living.locator('.gauge-segment').evaluateAll((ps) => ps.map((p) => p.getAttribute('stroke'))),
      ['#3b82f6', '#22c55e', '#ef4444'],
    );
    assert.equal(await living.locator('line.gauge-pointer').count(), 1, 'a needle');
    assert.equal(await living.locator('.gauge-progress').getAttribute('stroke-linecap'), 'round');
    assert.equal(await living.locator('.gauge-value').count(), 0, 'no displayValue with a pointer');
    const humidity = page.locator('.gauge', { hasText: 'Humidity' });
    assert.equal(await humidity.locator('.gauge-value').textContent(), '45 %');
    assert.equal(await page.locator('#composer').isVisible(), true);
    assert.equal(await page.locator('#composer-readonly').isVisible(), false);
    await shot('11-channel-gauge');
  });

  it('shows every other data component as a person sees it', async () => {
    const imageId = await uploadAsBot('garden.png', 'image/png', PNG);
    const pdfId = await uploadAsBot('invoice.pdf', 'application/pdf', Buffer.from('%PDF-1.4 test'));
    const { tunnelId } = await asBot('POST', '/service/tunnel/create', {
      name: 'Node-RED editor',
      description: 'Home server',
      clientPort: 1880,
      clientPath: '/',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGU=',
    });
    await asBot('POST', '/service/tunnel/open', { tunnelId });
    await sendToAlice({
      dataComponentType: 'html',
      html:
        '<p>Hello <b>Alice</b> <a href="https://semilimes.com" onclick="alert(1)">site</a>' +
        '<script>window.hacked=1</script><img src=x onerror="window.hacked=2" alt="pic"></p>',
    });
    await sendToAlice({
      dataComponentType: 'html',
      html: '<a href="javascript:window.hacked=3">tricky link</a></template><img src=y onerror="window.hacked=4"><svg onload="window.hacked=5"></svg>',
    });
    await sendToAlice({ dataComponentType: 'file', fileIds: [imageId, pdfId] });
    await sendToAlice({ dataComponentType: 'contact', contactIds: [BOB] });
    await sendToAlice({
      dataComponentType: 'location',
      locationName: 'Piazza della Riforma',
      latitude: 46.0037,
      longitude: 8.9511,
    });
    await sendToAlice({
      dataComponentType: 'webview',
      url: 'https://example.org/status',
      displayMode: 'link',
      linkDisplayName: 'Status page',
    });
    await sendToAlice({ dataComponentType: 'channel', channelId: HOME_NEWS });
    await sendToAlice({ dataComponentType: 'tunnel', tunnelId });
    await sendToAlice({
      dataComponentType: 'bucket',
      title: 'Holiday photos',
      description: 'Summer 2026',
      dataComponents: [
        { dataComponentType: 'text', text: 'The best of the lake' },
        { dataComponentType: 'file', fileIds: [imageId] },
      ],
    });
    await openChat('Node-RED Bot');
    await page.locator('.bucket-card', { hasText: 'Holiday photos' }).waitFor({ timeout: 8000 });

    const html = page.locator('.html', { hasText: 'Hello' });
    await showAtTop(page.locator('.msg-row', { has: html }));
    assert.equal(await html.locator('b').textContent(), 'Alice');
    assert.equal(await html.locator('a').getAttribute('href'), 'https://semilimes.com');
    assert.equal(await html.locator('a').getAttribute('onclick'), null);
    assert.equal(await html.locator('script, img').count(), 0);
    const tricky = page.locator('.html', { hasText: 'tricky link' });
    assert.equal(await tricky.locator('a').getAttribute('href'), null, 'no javascript: link');
    assert.equal(await tricky.locator('img, svg, template').count(), 0);
    await tricky.locator('a').click();
    assert.equal(await page.evaluate(() => window.hacked), undefined);

    const preview = page.locator('.files img.file-preview').first();
    await page.waitForFunction((el) => el.complete && el.naturalWidth === 240, await preview.elementHandle());
    const download = page.locator('.file-row', { hasText: 'invoice.pdf' }).locator('a.file-download');
    const res = await fetch(new URL(await download.getAttribute('href'), emu.url));
    assert.equal(await res.text(), '%PDF-1.4 test');
    assert.match(res.headers.get('content-disposition'), /attachment; filename="invoice.pdf"/);
    await shot('12-components-html-files');

    await showAtTop(page.locator('.msg-row', { has: page.locator('.contact-card', { hasText: 'Bob' }) }));
    assert.equal(await page.locator('.location-card .card-title').last().textContent(), 'Piazza della Riforma');
    assert.equal(
      await page.locator('.webview-link', { hasText: 'Status page' }).getAttribute('href'),
      'https://example.org/status',
    );
    await page.locator('.channel-card', { hasText: 'Home news' }).waitFor();
    await shot('13-components-contact-location');
    const tunnel = page.locator('.tunnel-card', { hasText: 'Node-RED editor' });
    assert.match(await tunnel.locator('a').getAttribute('href'), /^https?:\/\//);
    const bucketCard = page.locator('.bucket-card', { hasText: 'Holiday photos' });
    assert.match(await bucketCard.textContent(), /The best of the lake/);
    await showAtTop(page.locator('.msg-row', { has: page.locator('.webview-link') }));
    await shot('14-components-channel-tunnel-bucket');
  });

  it('opens a new chat from a contact card and writes to someone not in the chat list yet', async () => {
    const carol = emu.control.createAccount({ accountName: 'Carol' });
    await sendToAlice({ dataComponentType: 'contact', contactIds: [carol.accountId] });
    const card = page.locator('.contact-card', { hasText: 'Carol' });
    await card.waitFor({ timeout: 8000 });
    await card.locator('button', { hasText: 'Message' }).click();
    await page.locator('#chat-title', { hasText: 'Carol' }).waitFor();
    await page.locator('.empty-chat').waitFor();
    await page.fill('#composer-text', 'Hi Carol, the bot sent me your card');
    await page.keyboard.press('Enter');
    await bubble('Hi Carol').waitFor();
    const sent = await stored((m) => m.dataComponent.text?.startsWith('Hi Carol'), 'the message to Carol');
    assert.deepEqual(sent.chat, { featureType: 'p2p', accountIds: [ALICE, carol.accountId] });
    await shot('15-new-chat-from-contact');
    await page.click('#back');
    await page.locator('.chat-row .chat-title', { hasText: 'Carol' }).waitFor();
    await openChat('Node-RED Bot');
  });

  it('fills a form with one real input per component type and submits it after the PIN', async () => {
    const formId = await sendToAlice({
      dataComponentType: 'form',
      refName: 'everything',
      submitEnabled: true,
      authorizeSubmit: true,
      submitText: 'Send',
      formComponents: [
        { refName: 'title', formComponentType: 'label', title: 'Garden party' },
        { refName: 'name', formComponentType: 'textbox', title: 'Your name', requiredSelection: true },
        {
          refName: 'mood',
          formComponentType: 'buttonlist',
          title: 'Mood',
          lineSize: '3',
          options: [
            { name: 'happy', value: 'Happy' },
            { name: 'ok', value: 'OK' },
            { name: 'like', value: '', icon: { name: 'thumb_up' } },
          ],
        },
        {
          refName: 'menu',
          formComponentType: 'singlechoice',
          title: 'Menu',
          mode: 'dropdown',
          options: [
            { name: 'veg', value: 'Vegetarian' },
            { name: 'fish', value: 'Fish' },
          ],
        },
        {
          refName: 'drinks',
          formComponentType: 'multichoice',
          title: 'Drinks',
          options: [
            { name: 'water', value: 'Water' },
            { name: 'wine', value: 'Wine' },
          ],
        },
        { refName: 'date', formComponentType: 'datepicker', title: 'Day', actionButtonTitle: 'Select Date' },
        { refName: 'time', formComponentType: 'timepicker', title: 'Arrival', actionButtonTitle: 'Select Time' },
        {
          refName: 'colour',
          formComponentType: 'colorpicker',
          title: 'Table colour',
          actionButtonTitle: 'Select Color',
        },
        {
          refName: 'where',
          formComponentType: 'locationpicker',
          title: 'Where do you come from?',
          actionButtonTitle: 'Select Location',
        },
        {
          refName: 'photo',
          formComponentType: 'photopicker',
          title: 'A photo of you',
          actionButtonTitle: 'Select Photos',
          multiSelection: false,
        },
        {
          refName: 'docs',
          formComponentType: 'filepicker',
          title: 'Documents',
          actionButtonTitle: 'Select Files',
          multiSelection: true,
        },
        { refName: 'friends', formComponentType: 'contactpicker', title: 'Who comes with you?', multiSelection: true },
        {
          refName: 'share',
          formComponentType: 'bucketpicker',
          title: 'Share in',
          filter: { types: ['groupchat', 'channel'] },
          multiSelection: false,
        },
        { refName: 'secret', formComponentType: 'hiddenvalue', value: 'party-42' },
        { refName: 'call', formComponentType: 'callbutton', title: 'Questions?', actionButtonTitle: 'Call' },
        {
          refName: 'ticket',
          formComponentType: 'qrcodescanner',
          title: 'Ticket',
          actionButtonTitle: 'Scan QR Code',
          mode: 'qrcode',
        },
        { refName: 'badge', formComponentType: 'nfcreader', title: 'Badge', actionButtonTitle: 'Read NFC' },
      ],
    });
    const form = page.locator(`.msg-row[data-message-id="${formId}"]`);
    await form.waitFor({ timeout: 8000 });
    const fieldOf = (ref) => form.locator(`.field[data-ref-name="${ref}"]`);
    await fieldOf('name').locator('input').fill('Alice');
    await fieldOf('mood').locator('button', { hasText: 'Happy' }).click();
    await fieldOf('menu').locator('select').selectOption('fish');
    await fieldOf('drinks').locator('label', { hasText: 'Wine' }).click();
    await fieldOf('date').locator('input').fill('2026-07-04');
    await fieldOf('time').locator('input').fill('18:30');
    await fieldOf('colour').locator('input').fill('#ff8800');
    await fieldOf('where').getByLabel('Latitude').fill('46.01');
    await fieldOf('where').getByLabel('Longitude').fill('8.96');
    await fieldOf('photo')
      .locator('input[type=file]')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await fieldOf('photo').locator('li', { hasText: 'me.png' }).waitFor();
    await fieldOf('friends').locator('label', { hasText: 'Bob' }).click();
    await fieldOf('share').locator('label', { hasText: 'Family' }).click();
    await fieldOf('ticket').locator('button').click();
    await fieldOf('ticket').locator('input').fill('TICKET-7');
    assert.match(await fieldOf('call').textContent(), /Stand-in/);
    assert.match(await fieldOf('badge').textContent(), /Stand-in/);
    await showAtTop(form);
    await shot('16-form-every-input-top');
    await showAtTop(fieldOf('where'));
    await shot('17-form-every-input-bottom');

    await form.locator('button.submit-button').click();
    await page.locator('.pin-sheet').waitFor();
    await shot('18-form-pin');
    await page.fill('.pin-input', '1234');
    await page.click('.pin-sheet button[type=submit]');

    const submission = await stored((m) => m.dataComponent.replyTo?.refName === 'everything', 'the full form');
    const v = Object.fromEntries(submission.dataComponent.formComponents.map((c) => [c.refName, c.value]));
    assert.equal(v.name, 'Alice');
    assert.equal(v.mood, 'happy');
    assert.equal(v.menu, 'fish');
    assert.deepEqual(v.drinks, ['wine']);
    assert.equal(v.date, '2026-07-04');
    assert.equal(v.time, '18:30');
    assert.equal(v.colour, '#ff8800');
    assert.deepEqual(v.where, { latitude: 46.01, longitude: 8.96 });
    assert.equal(v.photo.length, 1);
    assert.equal(v.photo[0].fileName, 'me.png');
    assert.equal(emu.control.file(v.photo[0].fileID).size, PNG.length, 'the photo was really uploaded');
    assert.deepEqual(v.friends, [BOB]);
    assert.deepEqual(v.share, [{ id: FAMILY, featureType: 'groupchat' }]);
    assert.equal(v.secret, 'party-42');
    assert.equal(v.ticket, 'TICKET-7');
  });

  it('sends every change at once when the form has no submit button (submitEnabled false)', async () => {
    const formId = await sendToAlice({
      dataComponentType: 'form',
      refName: 'quick',
      submitEnabled: false,
      formComponents: [
        {
          refName: 'answer',
          formComponentType: 'buttonlist',
          title: 'Are you coming?',
          options: [
            { name: 'yes', value: 'Yes' },
            { name: 'no', value: 'No' },
          ],
        },
      ],
    });
    const form = page.locator(`.msg-row[data-message-id="${formId}"]`);
    await form.waitFor({ timeout: 8000 });
    assert.equal(await form.locator('button.submit-button').count(), 0);
    await form.locator('button', { hasText: 'Yes' }).click();
    const submission = await stored((m) => m.dataComponent.replyTo?.refName === 'quick', 'the instant answer');
    assert.equal(submission.dataComponent.formComponents[0].value, 'yes');
  });

  it('shows the last submitted values of a form that retains its status, its own values otherwise', async () => {
    const thermostat = (retainStatus, refName) => ({
      dataComponentType: 'form',
      refName,
      retainStatus,
      submitText: 'Set',
      formComponents: [
        {
          refName: 'target',
          formComponentType: 'slider',
          title: `Heating (${refName})`,
          min: 16,
          max: 26,
          step: 1,
          value: 20,
        },
      ],
    });
    const send = async (refName, retain) =>
      (
        await asBot('POST', '/communication/groupchat/message/send', {
          groupChatId: FAMILY,
          dataComponent: thermostat(retain, refName),
        })
      ).sentMessage.messageId;
    const shared = await send('shared', true);
    const personal = await send('personal', false);
    emu.control.submitForm({ from: BOB, messageId: shared, values: { target: 23 } });
    emu.control.submitForm({ from: BOB, messageId: personal, values: { target: 25 } });
    await openChat('Family');
    const sharedForm = page.locator(`.msg-row[data-message-id="${shared}"]`);
    const personalForm = page.locator(`.msg-row[data-message-id="${personal}"]`);
    await sharedForm.locator('.form-note', { hasText: 'Last set by Bob' }).waitFor({ timeout: 8000 });
    assert.equal(await sharedForm.locator('input[type=range]').inputValue(), '23');
    assert.equal(await personalForm.locator('input[type=range]').inputValue(), '20');
    await showAtTop(sharedForm);
    await shot('19-retained-form-status');
    await openChat('Node-RED Bot');
  });

  it('as Alice: reacts, replies, edits her message and sends a file', async () => {
    const botText = bubble('You said: hello bot');
    await botText.scrollIntoViewIfNeeded();
    await botText.locator('.bubble').hover();
    await botText.locator('.more-button').click();
    await shot('20-message-menu');
    await page.click('.menu-reaction[aria-label="React ❤️"]');
    await botText.locator('.reaction', { hasText: '❤️' }).waitFor();
    const reacted = emu.control.messages().find((m) => m.dataComponent.text === 'You said: hello bot');
    assert.deepEqual(reacted.messageReactions, { '❤️': [ALICE] });

    await botText.locator('.bubble').hover();
    await botText.locator('.more-button').click();
    await page.locator('.menu-item', { hasText: 'Reply' }).click();
    await page.fill('#composer-text', 'Thanks!');
    await page.keyboard.press('Enter');
    await bubble('Thanks!').locator('.quote', { hasText: 'You said: hello bot' }).waitFor();
    const reply = await stored((m) => m.dataComponent.text === 'Thanks!', 'the reply');
    assert.equal(reply.replyTo, reacted.messageId);

    const mine = bubble('Thanks!');
    await mine.locator('.bubble').hover();
    await mine.locator('.more-button').click();
    await page.locator('.menu-item', { hasText: 'Edit' }).click();
    await page.fill('#composer-text', 'Thanks a lot!');
    await page.keyboard.press('Enter');
    await bubble('Thanks a lot!').locator('.edited').waitFor();
    assert.equal((await stored((m) => m.messageId === reply.messageId, 'the edit')).edits.length, 1);

    await page.locator('#composer-file').setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: PNG });
    await page.locator('.msg-row.mine .file-row', { hasText: 'sunset.png' }).waitFor({ timeout: 8000 });
    const file = await stored(
      (m) => m.publisherId === ALICE && m.dataComponent.dataComponentType === 'file',
      'the file',
    );
    assert.equal(emu.control.file(file.dataComponent.fileIds[0]).title, 'sunset.png');
    await shot('21-alice-reacts-replies-edits-sends-file');
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
