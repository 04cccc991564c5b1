// The NAT matrix: two headless Chromiums, each in its own network namespace behind its own router namespace, reach
// Parley (in the root namespace, on a "public" address of the benchmarking range 198.18.0.0/15) across five kinds
// of network:
//   (a) no NAT: the clients have public addresses and the routers only route;
//   (b) an endpoint-independent NAT (nftables `masquerade`, a cone NAT; the router drops unsolicited traffic to itself);
//   (c) a symmetric NAT (`masquerade fully-random`);
//   (d) a NAT whose router drops every UDP datagram from the client: only TCP gets out, so TURN over TCP between the
//       clients, and ICE-TCP (RFC 6544, the SFU's passive TCP candidate) to the SFU;
//   (e) a NAT whose router lets out TCP to port 443 only (and to the two web servers the page and its WebSocket
//       come from): Parley's TURN over TLS on 443, with a self-signed certificate.
// In each cell (1) two plain RTCPeerConnections with only Parley's STUN and TURN (coturn REST API credentials) and
// no forced relay open a data channel that carries messages both ways, and the selected candidate pairs show where
// a relay was needed; (2) the unmodified openvidu-browser in the first namespace publishes its fake camera through
// the SFU and the second subscribes and decodes it, with the ICE servers joinRoom hands out.
//
// Topology (names carry this process's id; a crashed run's leftovers are removed first, everything at the end):
//   root ns: Parley, page server, test process ── veth 198.18.0.1/24 ──┐
//   core ns (the "internet", forwards):           198.18.0.254 ────────┘, and per router i: 198.18.i.1/24
//   router ns i: wan 198.18.i.2/24, lan 198.19.i.1/24 (routed cell) or 192.168.i.1/24 (NAT cells), nftables
//   client ns i: eth0 198.19.i.2 or 192.168.i.2, Chromium through `ip netns exec`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OpenVidu } from 'openvidu-node-client';
import { startParley } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, selectedPairs } from './browser.mjs';
import { has, ip, safe, sh, testNetwork } from './netns.mjs';

const SERVER = '198.18.0.1';
const CORE = '198.18.0.254';
const TURN_SECRET = 'nat-matrix-turn-secret';
const TLS_PORT = 443;

const network = testNetwork('nat', 'pnat');
const nsName = name => network.namespace(name);
const { rootLink, workDir } = network;

const skipReason = process.getuid?.() !== 0 ? 'needs root to make network namespaces (CI runs as root)'
  : !has('ip', '-V') ? 'needs iproute2 (`ip`)'
  : !has('nft', '--version') ? 'needs nftables (`nft`; bash .ci/run installs it)'
  : !has('openssl', 'version') ? 'needs openssl for the TURN/TLS certificate'
  : !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') ? 'needs Debian\'s chromium'
  : false;

const inNs = (ns, ...command) => sh('ip', ['netns', 'exec', ns, ...command]);
const nft = (ns, script) => sh('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], script);

const enableForwarding = ns => inNs(ns, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward');

/** The core ("internet") namespace and the root namespace's link to it, where Parley's address lives. */
function createCore() {
  const core = nsName('core');
  ip('netns', 'add', core);
  ip('-n', core, 'link', 'set', 'lo', 'up');
  enableForwarding(core);
  ip('link', 'add', rootLink, 'type', 'veth', 'peer', 'name', 'root', 'netns', core);
  ip('addr', 'add', `${SERVER}/24`, 'dev', rootLink);
  ip('link', 'set', rootLink, 'up');
  ip('-n', core, 'addr', 'add', `${CORE}/24`, 'dev', 'root');
  ip('-n', core, 'link', 'set', 'root', 'up');
  // The rest of the benchmarking range (every router and routed client) is behind the core.
  ip('route', 'add', '198.18.0.0/15', 'via', CORE, 'dev', rootLink);
}

/**
 * Router namespace i (wan on the core, lan towards client namespace i) with `nat` as its masquerade statement (none:
 * it routes a public subnet) and `filter` as forward rules for what comes from the lan; and the client namespace
 * with a Chromium wrapper script. Returns the client's namespace, addresses and wrapper.
 *
 * A NAT router also drops new connections from the wan to itself, as any home router's firewall does. Without that,
 * plain masquerade defeats hole punching: the peer's first check, arriving before this side has sent anything to the
 * peer, is delivered to the router itself (no mapping matches) and leaves a conntrack entry for that address pair;
 * this side's own packets to the peer then clash with it and masquerade gives them another source port, so neither
 * side's srflx candidate works (seen: the conntrack table showed the remapped port, and ICE fell back to TURN).
 */
function createClient(i, { nat, filter }) {
  const core = nsName('core');
  const router = nsName(`r${i}`);
  const client = nsName(`c${i}`);
  const lan = nat ? `192.168.${i}` : `198.19.${i}`;
  ip('netns', 'add', router);
  ip('netns', 'add', client);
  for (const ns of [router, client]) ip('-n', ns, 'link', 'set', 'lo', 'up');
  enableForwarding(router);
  ip('-n', core, 'link', 'add', `r${i}`, 'type', 'veth', 'peer', 'name', 'wan', 'netns', router);
  ip('-n', core, 'addr', 'add', `198.18.${i}.1/24`, 'dev', `r${i}`);
  ip('-n', core, 'link', 'set', `r${i}`, 'up');
  ip('-n', router, 'addr', 'add', `198.18.${i}.2/24`, 'dev', 'wan');
  ip('-n', router, 'link', 'set', 'wan', 'up');
  ip('-n', router, 'route', 'add', 'default', 'via', `198.18.${i}.1`);
  ip('-n', router, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client);
  ip('-n', router, 'addr', 'add', `${lan}.1/24`, 'dev', 'lan');
  ip('-n', router, 'link', 'set', 'lan', 'up');
  ip('-n', client, 'addr', 'add', `${lan}.2/24`, 'dev', 'eth0');
  ip('-n', client, 'link', 'set', 'eth0', 'up');
  ip('-n', client, 'route', 'add', 'default', 'via', `${lan}.1`);
  if (!nat) ip('-n', core, 'route', 'add', `${lan}.0/24`, 'via', `198.18.${i}.2`);
  nft(router, `
    table ip parley_nat {
      chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        ${nat ? `oifname "wan" ${nat}` : ''}
      }
      chain forward {
        type filter hook forward priority filter; policy accept;
        ${filter ?? ''}
      }
      ${nat ? `chain input {
        type filter hook input priority filter; policy accept;
        iifname "wan" ct state new drop
      }` : ''}
    }\n`);
  const wrapper = network.chromiumIn(client, `chromium-c${i}`);
  return { ns: client, router, address: `${lan}.2`, wan: `198.18.${i}.2`, wrapper };
}

/** coturn's REST API credential: username "<expiry>:<user>", password base64(HMAC-SHA1(secret, username)). */
function restCredential(secret, user) {
  const username = `${Math.floor(Date.now() / 1000) + 3600}:${user}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

let parley;
let ov;
let pageServer;
let stunPort;
let mediaEndpoint;
let spki;

const hostOf = address => address.slice(0, address.lastIndexOf(':'));

/**
 * The cells. `nat` is the router's masquerade statement (none: it routes public addresses), `filter` its forward rules
 * for what comes from the client. `dataChannel` checks the selected pairs of the two peers ([client 1's, client 2's]),
 * `media` the selected pair of one client's connection to the SFU.
 */
const cells = [
  {
    key: 'a', title: 'no NAT (routed public addresses): host to host, and host to the SFU', nat: null,
    dataChannel(pairs, clients) {
      pairs.forEach((pair, i) => {
        assert.deepEqual([pair.local, pair.remote, hostOf(pair.localAddress)], ['host', 'host', clients[i].address], JSON.stringify(pair));
        assert.equal(pair.remoteAddress, pairs[1 - i].localAddress);
      });
    },
    media(pair, client) {
      assert.deepEqual([pair.local, hostOf(pair.localAddress)], ['host', client.address], JSON.stringify(pair));
    },
  },
  {
    key: 'b', title: 'endpoint-independent NAT (masquerade): srflx to srflx, hole punched, no relay', nat: 'masquerade',
    dataChannel(pairs, clients) {
      pairs.forEach((pair, i) => {
        assert.deepEqual([pair.local, pair.remote, hostOf(pair.localAddress)], ['srflx', 'srflx', clients[i].wan], JSON.stringify(pair));
        assert.equal(pair.remoteAddress, pairs[1 - i].localAddress);
      });
    },
    media(pair, client) {
      // The NAT's mapping towards the SFU: the STUN-learned one, or learned from the SFU's check response (prflx)
      // when that came first. The same mapping either way (endpoint-independent).
      assert.ok(['srflx', 'prflx'].includes(pair.local), JSON.stringify(pair));
      assert.equal(hostOf(pair.localAddress), client.wan);
    },
  },
  {
    key: 'c', title: 'symmetric NAT (masquerade fully-random): through one side\'s TURN relay', nat: 'masquerade fully-random',
    dataChannel(pairs, clients) {
      // Neither side's srflx is reachable from the other (a new random port for each destination, filtered on the
      // destination's address and port), so the path goes through a TURN allocation. The side without it sends from
      // its own socket straight to the other's relayed address: its NAT maps a fresh port (learned as prflx from the
      // check's response) and TURN permissions go by IP address only. Seen: relay → prflx on one side and
      // prflx → relay on the other (either way round; one allocation carries both directions); relay → relay on both
      // sides would be right too.
      const shape = pairs.map(pair => `${pair.local}→${pair.remote}`).join(' | ');
      assert.ok(['relay→prflx | prflx→relay', 'prflx→relay | relay→prflx', 'relay→relay | relay→relay'].includes(shape), JSON.stringify(pairs));
      pairs.forEach((pair, i) => {
        if (pair.local === 'relay') {
          assert.deepEqual([pair.relayProtocol, hostOf(pair.localAddress)], ['udp', SERVER], JSON.stringify(pairs));
          assert.equal(pairs[1 - i].remoteAddress, pair.localAddress);
        } else {
          assert.equal(hostOf(pair.localAddress), clients[i].wan, JSON.stringify(pairs));
        }
      });
    },
    media(pair, client) {
      // A fresh mapping towards the SFU's port, learned from its ICE-lite response: direct, no relay needed.
      assert.deepEqual([pair.local, hostOf(pair.localAddress)], ['prflx', client.wan], JSON.stringify(pair));
    },
  },
  {
    key: 'd', title: 'UDP blocked (only TCP gets out): TURN over TCP, and ICE-TCP to the SFU', nat: 'masquerade',
    filter: () => 'iifname "lan" meta l4proto udp drop',
    dataChannel: relayedBothWays('tcp'),
    // Chromium may select its TURN relay first, when that became writable first, and then moves to the direct TCP
    // pair, of higher priority, once that is writable too.
    mediaSettled: pair => pair.protocol === 'tcp',
    media(pair, client) {
      // The client's TCP connection to the SFU's passive candidate (through the NAT, as any outgoing TCP): no relay.
      // Seen as prflx, the NAT's mapping learned from the SFU's check response; as host (its own address) would be right too.
      assert.equal(pair.protocol, 'tcp', JSON.stringify(pair));
      assert.ok(pair.local === 'prflx' ? hostOf(pair.localAddress) === client.wan
        : pair.local === 'host' && hostOf(pair.localAddress) === client.address, JSON.stringify(pair));
    },
  },
  {
    key: 'e', title: 'only TCP to port 443 (and the web servers) gets out: TURN over TLS on 443', nat: 'masquerade',
    filter: webPorts => `iifname "lan" ip daddr ${SERVER} tcp dport { ${[TLS_PORT, ...webPorts].join(', ')} } accept
        iifname "lan" drop`,
    dataChannel: relayedBothWays('tls'),
    media: relayedToSfu('tls'),
  },
];

/** Every candidate pair of the page's peer connections with its check counts, to tell why one was not selected. */
function candidatePairs(page) {
  return page.evaluate(async () => {
    const pairs = [];
    for (const pc of window.peerConnections) {
      const stats = await pc.getStats();
      stats.forEach(s => {
        if (s.type !== 'candidate-pair') return;
        const local = stats.get(s.localCandidateId);
        const remote = stats.get(s.remoteCandidateId);
        pairs.push(`${local.candidateType}/${local.protocol}${local.relayProtocol ? '/' + local.relayProtocol : ''} ${local.address}:${local.port}` +
          ` → ${remote.candidateType}/${remote.protocol} ${remote.address}:${remote.port}: ${s.state}${s.nominated ? ', nominated' : ''},` +
          ` ${s.requestsSent} checks, ${s.responsesReceived} answered`);
      });
    }
    return pairs;
  });
}

function relayedBothWays(protocol) {
  return pairs => pairs.forEach((pair, i) => {
    assert.deepEqual([pair.local, pair.relayProtocol, pair.remote, hostOf(pair.localAddress)], ['relay', protocol, 'relay', SERVER], JSON.stringify(pair));
    assert.equal(pair.remoteAddress, pairs[1 - i].localAddress);
  });
}

function relayedToSfu(protocol) {
  return pair => assert.deepEqual([pair.local, pair.relayProtocol, hostOf(pair.localAddress)], ['relay', protocol, SERVER], JSON.stringify(pair));
}

before(async () => {
  if (skipReason) return;
  network.claim();
  createCore();
  const [certificate, key] = [join(workDir, 'cert.pem'), join(workDir, 'key.pem')];
  sh('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${SERVER}`, '-addext', `subjectAltName=IP:${SERVER}`, '-keyout', key, '-out', certificate]);
  // Chromium checks the TURN server's certificate (a self-signed one fails the TLS connection): it is told to trust
  // this one key, by the base64 SHA-256 of its SubjectPublicKeyInfo.
  const publicKey = sh('openssl', ['x509', '-in', certificate, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  spki = createHash('sha256').update(der).digest('base64');

  parley = await startParley(`--Urls=http://${SERVER}:0`, `--OpenVidu:Secret=${network.secret}`,
    '--Stun:Enabled=true', `--Stun:ListeningIps:0=${SERVER}`, '--Stun:ListeningPort=0', `--Stun:TlsListeningPort=${TLS_PORT}`,
    `--Turn:Certificate=${certificate}`, `--Turn:PrivateKey=${key}`, `--Turn:StaticAuthSecret=${TURN_SECRET}`,
    '--Turn:AllowedPeerRanges:0=198.18.0.0/15', `--WebRtc:ListeningIp=${SERVER}`);
  const escaped = SERVER.replaceAll('.', '\\.');
  stunPort = Number(new RegExp(`STUN listening on UDP ${escaped}:(\\d+)`).exec(parley.output())?.[1]);
  mediaEndpoint = new RegExp(`WebRTC media on UDP (${escaped}:\\d+)`).exec(parley.output())?.[1];
  assert.ok(stunPort > 0 && mediaEndpoint, parley.output());
  assert.match(parley.output(), new RegExp(`STUN listening on TLS ${escaped}:${TLS_PORT}`));
  ov = new OpenVidu(parley.url, network.secret);
  pageServer = await startPageServer(SERVER);
  const webPorts = [new URL(parley.url).port, new URL(pageServer.origin).port];
  cells.forEach((cell, index) => {
    cell.clients = [1, 2].map(n => createClient(2 * index + n, { nat: cell.nat, filter: cell.filter?.(webPorts) }));
  });
});

after(async () => {
  await pageServer?.close();
  await parley?.stop();
  network.release();
});

/**
 * Chromium in the client's namespace. The page's origin (http://198.18.0.1:port) is not a secure context, so it is
 * declared one for getUserMedia; it reaches only its own address, so Local Network Access asks nothing.
 */
function launchIn(client) {
  return launchChromium({
    executablePath: client.wrapper,
    args: [`--unsafely-treat-insecure-origin-as-secure=${pageServer.origin}`, `--ignore-certificate-errors-spki-list=${spki}`],
  });
}

/**
 * Two RTCPeerConnections, one in each page, with Parley's STUN and TURN (UDP, TCP, TLS) as their only ICE servers and
 * candidates trickled through this process: a data channel opens and carries messages both ways. Returns each side's
 * selected pair.
 */
async function dataChannelCall(pages) {
  const { username, credential } = restCredential(TURN_SECRET, 'nat-matrix');
  const config = {
    iceServers: [
      { urls: `stun:${SERVER}:${stunPort}` },
      { urls: [`turn:${SERVER}:${stunPort}`, `turn:${SERVER}:${stunPort}?transport=tcp`, `turns:${SERVER}:${TLS_PORT}?transport=tcp`], username, credential },
    ],
  };
  // One chain per direction, so messages arrive in the order they were sent.
  const chains = [Promise.resolve(), Promise.resolve()];
  await Promise.all(pages.map((page, index) => page.exposeFunction('toPeer', message => {
    chains[index] = chains[index].then(() => pages[1 - index].evaluate(m => window.fromPeer(m), message)).catch(() => {});
  })));
  await Promise.all(pages.map((page, index) => page.evaluate(({ config, offerer }) => {
    const pc = new RTCPeerConnection(config);
    window.peerConnections = [pc];
    window.received = [];
    window.signalErrors = [];
    const early = [];
    let inbox = Promise.resolve();
    window.fromPeer = message => {
      inbox = inbox.then(async () => {
        if (message.description) {
          await pc.setRemoteDescription(message.description);
          for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate);
          if (message.description.type === 'offer') {
            await pc.setLocalDescription();
            window.toPeer({ description: pc.localDescription.toJSON() });
          }
        } else if (!pc.remoteDescription) {
          early.push(message.candidate);
        } else {
          await pc.addIceCandidate(message.candidate);
        }
      }).catch(e => window.signalErrors.push(String(e)));
    };
    pc.onicecandidate = e => { if (e.candidate) window.toPeer({ candidate: e.candidate.toJSON() }); };
    const channel = offerer ? Promise.resolve(pc.createDataChannel('nat'))
      : new Promise(resolve => { pc.ondatachannel = e => resolve(e.channel); });
    window.channel = channel.then(c => new Promise(resolve => {
      c.onmessage = e => window.received.push(e.data);
      if (c.readyState === 'open') resolve(c);
      else c.onopen = () => resolve(c);
    }));
    if (offerer) {
      pc.setLocalDescription().then(() => window.toPeer({ description: pc.localDescription.toJSON() }));
    }
  }, { config, offerer: index === 0 })));

  const started = Date.now();
  await Promise.all(pages.map(page => page.waitForFunction(() => window.channel.then(() => true), null, { timeout: 20_000 })));
  const openedAfter = Date.now() - started;

  // Messages flow both ways (one every 50 ms) while ICE settles: the controlled side moves to a better pair the
  // controlling side nominated only when data arrives on it. Settled: the same selected pairs for 2 s.
  await Promise.all(pages.map((page, index) => page.evaluate(async name => {
    const channel = await window.channel;
    window.sent = 0;
    window.sender = setInterval(() => channel.send(`${name} ${window.sent++}`), 50);
  }, `from ${index + 1}`)));
  const history = [];
  let pairs;
  for (let stableSince = Date.now(), last = ''; Date.now() - stableSince < 2000;) {
    assert.ok(Date.now() - started < 15_000, `ICE did not settle: ${JSON.stringify(history)}`);
    await new Promise(resolve => setTimeout(resolve, 200));
    pairs = await Promise.all(pages.map(page => selectedPairs(page)));
    const now = JSON.stringify(pairs);
    if (now !== last) {
      history.push(`${Date.now() - started} ms: ${pairs.map(p => p.map(pair => `${pair.local}→${pair.remote}`).join()).join(' | ')}`);
      [last, stableSince] = [now, Date.now()];
    }
  }
  const sent = await Promise.all(pages.map(page => page.evaluate(() => {
    clearInterval(window.sender);
    return window.sent;
  })));
  await Promise.all(pages.map((page, index) => page.waitForFunction(count => window.received.length >= count, sent[1 - index], { timeout: 10_000 })));
  for (const [index, page] of pages.entries()) {
    const expected = Array.from({ length: sent[1 - index] }, (_, n) => `from ${2 - index} ${n}`);
    assert.deepEqual(await page.evaluate(() => window.received), expected, 'every message arrives once, in order');
  }
  assert.ok(sent.every(count => count >= 20), `messages went both ways while ICE settled (${sent})`);
  assert.deepEqual(await Promise.all(pages.map(page => page.evaluate(() => window.signalErrors))), [[], []], 'signalling errors');
  await Promise.all(pages.map(page => page.evaluate(() => window.peerConnections.forEach(pc => pc.close()))));
  assert.deepEqual(pairs.map(p => p.length), [1, 1], JSON.stringify(pairs));
  return { pairs: pairs.map(p => p[0]), openedAfter, history };
}

/**
 * Joins a page to `session` with openvidu-browser, recording its RTCPeerConnections and the ICE servers joinRoom
 * gave; with `publish` it publishes its fake camera, and remote streams are subscribed into tiles.
 */
async function participant(browser, session, name, publish) {
  const connection = await session.createConnection({ data: name });
  const page = await openviduPage(browser, pageServer.origin);
  const id = await page.evaluate(async ({ token, name, publish }) => {
    const Native = window.RTCPeerConnection;
    window.peerConnections = [];
    window.RTCPeerConnection = function (configuration, ...rest) {
      window.iceServers = configuration?.iceServers ?? [];
      const pc = new Native(configuration, ...rest);
      window.peerConnections.push(pc);
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    const OV = new OpenVidu();
    OV.enableProdMode();
    const session = OV.initSession();
    window.session = session;
    session.on('streamCreated', e => {
      const tile = document.createElement('div');
      tile.id = 'tile-' + e.stream.connection.connectionId;
      document.body.appendChild(tile);
      session.subscribe(e.stream, tile);
    });
    await session.connect(token, name);
    if (publish) {
      const own = document.createElement('div');
      document.body.appendChild(own);
      await session.publish(OV.initPublisher(own, { resolution: '320x240', frameRate: 15, audioSource: false }));
    }
    return session.connection.connectionId;
  }, { token: connection.token, name, publish });
  return { page, id };
}

/** Waits until `page` decodes `publisherId`'s video (a size, playback time advancing). */
async function assertDecoding(page, publisherId) {
  await page.waitForFunction(id => {
    const video = document.querySelector(`#tile-${id} video`);
    return video && video.videoWidth > 0 && video.currentTime > 0;
  }, publisherId, { timeout: 20_000, polling: 100 });
  const playback = () => page.evaluate(id => {
    const video = document.querySelector(`#tile-${id} video`);
    return { width: video.videoWidth, height: video.videoHeight, time: video.currentTime };
  }, publisherId);
  const first = await playback();
  await new Promise(resolve => setTimeout(resolve, 1000));
  const later = await playback();
  assert.ok(later.time > first.time, `playback advances (${first.time} → ${later.time})`);
  assert.ok(later.width > 0 && later.height > 0);
  return later;
}

describe('NAT matrix: two clients behind separate routers reach each other and the SFU through Parley', { skip: skipReason }, () => {
  for (const cell of cells) {
    describe(`(${cell.key}) ${cell.title}`, () => {
      let browsers = [];
      before(async () => {
        browsers = await Promise.all(cell.clients.map(client => launchIn(client)));
      });
      after(async () => {
        await Promise.all(browsers.map(browser => browser.close()));
      });

      test('a data channel between the two clients, with only Parley\'s STUN and TURN and no forced relay', { timeout: 60_000 }, async t => {
        const contexts = await Promise.all(browsers.map(browser => browser.newContext()));
        try {
          const pages = await Promise.all(contexts.map(async context => {
            const page = await context.newPage();
            await page.goto(pageServer.origin + '/');
            return page;
          }));
          const { pairs, openedAfter, history } = await dataChannelCall(pages);
          t.diagnostic(`open after ${openedAfter} ms; selected pairs (client 1 | client 2) ${history.join('; ')}: ${JSON.stringify(pairs)}`);
          cell.dataChannel(pairs, cell.clients);
        } finally {
          await Promise.all(contexts.map(context => context.close()));
        }
      });

      test('client 1 publishes through the SFU, client 2 decodes, with the ICE servers joinRoom hands out', { timeout: 60_000 }, async t => {
        const session = await ov.createSession();
        const pages = [];
        try {
          const publisher = await participant(browsers[0], session, 'publisher', true);
          pages.push(publisher.page);
          const subscriber = await participant(browsers[1], session, 'subscriber', false);
          pages.push(subscriber.page);
          const playback = await assertDecoding(subscriber.page, publisher.id);
          let pairs = await Promise.all(pages.map(page => selectedPairs(page)));
          const firstPairs = pairs;
          const settling = Date.now();
          while (cell.mediaSettled && !pairs.every(p => p.length === 1 && cell.mediaSettled(p[0])) && Date.now() - settling < 10_000) {
            await new Promise(resolve => setTimeout(resolve, 250));
            pairs = await Promise.all(pages.map(page => selectedPairs(page)));
          }
          t.diagnostic(`decoding ${playback.width}x${playback.height}; selected pairs ${JSON.stringify(pairs)}` +
            (cell.mediaSettled ? ` after ${Date.now() - settling} ms (first ${JSON.stringify(firstPairs)})` : ''));
          if (cell.mediaSettled && !pairs.every(p => p.length === 1 && cell.mediaSettled(p[0]))) {
            t.diagnostic(`every candidate pair: ${JSON.stringify(await Promise.all(pages.map(candidatePairs)))}`);
          }

          // joinRoom handed out Parley's STUN, TURN over UDP and TCP and TURNS on 443, at the address the client
          // reached, with REST API credentials for the connection made with the static secret.
          for (const [page, id] of [[publisher.page, publisher.id], [subscriber.page, subscriber.id]]) {
            const servers = await page.evaluate(() => window.iceServers);
            assert.deepEqual(servers.flatMap(s => [].concat(s.urls)), [`stun:${SERVER}:${stunPort}`, `turn:${SERVER}:${stunPort}`,
              `turn:${SERVER}:${stunPort}?transport=tcp`, `turns:${SERVER}:${TLS_PORT}?transport=tcp`]);
            for (const server of servers.filter(s => s.username)) {
              const [expiry, user] = server.username.split(':');
              assert.ok(Number(expiry) > Date.now() / 1000);
              assert.equal(user, id);
              assert.equal(server.credential, createHmac('sha1', TURN_SECRET).update(server.username).digest('base64'));
            }
          }

          // One connection each (the publisher's, the subscriber's), to the SFU's media address.
          assert.deepEqual(pairs.map(p => p.length), [1, 1], JSON.stringify(pairs));
          pairs.forEach(([pair], i) => {
            assert.deepEqual([pair.remote, pair.remoteAddress], ['host', mediaEndpoint], JSON.stringify(pair));
            cell.media(pair, cell.clients[i]);
          });
          assert.deepEqual(pages.flatMap(page => page.errors), []);
        } finally {
          await Promise.all(pages.map(page => page.closeContext()));
          await session.close().catch(() => {});
        }
      });
    });
  }
});
