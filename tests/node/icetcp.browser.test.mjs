// ICE-TCP: a network that blocks UDP. Every UDP datagram to and from Parley's media port is dropped (nftables, on
// loopback), there is no TURN (startParley turns STUN/TURN off), and the unmodified openvidu-browser in Chromium still
// publishes and subscribes: Chromium's ICE falls back to the passive TCP candidate on the same port number (RFC 6544),
// and video decodes and audio arrives over it. Both negotiation flows: the browser offers to subscribe (kurento) and
// the server offers (mediasoup).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { OpenVidu } from 'openvidu-node-client';
import { startParley } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, selectedPairs } from './browser.mjs';

const canFilter = (() => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();
const skip = canFilter ? false : 'needs root and nftables to block UDP (bash .ci/run installs nftables; CI runs as root)';

let pageServer;
let browser;

before(async () => {
  if (!canFilter) return;
  pageServer = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pageServer?.close();
});

async function freeUdpPort() {
  const socket = createSocket('udp4');
  await new Promise(resolve => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise(resolve => socket.close(resolve));
  return port;
}

/** Drops every UDP datagram to or from `port` (counted); returns a function that removes the rules. */
function blockUdp(port) {
  const table = `parley_icetcp_${port}`;
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${table} {
      chain output {
        type filter hook output priority 0; policy accept;
        udp dport ${port} counter drop
        udp sport ${port} counter drop
      }
    }\n`,
  });
  return {
    dropped: () => [...execFileSync('nft', ['list', 'table', 'inet', table]).toString().matchAll(/packets (\d+)/g)].map(m => Number(m[1])),
    remove: () => execFileSync('nft', ['delete', 'table', 'inet', table]),
  };
}

/** Joins a page to `session`, keeping its RTCPeerConnections in window.peerConnections; with `publish`, it publishes
 * its fake camera and microphone; remote streams are subscribed into window.subscriber. */
async function participant(session, publish) {
  const { token } = await session.createConnection();
  const page = await openviduPage(browser, pageServer.origin);
  await page.evaluate(async ({ token, publish }) => {
    const Native = window.RTCPeerConnection;
    window.peerConnections = [];
    window.RTCPeerConnection = function (...args) {
      const pc = new Native(...args);
      window.peerConnections.push(pc);
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    const OV = new OpenVidu();
    OV.enableProdMode();
    window.session = OV.initSession();
    window.session.on('streamCreated', e => { window.subscriber = window.session.subscribe(e.stream, document.body); });
    await window.session.connect(token);
    if (publish) {
      await window.session.publish(OV.initPublisher(document.body, { resolution: '320x240', frameRate: 15 }));
    }
  }, { token, publish });
  return page;
}

/** What the subscriber has decoded: video frames and audio packets. */
function reception(page) {
  return page.evaluate(async () => {
    const result = { frames: 0, audioPackets: 0 };
    (await window.subscriber.stream.getRTCPeerConnection().getStats()).forEach(s => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') result.frames = s.framesDecoded ?? 0;
      if (s.type === 'inbound-rtp' && s.kind === 'audio') result.audioPackets = s.packetsReceived ?? 0;
    });
    return result;
  });
}

for (const mediaServer of ['kurento', 'mediasoup']) {
  describe(`with mediaServer "${mediaServer}"`, () => {
    test('with UDP to the media port blocked and no TURN, publishing and subscribing work over ICE-TCP', { skip }, async () => {
      const port = await freeUdpPort();
      const filter = blockUdp(port);
      let parley;
      const pages = [];
      try {
        parley = await startParley(`--OpenVidu:MediaServer=${mediaServer}`, `--WebRtc:Port=${port}`);
        const ov = new OpenVidu(parley.url, 'MY_SECRET');
        const session = await ov.createSession();
        pages.push(await participant(session, true));
        pages.push(await participant(session, false));
        const [publisher, subscriber] = pages;

        await subscriber.waitForFunction(() => [...document.querySelectorAll('video')].some(v => v.videoWidth > 0 && v.currentTime > 0),
          null, { timeout: 30_000, polling: 100 });
        const first = await reception(subscriber);
        await new Promise(resolve => setTimeout(resolve, 2000));
        const later = await reception(subscriber);
        assert.ok(later.frames > first.frames, `video decodes (${first.frames} → ${later.frames} frames)`);
        assert.ok(later.audioPackets > first.audioPackets, `audio arrives (${first.audioPackets} → ${later.audioPackets} packets)`);

        // Both peer connections (the publisher's and the subscriber's) run on TCP to the media port.
        for (const page of pages) {
          const pairs = await selectedPairs(page);
          assert.ok(pairs.length >= 1, 'a connected peer connection');
          for (const pair of pairs) {
            assert.equal(pair.protocol, 'tcp', `the selected pair ${JSON.stringify(pair)} is on TCP`);
            assert.equal(pair.remoteAddress, `127.0.0.1:${port}`);
          }
        }

        // OpenVidu's REST statistics name the TCP candidates of both endpoints.
        await ov.fetchWebRtc();
        const joined = ov.activeSessions.find(s => s.sessionId === session.sessionId).connections;
        const endpoints = joined.flatMap(c => [...c.publishers, ...c.subscribers]);
        assert.equal(endpoints.length, 2);
        for (const endpoint of endpoints) {
          assert.equal(endpoint.localCandidatePair.transport, 'tcp', endpoint.webRtc.kms.remoteCandidate);
          assert.match(endpoint.webRtc.kms.localCandidate, new RegExp(` tcp \\d+ 127\\.0\\.0\\.1 ${port} typ host tcptype passive`));
        }

        // The metrics count the open ICE-TCP connections: at least the publisher's and the subscriber's.
        const metrics = await (await fetch(parley.url + '/metrics',
          { headers: { Authorization: 'Basic ' + Buffer.from('OPENVIDUAPP:MY_SECRET').toString('base64') } })).text();
        const connections = Number(/^parley_webrtc_tcp_connections (\d+)$/m.exec(metrics)?.[1]);
        assert.ok(connections >= 2, `ICE-TCP connections in the metrics: ${connections}`);

        const [toServer] = filter.dropped();
        assert.ok(toServer > 0, `Chromium tried UDP first and the filter dropped it (${toServer} datagrams)`);
        assert.deepEqual(pages.flatMap(p => p.errors), []);
      } finally {
        await Promise.all(pages.map(p => p.closeContext()));
        await parley?.stop();
        filter.remove();
      }
    });
  });
}
