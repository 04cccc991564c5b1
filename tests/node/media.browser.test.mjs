// Media end to end: the unmodified openvidu-browser 2.32.2 in headless Chromium (fake camera and microphone)
// publishes to and subscribes from Parley's SFU, with tokens minted by the unmodified openvidu-node-client.
// Video must decode (frames counted and advancing), audio must arrive, and chat must work alongside.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { OpenVidu } from 'openvidu-node-client';
import { startParley, rest } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, joinWithTiles } from './browser.mjs';

let parley;
let ov;
let pageServer;
let browser;
let opened = [];

before(async () => {
  pageServer = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pageServer?.close();
});

afterEach(async () => {
  const errors = opened.flatMap(p => p.errors);
  await Promise.all(opened.map(p => p.closeContext()));
  opened = [];
  assert.deepEqual(errors, [], 'page errors');
});

/** Joins a page to `session`; with `publish`, it publishes its fake camera and microphone. Every remote stream is
 * subscribed into a tile keyed by the publisher's connection id; events land in window.events. */
async function participant(session, name, publish, resolution = '320x240') {
  const connection = await session.createConnection({ data: name });
  const page = await openviduPage(browser, pageServer.origin);
  opened.push(page);
  const id = await joinWithTiles(page, { token: connection.token, name, publish, resolution });
  return { page, id };
}

/** What a page decodes from `publisherId`: the video element's size and time, and its inbound RTP statistics. */
function reception(page, publisherId) {
  return page.evaluate(async publisherId => {
    const video = document.querySelector(`#tile-${publisherId} video`);
    let pc;
    try {
      pc = window.subscribers[publisherId]?.stream?.getRTCPeerConnection();
    } catch {
      pc = undefined; // the subscriber's peer connection is still being made
    }
    const stats = { audioPackets: 0, audioEnergy: 0, framesDecoded: 0, codec: null };
    if (pc) {
      (await pc.getStats()).forEach(s => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          stats.audioPackets = s.packetsReceived;
          stats.audioEnergy = s.totalAudioEnergy ?? 0;
        }
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          stats.framesDecoded = s.framesDecoded ?? 0;
          stats.codecId = s.codecId;
        }
      });
      if (stats.codecId) {
        (await pc.getStats()).forEach(s => { if (s.id === stats.codecId) stats.codec = s.mimeType; });
      }
    }
    return { width: video?.videoWidth ?? 0, height: video?.videoHeight ?? 0, time: video?.currentTime ?? 0, ...stats };
  }, publisherId);
}

/** Waits until `page` decodes video and audio from `publisherId`, and the video keeps advancing. */
async function assertPlaying(page, publisherId) {
  await page.waitForFunction(async publisherId => {
    const video = document.querySelector(`#tile-${publisherId} video`);
    return video && video.videoWidth > 0 && video.currentTime > 0;
  }, publisherId, { timeout: 15_000, polling: 100 });
  const first = await reception(page, publisherId);
  await new Promise(resolve => setTimeout(resolve, 1500));
  const later = await reception(page, publisherId);
  assert.equal(later.width, 320);
  assert.equal(later.height, 240);
  assert.ok(later.framesDecoded > first.framesDecoded, `frames advance (${first.framesDecoded} → ${later.framesDecoded})`);
  assert.ok(later.time > first.time, 'playback time advances');
  assert.ok(later.audioPackets > first.audioPackets, `audio arrives (${first.audioPackets} → ${later.audioPackets})`);
}


// Both negotiation flows openvidu-browser supports: OpenVidu CE's (the browser offers to subscribe) and the
// mediasoup one (the server offers; publishers announce simulcast).
for (const mediaServer of ['kurento', 'mediasoup']) {
  describe(`with mediaServer "${mediaServer}"`, () => {
    before(async () => {
      parley = await startParley(`--OpenVidu:MediaServer=${mediaServer}`);
      ov = new OpenVidu(parley.url, 'MY_SECRET');
    });

    after(async () => {
      await parley?.stop();
    });

    test('a publisher\'s camera and microphone reach a subscriber through the SFU', async () => {
      const session = await ov.createSession();
      const alice = await participant(session, 'Alice', true);
      const bob = await participant(session, 'Bob', false);
      await assertPlaying(bob.page, alice.id);
      assert.equal((await reception(bob.page, alice.id)).codec, 'video/VP8'); // the default preference

      // REST shows the publisher and the subscription.
      const { body } = await rest(parley, 'GET', `/sessions/${session.sessionId}/connection/${bob.id}`);
      assert.equal(body.subscribers.length, 1);
      assert.match(body.subscribers[0].streamId, new RegExp(`^str_CAM_.{4}_${alice.id}$`));
    });

    test('H.264 forced on the session: two subscribers decode it and hear the audio within seconds of subscribing', async () => {
      const session = await ov.createSession({ forcedVideoCodec: 'H264' });
      const alice = await participant(session, 'Alice', true);
      const started = Date.now();
      const [bob, carol] = await Promise.all([participant(session, 'Bob', false), participant(session, 'Carol', false)]);
      await Promise.all([assertPlaying(bob.page, alice.id), assertPlaying(carol.page, alice.id)]);
      for (const page of [bob.page, carol.page]) {
        const stats = await reception(page, alice.id);
        assert.equal(stats.codec, 'video/H264');
        assert.ok(stats.audioEnergy > 0, 'the fake microphone\'s tone is heard');
      }
      assert.ok(Date.now() - started < 15_000);

      await alice.page.evaluate(() => window.session.unpublish(window.publisher));
      for (const page of [bob.page, carol.page]) {
        await page.waitForFunction(id => window.events.some(e => e.name === 'streamDestroyed' && e.from === id), alice.id);
      }
    });

    test('a two-way call with chat: each sees and hears the other, chats, and a leaver\'s tile goes', async () => {
      const session = await ov.createSession();
      const alice = await participant(session, 'Alice', true);
      const bob = await participant(session, 'Bob', true);
      await Promise.all([assertPlaying(alice.page, bob.id), assertPlaying(bob.page, alice.id)]);

      await alice.page.evaluate(() => window.session.signal({ data: 'can you see me?', to: [], type: 'chat' }));
      await bob.page.waitForFunction(() => window.events.some(e => e.name === 'chat' && e.data === 'can you see me?'));
      assert.deepEqual(await bob.page.evaluate(() => window.events.filter(e => e.name === 'chat')),
        [{ name: 'chat', from: alice.id, data: 'can you see me?' }]);

      await bob.page.evaluate(() => window.session.disconnect());
      await alice.page.waitForFunction(id => window.events.some(e => e.name === 'streamDestroyed' && e.from === id), bob.id);
      assert.deepEqual(await alice.page.evaluate(() => window.events.filter(e => e.name === 'streamDestroyed')),
        [{ name: 'streamDestroyed', from: bob.id, reason: 'disconnect' }]);
    });

    test('unpublishing stops the subscriber\'s stream with reason unpublish, and publishing again is seen anew', async () => {
      const session = await ov.createSession();
      const alice = await participant(session, 'Alice', true);
      const bob = await participant(session, 'Bob', false);
      await assertPlaying(bob.page, alice.id);
      await alice.page.evaluate(() => window.session.unpublish(window.publisher));
      await bob.page.waitForFunction(() => window.events.some(e => e.name === 'streamDestroyed'));
      assert.deepEqual(await bob.page.evaluate(() => window.events.filter(e => e.name === 'streamDestroyed')),
        [{ name: 'streamDestroyed', from: alice.id, reason: 'unpublish' }]);

      await bob.page.evaluate(id => document.querySelector(`#tile-${id}`).remove(), alice.id);
      await alice.page.evaluate(async () => {
        const OV = new OpenVidu();
        const own = document.createElement('div');
        document.body.appendChild(own);
        window.publisher = OV.initPublisher(own, { resolution: '320x240', frameRate: 15 });
        await window.session.publish(window.publisher);
      });
      await assertPlaying(bob.page, alice.id);
    });

    if (mediaServer === 'mediasoup') {
      test('simulcast: a 960x540 publisher sends three layers and the subscriber is moved up to the full one', async () => {
        const session = await ov.createSession();
        const alice = await participant(session, 'Alice', true, '960x540');
        const bob = await participant(session, 'Bob', false);
        await bob.page.waitForFunction(id => document.querySelector(`#tile-${id} video`)?.videoWidth === 960, alice.id,
          { timeout: 30_000, polling: 200 });
        const sent = await alice.page.evaluate(async () => {
          const layers = [];
          (await window.publisher.stream.getRTCPeerConnection().getStats())
            .forEach(s => { if (s.type === 'outbound-rtp' && s.kind === 'video') layers.push(s.rid); });
          return layers.sort();
        });
        assert.deepEqual(sent, ['rdiv1', 'rdiv2', 'rdiv4']);
        const first = await reception(bob.page, alice.id);
        await new Promise(resolve => setTimeout(resolve, 1000));
        const later = await reception(bob.page, alice.id);
        // Layers may still move (a loaded machine makes the publisher's encoder drop its top layer): whichever is
        // sent, it is one of the three and it keeps decoding.
        assert.ok([240, 480, 960].includes(later.width), `a layer's width (${later.width})`);
        assert.ok(later.framesDecoded > first.framesDecoded, 'frames keep coming after the switches');
      });
    }
  });
}
