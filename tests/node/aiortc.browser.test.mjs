// A second, independent WebRTC implementation against Parley: aiortc (Debian's python3-aiortc, run by Debian's
// /usr/bin/python3 as a child process speaking JSON lines, aiortc_peer.py) publishes and subscribes through the
// OpenVidu JSON-RPC protocol spoken from node, and the unmodified openvidu-browser in headless Chromium is on the
// other end: Chromium decodes aiortc's VP8 or H.264 picture and Opus tone, aiortc decodes Chromium's fake camera and
// microphone. Unlike a browser, aiortc 1.4 sends no PLI when it cannot decode (only when its jitter buffer overflows),
// so a subscriber's first picture here also depends on the SFU asking the publisher for a key frame by itself.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenVidu } from 'openvidu-node-client';
import { startParley } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, joinWithTiles } from './browser.mjs';
import { openviduRpc } from './openvidu-rpc.mjs';

const python = '/usr/bin/python3';
const peerScript = join(dirname(fileURLToPath(import.meta.url)), 'aiortc_peer.py');
const aiortcMissing = spawnSync(python, ['-c', 'import aiortc, numpy'], { stdio: 'ignore' }).status !== 0
  ? `${python} cannot import aiortc (Debian package python3-aiortc; .ci/run installs it)` : false;

/** aiortc_peer.py as a child process: `request(op, fields)` sends one command and resolves with its reply. */
function startAiortc() {
  const child = spawn(python, [peerScript], { stdio: ['pipe', 'pipe', 'pipe'] });
  const pending = new Map();
  let nextId = 0;
  let log = '';
  child.stderr.on('data', chunk => { log += chunk; });
  createInterface({ input: child.stdout }).on('line', line => {
    const reply = JSON.parse(line);
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply);
    else waiter?.reject(new Error(`aiortc: ${reply.error}\n${log}`));
  });
  child.on('exit', code => {
    for (const { reject } of pending.values()) reject(new Error(`aiortc exited with ${code}:\n${log}`));
    pending.clear();
  });
  return {
    log: () => log,
    request(op, fields = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.stdin.write(JSON.stringify({ id, op, ...fields }) + '\n');
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The codec names of the video section of `sdp` (retransmission formats left out). */
function videoCodecs(sdp) {
  const video = sdp.split(/\r\n(?=m=)/).find(section => section.startsWith('m=video')) ?? '';
  return [...video.matchAll(/^a=rtpmap:\d+ ([^/]+)\//gm)].map(m => m[1]).filter(name => name !== 'rtx');
}

/** Polls `probe` every 200 ms until `done(value)`, or fails with the last value after `timeout`. */
async function until(probe, done, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

// Each test is skipped on its own (not the suite), so the skips are counted in the runner's summary.
describe('aiortc as a second WebRTC peer', () => {
  let pageServer;
  let browser;
  let opened = [];
  let cleanups = [];

  before(async () => {
    if (aiortcMissing) return;
    pageServer = await startPageServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await pageServer?.close();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups = [];
    const errors = opened.flatMap(p => p.errors);
    await Promise.all(opened.map(p => p.closeContext()));
    opened = [];
    assert.deepEqual(errors, [], 'page errors');
  });

  /** A Chromium participant: subscribes to every stream it is told of; with `publish`, sends its fake devices. */
  async function chromiumParticipant(session, name, publish) {
    const connection = await session.createConnection({ data: name });
    const page = await openviduPage(browser, pageServer.origin);
    opened.push(page);
    const id = await joinWithTiles(page, { token: connection.token, name, publish });
    return { page, id };
  }

  /** What the page decodes from `publisherId`: video element size, frames decoded, audio packets and energy. */
  function reception(page, publisherId) {
    return page.evaluate(async publisherId => {
      const video = document.querySelector(`#tile-${publisherId} video`);
      const result = { width: video?.videoWidth ?? 0, height: video?.videoHeight ?? 0, framesDecoded: 0, codec: null, audioPackets: 0, audioEnergy: 0 };
      let pc;
      try {
        pc = window.subscribers[publisherId]?.stream?.getRTCPeerConnection();
      } catch {
        return result; // the subscriber's peer connection is still being made
      }
      if (!pc) return result;
      const stats = await pc.getStats();
      stats.forEach(s => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          result.framesDecoded = s.framesDecoded ?? 0;
          result.codec = stats.get(s.codecId)?.mimeType ?? null;
        }
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          result.audioPackets = s.packetsReceived ?? 0;
          result.audioEnergy = s.totalAudioEnergy ?? 0;
        }
      });
      return result;
    }, publisherId);
  }

  /** aiortc joins `session` over JSON-RPC; `close` leaves. */
  async function aiortcParticipant(session) {
    const connection = await session.createConnection({ data: 'aiortc' });
    const rpc = await openviduRpc(connection.token);
    cleanups.push(() => rpc.close());
    const joined = await rpc.joinRoom('aiortc');
    return { rpc, joined, id: joined.id };
  }

  /** aiortc's received tracks by kind, from its stats. */
  async function aiortcReception(aiortc, pc) {
    const stats = await aiortc.request('stats', { pc });
    return {
      state: stats.connectionState,
      video: stats.received.find(r => r.kind === 'video') ?? { frames: 0, width: 0, height: 0 },
      audio: stats.received.find(r => r.kind === 'audio') ?? { frames: 0, energy: 0 },
    };
  }

  for (const mediaServer of ['kurento', 'mediasoup']) {
    describe(`with mediaServer "${mediaServer}"`, () => {
      let parley;
      let ov;
      let aiortc;

      before(async () => {
        if (aiortcMissing) return;
        parley = await startParley(`--OpenVidu:MediaServer=${mediaServer}`);
        ov = new OpenVidu(parley.url, 'MY_SECRET');
        aiortc = startAiortc();
      });

      after(async () => {
        // AIORTC_LOG=1 prints aiortc's stderr and Parley's log, to see why a call did not connect (with AIORTC_DEBUG=1
        // too, aiortc logs its ICE, DTLS and every RTP and RTCP packet).
        if (process.env.AIORTC_LOG) console.log(aiortc?.log(), parley?.output());
        await aiortc?.stop();
        await parley?.stop();
      });

      for (const codec of ['VP8', 'H264']) {
        test(`aiortc publishes a ${codec} picture and an Opus tone; Chromium decodes both`, { skip: aiortcMissing }, async t => {
          const session = await ov.createSession({ forcedVideoCodec: codec });
          const publisher = await aiortcParticipant(session);
          const offer = await aiortc.request('publish', { pc: 'publish' });
          cleanups.push(() => aiortc.request('close', { pc: 'publish' }));
          const published = await publisher.rpc.call('publishVideo', {
            doLoopback: false, hasAudio: true, hasVideo: true, audioActive: true, videoActive: true, typeOfVideo: 'CUSTOM',
            frameRate: 30, videoDimensions: JSON.stringify({ width: 320, height: 240 }), sdpOffer: offer.sdp,
          });
          assert.match(published.id, new RegExp(`^str_CUS_.{4}_${publisher.id}$`));
          assert.deepEqual(videoCodecs(published.sdpAnswer), [codec]);
          await aiortc.request('answer', { pc: 'publish', sdp: published.sdpAnswer });
          await until(() => aiortc.request('stats', { pc: 'publish' }), s => s.connectionState === 'connected',
            'aiortc\'s publishing connection connects');

          const viewer = await chromiumParticipant(session, 'Viewer', false);
          const first = await until(() => reception(viewer.page, publisher.id),
            r => r.framesDecoded > 0 && r.audioPackets > 0 && r.width > 0, 'Chromium decodes aiortc\'s stream');
          await new Promise(resolve => setTimeout(resolve, 1500));
          const later = await reception(viewer.page, publisher.id);
          t.diagnostic(`Chromium decoded ${later.framesDecoded} ${later.codec} frames of ${later.width}x${later.height}, `
            + `${later.audioPackets} audio packets, energy ${later.audioEnergy.toFixed(3)}`);
          assert.equal(later.codec, `video/${codec}`);
          assert.deepEqual([later.width, later.height], [320, 240]);
          assert.ok(later.framesDecoded > first.framesDecoded + 10, `frames advance (${first.framesDecoded} → ${later.framesDecoded})`);
          assert.ok(later.audioPackets > first.audioPackets + 25, `audio arrives (${first.audioPackets} → ${later.audioPackets})`);
          assert.ok(later.audioEnergy > first.audioEnergy, `the tone is heard (energy ${first.audioEnergy} → ${later.audioEnergy})`);
        });

        test(`Chromium publishes its fake camera (${codec}) and microphone; aiortc decodes both`, { skip: aiortcMissing }, async t => {
          const session = await ov.createSession({ forcedVideoCodec: codec });
          const camera = await chromiumParticipant(session, 'Camera', true);
          const subscriber = await aiortcParticipant(session);
          const stream = subscriber.joined.value.find(c => c.id === camera.id)?.streams?.[0];
          assert.ok(stream, 'joinRoom lists Chromium\'s stream');
          assert.equal(stream.hasAudio && stream.hasVideo, true);

          if (mediaServer === 'mediasoup') {
            // The server offers; aiortc answers.
            const { sdpOffer } = await subscriber.rpc.call('prepareReceiveVideoFrom', { sender: stream.id, reconnect: false });
            assert.deepEqual(videoCodecs(sdpOffer), [codec]);
            const answer = await aiortc.request('accept', { pc: 'subscribe', sdp: sdpOffer });
            cleanups.push(() => aiortc.request('close', { pc: 'subscribe' }));
            await subscriber.rpc.call('receiveVideoFrom', { sender: stream.id, sdpAnswer: answer.sdp });
          } else {
            // aiortc offers recvonly audio and video, as openvidu-browser does.
            const offer = await aiortc.request('subscribe', { pc: 'subscribe' });
            cleanups.push(() => aiortc.request('close', { pc: 'subscribe' }));
            const { sdpAnswer } = await subscriber.rpc.call('receiveVideoFrom', { sender: stream.id, sdpOffer: offer.sdp });
            assert.deepEqual(videoCodecs(sdpAnswer), [codec]);
            await aiortc.request('answer', { pc: 'subscribe', sdp: sdpAnswer });
          }

          const first = await until(() => aiortcReception(aiortc, 'subscribe'),
            r => r.state === 'connected' && r.video.frames > 0 && r.audio.frames > 0, 'aiortc decodes Chromium\'s stream');
          await new Promise(resolve => setTimeout(resolve, 1500));
          const later = await aiortcReception(aiortc, 'subscribe');
          t.diagnostic(`aiortc decoded ${later.video.frames} video frames of ${later.video.width}x${later.video.height}, `
            + `${later.audio.frames} audio frames, energy ${later.audio.energy.toFixed(3)}`);
          // The camera's 320x240, or a 4:3 step down if Chromium's encoder adapts on a loaded machine.
          assert.ok(later.video.width >= 160 && later.video.width <= 320 && later.video.width * 3 === later.video.height * 4,
            `a plausible picture (${later.video.width}x${later.video.height})`);
          assert.ok(later.video.frames > first.video.frames + 5, `frames advance (${first.video.frames} → ${later.video.frames})`);
          assert.ok(later.audio.frames > first.audio.frames + 25, `audio frames advance (${first.audio.frames} → ${later.audio.frames})`);
          assert.ok(later.audio.energy > 0.001, `the fake microphone's beep is heard (energy ${later.audio.energy})`);
        });
      }
    });
  }
});
