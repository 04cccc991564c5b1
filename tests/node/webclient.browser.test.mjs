// The bundled web client (web/, built into Parley.Server's wwwroot) end to end: two people open Parley's own page in
// headless Chromium (fake camera and microphone), join one call through the real UI, see each other, chat, and one
// leaves. Screenshots of the call screen go to artifacts/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startParley } from './parley.mjs';
import { launchChromium } from './browser.mjs';

const screenshots = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'screenshots');
const desktop = { width: 1280, height: 720 };
const phone = { width: 360, height: 640 };

let parley;
let browser;

before(async () => {
  [parley, browser] = await Promise.all([startParley(), launchChromium()]);
  await mkdir(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await parley?.stop();
});

/** Test instrumentation run in a page before its scripts: `window.sockets` keeps the WebSockets the page opens
 * (so the test can break one as a network drop would), and with `talking` the microphone is a steady tone, loud
 * enough for openvidu-browser's speech detection (Chromium's fake microphone only beeps). */
function instrument({ talking }) {
  const Native = window.WebSocket;
  window.sockets = [];
  window.WebSocket = function (url, protocols) {
    const socket = new Native(url, protocols);
    window.sockets.push(socket);
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  if (talking) {
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async constraints => {
      const stream = await getUserMedia(constraints);
      if (constraints?.audio) {
        const audio = new AudioContext();
        const tone = audio.createOscillator();
        const out = audio.createMediaStreamDestination();
        tone.frequency.value = 220;
        tone.connect(out);
        tone.start();
        for (const track of stream.getAudioTracks()) {
          stream.removeTrack(track);
          track.stop();
        }
        stream.addTrack(out.stream.getAudioTracks()[0]);
      }
      return stream;
    };
  }
}

/** A fresh browser context on Parley's page; `problems` collects page errors, console errors and any request
 * that does not go to Parley itself (the client must work offline, with nothing from a CDN). */
async function openClient(viewport, { talking = false } = {}) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(instrument, { talking });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const problems = [];
  page.on('pageerror', error => problems.push(`page error: ${error}`));
  page.on('console', message => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', request => {
    const url = request.url();
    if (!url.startsWith(parley.url + '/') && !/^(data|blob):/.test(url)) problems.push(`request outside Parley: ${url}`);
  });
  await page.goto(parley.url + '/');
  return { page, problems, close: () => context.close() };
}

/** Types the call and user names into the join screen and clicks Join, as a person would. */
async function joinCall(page, callName, userName) {
  await page.getByLabel('Call name').fill(callName);
  await page.getByLabel('Your name').fill(userName);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByRole('navigation', { name: 'Call controls' }).waitFor({ timeout: 15_000 });
}

/** The tile of `name`: its accessible name is the participant's name ("(you)" on one's own), then its state. */
function tile(page, name) {
  return page.getByRole('group', { name: new RegExp(`^${name}( \\(you\\))?,`) });
}

/** `name`'s video plays on `page`: it has a size, and its frames and time advance. */
async function assertPlaying(page, name) {
  const video = await tile(page, name).locator('video').elementHandle({ timeout: 15_000 });
  try {
    await page.waitForFunction(v => v.videoWidth > 0 && v.currentTime > 0, video, { timeout: 15_000, polling: 100 });
  } catch (error) {
    const tiles = await page.locator('figure').evaluateAll(figures => figures.map(f => f.getAttribute('aria-label')));
    const notice = await page.locator('.notice').textContent();
    throw new Error(`${name}'s video does not play; tiles: ${JSON.stringify(tiles)}, notice: ${JSON.stringify(notice)}`, { cause: error });
  }
  const sample = () => video.evaluate(v => ({ width: v.videoWidth, frames: v.getVideoPlaybackQuality().totalVideoFrames, time: v.currentTime }));
  const first = await sample();
  await new Promise(resolve => setTimeout(resolve, 1000));
  const later = await sample();
  assert.ok(later.width > 0, `${name}'s video has a size`);
  assert.ok(later.frames > first.frames, `${name}'s frames advance (${first.frames} → ${later.frames})`);
  assert.ok(later.time > first.time, `${name}'s playback time advances`);
}

async function sendChat(page, text) {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction(t => [...document.querySelectorAll('#chat-panel .bubble')].some(b => b.textContent === t), text);
}

/** The chat messages as the page shows them. */
function chatMessages(page) {
  return page.locator('#chat-panel li.message').evaluateAll(items => items.map(item => ({
    mine: item.classList.contains('mine'),
    from: item.querySelector('.from').textContent,
    initials: item.querySelector('.v-avatar').textContent.trim(),
    text: item.querySelector('.bubble').textContent,
  })));
}

test('two people join a call through the page, see each other, chat, and one leaves', async () => {
  const callName = 'team-standup'; // this file has its own Parley
  const alice = await openClient(desktop, { talking: true });
  const bob = await openClient(phone);
  try {
    // The join screen shows the camera preview before joining.
    await alice.page.waitForFunction(() => document.querySelector('.preview video')?.videoWidth > 0, null, { timeout: 10_000 });
    await alice.page.screenshot({ path: join(screenshots, 'join-desktop.png') });

    await joinCall(alice.page, callName, 'Alice Adams');
    await joinCall(bob.page, callName, 'Bob Brown');
    await Promise.all([assertPlaying(alice.page, 'Bob Brown'), assertPlaying(bob.page, 'Alice Adams')]);

    // One's own tile is mirrored, the others' are not.
    const transform = (page, name) => tile(page, name).locator('video').evaluate(v => getComputedStyle(v).transform);
    assert.equal(await transform(alice.page, 'Alice Adams'), 'matrix(-1, 0, 0, 1, 0, 0)');
    assert.equal(await transform(alice.page, 'Bob Brown'), 'none');

    // Alice talks: her tile is highlighted as the active speaker, on her screen and on Bob's.
    await Promise.all([alice.page, bob.page].map(page =>
      page.locator('figure[data-speaking]').filter({ has: page.locator('figcaption', { hasText: /^Alice Adams/ }) }).waitFor()));

    // Alice shares her screen, a second publisher: Bob sees it play in a tile of its own, until she stops.
    await alice.page.getByRole('button', { name: 'Share screen' }).click();
    const aliceScreen = bob.page.getByRole('group', { name: 'Alice Adams\'s screen' });
    const screenVideo = await aliceScreen.locator('video').elementHandle();
    await bob.page.waitForFunction(v => v.videoWidth > 0 && v.currentTime > 0, screenVideo);
    assert.equal(await alice.page.getByRole('group', { name: 'Your screen' }).count(), 1);
    assert.equal(await alice.page.getByRole('button', { name: 'Share screen' }).getAttribute('aria-pressed'), 'true');
    await alice.page.getByRole('button', { name: 'Share screen' }).click();
    await aliceScreen.waitFor({ state: 'detached' });

    // Bob's signalling connection drops: his page says so, reconnects by itself, and says that too.
    await bob.page.evaluate(() => {
      window.notices = [];
      new MutationObserver(() => {
        const text = [...document.querySelectorAll('.notice .v-alert')].at(-1)?.textContent.trim();
        if (text && text !== window.notices.at(-1)) window.notices.push(text);
      }).observe(document.querySelector('.notice'), { subtree: true, childList: true, characterData: true });
      window.sockets.at(-1).close();
    });
    await bob.page.locator('.notice').getByText('Reconnected.').waitFor();
    assert.deepEqual(await bob.page.evaluate(() => window.notices), ['Connection lost. Reconnecting…', 'Reconnected.']);

    // Alice chats while Bob's chat panel is closed: Bob's chat button counts the unread messages.
    await alice.page.getByRole('button', { name: 'Chat', exact: true }).click();
    const input = alice.page.getByRole('textbox', { name: 'Message' });
    await input.press('Enter'); // an empty message is not sent
    await input.fill('   ');
    await input.press('Enter');
    assert.ok(await alice.page.getByRole('button', { name: 'Send message' }).isDisabled(), 'Send is disabled while empty');
    const texts = [
      'Hi Bob! Agenda for today:\n1. the new web client\n2. the test in Chromium\n3. the screenshot for the README\n4. what comes next',
      'The client is built with Vue 3 and Vuetify, and openvidu-browser talks to Parley exactly as it talks to OpenVidu. ' +
        'The page is served by Parley itself, so there is nothing else to install or start: one command and two tabs.',
      'Chat arrives as signals of type "chat" with JSON {content, from}; messages sent while your chat is closed are counted on the badge.',
    ];
    for (const text of texts) await sendChat(alice.page, text);
    await bob.page.getByRole('button', { name: 'Chat, 3 unread messages' }).waitFor({ timeout: 10_000 });
    const badge = bob.page.locator('.chat-badge .v-badge__badge');
    assert.equal((await badge.textContent()).trim(), '3');
    assert.ok(await badge.isVisible(), 'the unread badge is visible');

    // Bob opens the chat: the badge clears and the newest message is in view.
    await bob.page.getByRole('button', { name: 'Chat, 3 unread messages' }).press('Enter'); // by keyboard
    await bob.page.getByRole('button', { name: 'Chat', exact: true }).waitFor();
    await badge.waitFor({ state: 'hidden' });
    const lastInView = page => page.waitForFunction(() => {
      const log = document.querySelector('#chat-panel [role=log]');
      const last = [...log.querySelectorAll('li.message')].at(-1);
      const l = log.getBoundingClientRect();
      const m = last.getBoundingClientRect();
      return l.right <= window.innerWidth + 1 && m.top >= l.top - 1 && m.bottom <= l.bottom + 1 &&
        log.scrollTop + log.clientHeight >= log.scrollHeight - 1;
    }, null, { timeout: 5_000 });
    await lastInView(bob.page);
    assert.ok(await bob.page.locator('#chat-panel [role=log]').evaluate(log => log.scrollHeight > log.clientHeight),
      'the messages overflow the phone\'s chat panel, so it had to scroll');

    // Own and others' messages are told apart, each with the sender's initials.
    assert.deepEqual(await chatMessages(bob.page), texts.map(text => ({ mine: false, from: 'Alice Adams', initials: 'AA', text })));
    assert.deepEqual(await chatMessages(alice.page), texts.map(text => ({ mine: true, from: 'You', initials: 'AA', text })));

    // Markup is shown as text, never rendered; an open chat scrolls to each new message.
    await sendChat(alice.page, '<b>html</b>');
    await bob.page.waitForFunction(() => [...document.querySelectorAll('#chat-panel .bubble')].at(-1)?.textContent === '<b>html</b>');
    assert.equal(await bob.page.locator('#chat-panel .bubble b').count(), 0, 'no <b> element was made');
    await lastInView(bob.page);

    // Bob answers with Enter; Alice sees it as someone else's message.
    await bob.page.getByRole('textbox', { name: 'Message' }).fill('Looks great on my phone!');
    await bob.page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await alice.page.waitForFunction(() => [...document.querySelectorAll('#chat-panel li.message')].at(-1)?.classList.contains('theirs'));
    assert.deepEqual((await chatMessages(alice.page)).at(-1), { mine: false, from: 'Bob Brown', initials: 'BB', text: 'Looks great on my phone!' });

    await lastInView(alice.page);
    await alice.page.screenshot({ path: join(screenshots, 'call-desktop-chat.png') });
    await bob.page.screenshot({ path: join(screenshots, 'call-phone-chat.png') });
    await bob.page.getByRole('button', { name: 'Close chat' }).click();
    await bob.page.waitForFunction(() => document.querySelector('#chat-panel').getBoundingClientRect().left >= window.innerWidth - 1);
    await bob.page.screenshot({ path: join(screenshots, 'call-phone.png') });

    // Alice mutes and turns her camera off: Bob's tile of her says so and shows her initials instead of video.
    await alice.page.getByRole('button', { name: 'Mute microphone' }).click();
    await alice.page.getByRole('button', { name: 'Turn off camera' }).click();
    await bob.page.getByRole('group', { name: 'Alice Adams, microphone off, camera off' }).waitFor();
    const aliceOnBob = tile(bob.page, 'Alice Adams');
    assert.equal(await aliceOnBob.locator('video').isVisible(), false);
    assert.equal((await aliceOnBob.locator('.v-avatar').textContent()).trim(), 'AA');
    assert.equal(await aliceOnBob.getAttribute('data-speaking'), null, 'a muted participant is not highlighted');

    // Bob leaves: Alice's grid drops his tile, and Bob's join screen remembers his names.
    assert.equal(await alice.page.locator('figure[data-connection-id]').count(), 2);
    await bob.page.getByRole('button', { name: 'Leave the call' }).click();
    await tile(alice.page, 'Bob Brown').waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(await alice.page.locator('figure[data-connection-id]').count(), 1);
    await bob.page.getByRole('button', { name: 'Join', exact: true }).waitFor();
    assert.equal(await bob.page.getByLabel('Call name').inputValue(), callName);
    assert.equal(await bob.page.getByLabel('Your name').inputValue(), 'Bob Brown');

    assert.deepEqual(alice.problems, [], 'Alice\'s page has no errors');
    assert.deepEqual(bob.problems, [], 'Bob\'s page has no errors');
  } finally {
    await Promise.all([alice.close(), bob.close()]);
  }
});
