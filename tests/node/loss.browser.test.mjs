// Media under loss: 5 % of the datagrams to and from Parley's media port are dropped (nftables, on loopback) while a
// subscriber watches a publisher through the unmodified openvidu-browser. Losses on the way in are asked for again
// from the publisher (the server's NACKs, answered with RTX); losses on the way out are answered from the server's
// packet cache (the subscriber's NACKs): the subscriber ends up with nearly every packet and keeps the frame rate.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { OpenVidu } from 'openvidu-node-client';
import { startParley } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage } from './browser.mjs';

const canFilter = (() => {
  try {
    execFileSync('nft', ['--version'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

let port;
let table;
let parley;
let pageServer;
let browser;

async function freeUdpPort() {
  const socket = createSocket('udp4');
  await new Promise(resolve => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise(resolve => socket.close(resolve));
  return port;
}

before(async () => {
  if (!canFilter) return;
  port = await freeUdpPort();
  table = `parley_loss_${port}`;
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${table} {
      chain output {
        type filter hook output priority 0; policy accept;
        udp sport ${port} numgen random mod 100 < 5 counter drop
        udp dport ${port} numgen random mod 100 < 5 counter drop
      }
    }\n`,
  });
  parley = await startParley('--OpenVidu:MediaServer=kurento', `--WebRtc:Port=${port}`);
  pageServer = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await pageServer?.close();
  await parley?.stop();
  if (table) execFileSync('nft', ['delete', 'table', 'inet', table]);
});

test('with 5 % of the media datagrams dropped both ways, losses are repaired and the subscriber keeps decoding at frame rate',
  { skip: canFilter ? false : 'needs root and nftables (bash .ci/run installs nftables; CI runs as root)' }, async () => {
    const ov = new OpenVidu(parley.url, 'MY_SECRET');
    const session = await ov.createSession();
    const pages = [];
    async function join(publish) {
      const { token } = await session.createConnection();
      const page = await openviduPage(browser, pageServer.origin);
      pages.push(page);
      await page.evaluate(async ({ token, publish }) => {
        const OV = new OpenVidu();
        OV.enableProdMode();
        window.session = OV.initSession();
        window.session.on('streamCreated', e => { window.subscriber = window.session.subscribe(e.stream, document.body); });
        await window.session.connect(token);
        if (publish) {
          await window.session.publish(OV.initPublisher(document.body, { resolution: '640x480', frameRate: 30 }));
        }
      }, { token, publish });
      return page;
    }
    const stats = page => page.evaluate(async () => {
      const result = {};
      (await window.subscriber.stream.getRTCPeerConnection().getStats()).forEach(s => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') Object.assign(result, {
          frames: s.framesDecoded, nacks: s.nackCount, lost: s.packetsLost, received: s.packetsReceived,
        });
      });
      return result;
    });

    const publisher = await join(true);
    const watcher = await join(false);
    const encoded = () => publisher.evaluate(async () => {
      let frames = 0;
      (await window.session.connection.stream.getRTCPeerConnection().getStats())
        .forEach(s => { if (s.type === 'outbound-rtp' && s.kind === 'video') frames += s.framesEncoded; });
      return frames;
    });
    await watcher.waitForFunction(() => document.querySelector('video:not([muted])')?.videoWidth > 0 || [...document.querySelectorAll('video')].some(v => v.videoWidth > 0 && window.subscriber), null, { timeout: 15_000 });
    await new Promise(resolve => setTimeout(resolve, 3000)); // let the encoder reach its frame rate
    const [first, encodedFirst] = [await stats(watcher), await encoded()];
    await new Promise(resolve => setTimeout(resolve, 5000));
    const [later, encodedLater] = [await stats(watcher), await encoded()];

    const fps = (later.frames - first.frames) / 5;
    const sourceFps = (encodedLater - encodedFirst) / 5;
    const counters = [...execFileSync('nft', ['list', 'table', 'inet', table]).toString().matchAll(/packets (\d+)/g)].map(m => Number(m[1]));
    assert.ok(counters.every(dropped => dropped > 10), `the filter dropped packets both ways (${counters.join(', ')})`);
    assert.ok(later.nacks > first.nacks, `the subscriber sent NACKs (${first.nacks} → ${later.nacks})`);
    const lossAfterRepair = (later.lost - first.lost) / Math.max(1, later.received - first.received);
    assert.ok(lossAfterRepair < 0.02, `retransmissions repaired the 5 % loss (unrepaired ${(100 * lossAfterRepair).toFixed(2)} %)`);
    // The publisher's encoder sets the pace (on a loaded 2-core machine it may not reach 30): the subscriber must
    // decode nearly every frame it encodes.
    assert.ok(fps >= 0.9 * sourceFps, `video keeps decoding at ${fps.toFixed(1)} of ${sourceFps.toFixed(1)} encoded frames/s`);

    // The server's side of the repair, as OpenVidu's REST API (?webRtcStats=true, read by the unmodified
    // openvidu-node-client's fetchWebRtc) and the metrics show it.
    await ov.fetchWebRtc();
    const [owner, viewer] = ov.activeSessions.find(s => s.sessionId === session.sessionId).connections
      .sort((a, b) => b.publishers.length - a.publishers.length);
    const serverStats = endpoint => Object.values(endpoint.webRtc.kms.serverStats);
    const inbound = serverStats(owner.publishers[0]).find(s => s.type === 'inboundrtp' && s.mediaType === 'video');
    const outbound = serverStats(viewer.subscribers[0]).find(s => s.type === 'outboundrtp' && s.mediaType === 'video');
    assert.ok(inbound.packetsReceived > 100 && inbound.bytesReceived > 100_000 && inbound.jitter < 0.1,
      `the server counts what it receives from the publisher (${JSON.stringify(inbound)})`);
    assert.ok(inbound.packetsLost / inbound.packetsReceived < 0.02, `few losses stay unrepaired on the way in (${JSON.stringify(inbound)})`);
    assert.ok(outbound.nackCount > 0 && outbound.retransmittedPacketsSent > 0,
      `the subscriber's NACKs were answered from the cache (${JSON.stringify(outbound)})`);
    assert.ok(outbound.roundTripTime >= 0 && outbound.roundTripTime < 1, `the subscriber's reports give a round trip (${outbound.roundTripTime} s)`);
    assert.ok(outbound.fractionLost < 0.1 && outbound.jitter >= 0, 'the subscriber reported its loss and jitter');
    assert.equal(owner.publishers[0].localCandidatePair.transport, 'udp');
    assert.match(owner.publishers[0].webRtc.kms.remoteSdp, /^v=0/);
    // The server's receiver reports reach the publisher's browser: it knows its loss and round trip to the server.
    const remoteInbound = await publisher.evaluate(async () => {
      let found = null;
      (await window.session.connection.stream.getRTCPeerConnection().getStats())
        .forEach(s => { if (s.type === 'remote-inbound-rtp' && s.kind === 'video') found = { lost: s.packetsLost, rtt: s.roundTripTime }; });
      return found;
    });
    assert.ok(remoteInbound && remoteInbound.rtt >= 0, `the publisher sees the server's reports (${JSON.stringify(remoteInbound)})`);
    const metrics = await (await fetch(parley.url + '/metrics', { headers: { Authorization: 'Basic ' + Buffer.from('OPENVIDUAPP:MY_SECRET').toString('base64') } })).text();
    const sample = name => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(metrics)?.[1]);
    assert.ok(sample('parley_media_retransmissions_total{direction="out"}') >= outbound.retransmittedPacketsSent, metrics);
    assert.ok(sample('parley_media_nacks_total{direction="in"}') > 0 && sample('parley_media_packets_total{direction="out"}') > 0, metrics);
    assert.deepEqual(pages.flatMap(p => p.errors), []);
  });
