// Bandwidth adaptation end to end: a simulcast publisher (openvidu-browser's mediasoup flow, 960x540 in three
// layers) and two subscribers of it, one with a fast link and one whose downlink is limited to 200 kbit/s.
// The limited one must be sent the low layer (240x135) and keep decoding it, with its audio; the other one must get
// a higher layer. That shows the server follows each subscriber's own estimate (its REMB and receiver reports).
// The rate is set by what the fake camera's layers carry (measured): the low layer about 80 kbit/s, the middle one
// (480x270) 170-250 kbit/s, audio about 45 kbit/s with headers: at 200 kbit/s only low + audio fit. (At 300 kbit/s
// the middle layer often fits, and the server rightly sends it.)
//
// The limited subscriber's Chromium runs in a network namespace behind a veth pair; the root-namespace end limits
// the UDP it forwards into the namespace (the subscriber's downlink) in one of two ways, a test each:
//   - a shaper: an htb class at RATE with a 12.5 kB FIFO, a queueing bottleneck as a slow access link is, which
//     libwebrtc's delay-based receive estimate (REMB) sees;
//   - a policer: nftables `limit rate over` dropping what exceeds RATE without queueing: the delay stays flat, only
//     the loss in the subscriber's receiver reports shows it.
// TCP (the page, its script and the signalling WebSocket) is not limited, so only the media competes for the link.
//
// Topology (names carry this process's id; a crashed run's leftovers are removed first, everything at the end):
//   root ns: Parley, page server, the publisher's and fast subscriber's Chromium ── veth SERVER/24 ──┐
//   limited ns: eth0 CLIENT/24, Chromium through `ip netns exec` ─────────────────────────────────────┘
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { OpenVidu } from 'openvidu-node-client';
import { startParley } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, joinWithTiles } from './browser.mjs';
import { has, ip, safe, sh, testNetwork } from './netns.mjs';

// A /24 of the benchmarking range the NAT matrix does not use (it routes 198.18.0.0/15 through its own core
// namespace; this more specific on-link route wins while both run).
const SERVER = '198.19.250.1';
const CLIENT = '198.19.250.2';
const RATE_KBPS = 200;
const RATE = `${RATE_KBPS}kbit`;
const POLICED_RATE = '24 kbytes/second'; // nftables' kbytes are 1024 bytes: 197 kbit/s
const network = testNetwork('bwe', 'pbwe');
const ns = network.namespace();
const { rootLink, nftTable } = network;

const skipReason = process.getuid?.() !== 0 ? 'needs root to make a network namespace and shape its link (CI runs as root)'
  : !has('ip', '-V') ? 'needs iproute2 (`ip`)'
  : !has('tc', '-V') ? 'needs iproute2\'s `tc` to limit the subscriber\'s downlink'
  : !has('nft', '--version') ? 'needs nftables (`nft`; bash .ci/run installs it) to police the subscriber\'s downlink'
  : !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') ? 'needs Debian\'s chromium'
  : false;

const tc = (...args) => sh('tc', args);

/** The namespace, its veth, the shaper on the downlink, and a wrapper that runs Chromium inside. */
function createLimitedClient() {
  ip('netns', 'add', ns);
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('link', 'add', rootLink, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  ip('addr', 'add', `${SERVER}/24`, 'dev', rootLink);
  ip('link', 'set', rootLink, 'up');
  ip('-n', ns, 'addr', 'add', `${CLIENT}/24`, 'dev', 'eth0');
  ip('-n', ns, 'link', 'set', 'eth0', 'up');
  // Downlink classes: 1:10 shapes to RATE through a 12.5 kB FIFO (half a second at RATE, a congested access
  // link's queue); 1:20 (everything not filtered, e.g. TCP) and 1:30 (policed UDP, dropped before it) are unlimited.
  tc('qdisc', 'add', 'dev', rootLink, 'root', 'handle', '1:', 'htb', 'default', '20', 'r2q', '1000');
  tc('class', 'add', 'dev', rootLink, 'parent', '1:', 'classid', '1:10', 'htb', 'rate', RATE, 'ceil', RATE, 'burst', '4k');
  tc('qdisc', 'add', 'dev', rootLink, 'parent', '1:10', 'handle', '10:', 'bfifo', 'limit', '12500');
  tc('class', 'add', 'dev', rootLink, 'parent', '1:', 'classid', '1:20', 'htb', 'rate', '1gbit');
  return network.chromiumIn(ns, 'chromium-limited');
}

/** Limits UDP into the namespace by `kind`: 'shaper' (htb class 1:10) or 'policer' (nftables drops above RATE). */
function limit(kind) {
  safe(() => tc('filter', 'del', 'dev', rootLink, 'parent', '1:', 'prio', '1'));
  safe(() => sh('nft', ['delete', 'table', 'ip', nftTable]));
  if (kind === 'shaper') {
    tc('filter', 'add', 'dev', rootLink, 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'protocol', '17', '0xff', 'flowid', '1:10');
  } else {
    sh('nft', ['-f', '-'], `table ip ${nftTable} {
      chain output {
        type filter hook output priority filter; policy accept;
        oifname "${rootLink}" meta l4proto udp limit rate over ${POLICED_RATE} burst 8 kbytes counter drop
      }
    }\n`);
  }
}

/** What the limit did: packets and bytes that passed, packets dropped. */
function limitCounters(kind) {
  if (kind === 'shaper') {
    const text = safe(() => tc('-s', 'class', 'show', 'dev', rootLink, 'classid', '1:10')) ?? '';
    const match = /Sent (\d+) bytes (\d+) pkt \(dropped (\d+)/.exec(text);
    return match ? { bytes: Number(match[1]), packets: Number(match[2]), dropped: Number(match[3]) } : null;
  }
  const text = safe(() => sh('nft', ['list', 'table', 'ip', nftTable])) ?? '';
  const match = /counter packets (\d+) bytes (\d+)/.exec(text);
  return match ? { dropped: Number(match[1]), droppedBytes: Number(match[2]) } : null;
}

let parley;
let ov;
let pageServer;
let browser;
let limitedBrowser;
let pages = [];

before(async () => {
  if (skipReason) return;
  network.claim();
  const wrapper = createLimitedClient();
  parley = await startParley(`--Urls=http://${SERVER}:0`, `--OpenVidu:Secret=${network.secret}`, '--OpenVidu:MediaServer=mediasoup',
    `--WebRtc:ListeningIp=${SERVER}`, '--Logging:LogLevel:Parley.Sfu.Router=Debug');
  ov = new OpenVidu(parley.url, network.secret);
  pageServer = await startPageServer(SERVER);
  // The page comes from a plain-HTTP address that is not loopback: told to treat it as secure (getUserMedia).
  const args = [`--unsafely-treat-insecure-origin-as-secure=${pageServer.origin}`];
  [browser, limitedBrowser] = await Promise.all([launchChromium({ args }), launchChromium({ executablePath: wrapper, args })]);
});

async function closePages() {
  await Promise.all(pages.map(p => p.closeContext().catch(() => {})));
  pages = [];
}

after(async () => {
  await closePages();
  await browser?.close();
  await limitedBrowser?.close();
  await pageServer?.close();
  await parley?.stop();
  network.release();
});

/** Joins a page of `inBrowser` to `session`; with `publish`, it publishes its fake camera and microphone at
 * `resolution`. Every remote stream is subscribed into a tile keyed by the publisher's connection id. */
async function participant(inBrowser, session, name, publish, resolution) {
  const connection = await session.createConnection({ data: name });
  const page = await openviduPage(inBrowser, pageServer.origin);
  pages.push(page);
  const id = await joinWithTiles(page, { token: connection.token, name, publish, resolution });
  return { page, id };
}

/** The video element's size and the subscriber's inbound RTP statistics for `publisherId`. */
function reception(page, publisherId) {
  return page.evaluate(async publisherId => {
    const video = document.querySelector(`#tile-${publisherId} video`);
    const result = { width: video?.videoWidth ?? 0, frameWidth: 0, framesDecoded: 0, videoBytes: 0, audioPackets: 0, packetsLost: 0 };
    let pc;
    try {
      pc = window.subscribers[publisherId]?.stream?.getRTCPeerConnection();
    } catch {
      pc = undefined; // still being made
    }
    if (pc) {
      (await pc.getStats()).forEach(s => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          Object.assign(result, { frameWidth: s.frameWidth ?? 0, framesDecoded: s.framesDecoded ?? 0, videoBytes: s.bytesReceived ?? 0, packetsLost: s.packetsLost ?? 0 });
        }
        if (s.type === 'inbound-rtp' && s.kind === 'audio') result.audioPackets = s.packetsReceived;
      });
    }
    return result;
  }, publisherId);
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** A publisher, a fast subscriber and one behind the `kind` of limit: the limited one settles on the low layer. */
async function limitedSubscriberGetsTheLowLayer(t, kind) {
  limit(kind);
  try {
    const session = await ov.createSession();
    const alice = await participant(browser, session, 'Alice', true, '960x540');
    const [fast, limited] = await Promise.all([
      participant(browser, session, 'Fast', false),
      participant(limitedBrowser, session, 'Limited', false),
    ]);

    const timeline = [];
    const started = Date.now();
    const sample = setInterval(async () => {
      try {
        const [l, f, sent] = await Promise.all([reception(limited.page, alice.id), reception(fast.page, alice.id), alice.page.evaluate(async () => {
          const out = {};
          (await window.publisher.stream.getRTCPeerConnection().getStats()).forEach(s => {
            if (s.type === 'outbound-rtp' && s.kind === 'video') out[s.rid] = { bytes: s.bytesSent, w: s.frameWidth, target: s.targetBitrate };
          });
          return out;
        })]);
        timeline.push({ t: Date.now() - started, limited: [l.frameWidth, l.framesDecoded, l.videoBytes, l.audioPackets], fast: [f.frameWidth, f.framesDecoded], sent });
      } catch { /* page closing */ }
    }, 1000);
    t.after(() => {
      clearInterval(sample);
      t.diagnostic(`timeline (limited: frame width, frames, video bytes, audio packets):\n${timeline.map(e => JSON.stringify(e)).join('\n')}`);
    });
    // The publisher's encoder starts with its low layer and adds the others over seconds as its own estimate grows:
    // first the fast subscriber must be getting a higher layer (so there is one to hold back from the other).
    const waitFast = Date.now() + 30_000;
    let fastNow;
    while ((fastNow = await reception(fast.page, alice.id)).frameWidth < 480) {
      assert.ok(Date.now() < waitFast, `the unlimited subscriber gets a higher layer within 30 s (${JSON.stringify(fastNow)})`);
      await sleep(250);
    }

    // Then the limited subscriber settles on the low layer: the frames it decodes are 240 wide (960/4) for a while.
    let last;
    let settledSince = 0;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      last = await reception(limited.page, alice.id);
      settledSince = last.frameWidth === 240 ? settledSince || Date.now() : 0;
      if (settledSince && Date.now() - settledSince >= 3000) break;
      await sleep(250);
    }
    const changes = parley.output().split('\n').filter(line => line.includes('-> ') && line.includes('estimate'));
    t.diagnostic(`layer changes:\n${changes.join('\n')}`);
    t.diagnostic(`limited subscriber: ${JSON.stringify(last)}; ${kind}: ${JSON.stringify(limitCounters(kind))}`);
    assert.equal(last.frameWidth, 240, `the limited subscriber decodes the low layer (${JSON.stringify(last)})`);

    // Its estimate in the last seconds (the server's debug log of its feedback).
    const estimates = parley.output().split('\n').filter(line => line.includes(`Subscriber ${limited.id}_`) && line.includes('video budget'));
    t.diagnostic(`limited subscriber's last feedback:\n${estimates.slice(-3).join('\n')}`);

    // It keeps decoding, and its audio keeps coming.
    const before = await reception(limited.page, alice.id);
    await sleep(2000);
    const later = await reception(limited.page, alice.id);
    assert.equal(later.frameWidth, 240);
    assert.ok(later.framesDecoded > before.framesDecoded + 10, `frames keep coming (${before.framesDecoded} → ${later.framesDecoded})`);
    assert.ok(later.audioPackets > before.audioPackets + 50, `audio keeps coming (${before.audioPackets} → ${later.audioPackets})`);
    const kbps = (later.videoBytes - before.videoBytes) * 8 / 2000;
    t.diagnostic(`limited subscriber's video: ${kbps.toFixed(0)} kbit/s`);
    assert.ok(kbps < RATE_KBPS, `its video fits its link (${kbps.toFixed(0)} kbit/s)`);

    // The server moved that subscriber down on its own estimate, which was below the link's rate.
    const limitedChanges = changes.filter(line => line.includes(`Subscriber ${limited.id}_`));
    const down = limitedChanges.map(line => /-> 0 .*estimate ([1-9]\d*) bit\/s/.exec(line)).find(Boolean);
    assert.ok(down && Number(down[1]) < RATE_KBPS * 1000 * 1.5, `the limited subscriber was moved to layer 0 on an estimate near its link's rate:\n${limitedChanges.join('\n')}`);

    // The fast subscriber, on the same publisher, gets a higher layer.
    const fastStats = await reception(fast.page, alice.id);
    t.diagnostic(`fast subscriber: ${JSON.stringify(fastStats)}`);
    assert.ok([480, 960].includes(fastStats.frameWidth), `the unlimited subscriber gets a higher layer (${fastStats.frameWidth})`);
  } finally {
    await closePages(); // two cores: the next test's browsers should not compete with these
  }
}

test('simulcast: a subscriber whose downlink is shaped to 200 kbit/s (queueing) gets the low layer and keeps decoding; an unlimited one gets a higher layer',
  { skip: skipReason, timeout: 60_000 }, t => limitedSubscriberGetsTheLowLayer(t, 'shaper'));

test('simulcast: a subscriber whose downlink is policed to 200 kbit/s (dropping) gets the low layer and keeps decoding; an unlimited one gets a higher layer',
  { skip: skipReason, timeout: 60_000 }, t => limitedSubscriberGetsTheLowLayer(t, 'policer'));
