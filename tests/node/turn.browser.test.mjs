// A relayed call: the unmodified openvidu-browser in headless Chromium, forced to use only relayed candidates (as
// behind a firewall that lets nothing else through), publishes and subscribes through Parley's own TURN server,
// with the TURN URLs and REST API credentials that Parley's joinRoom hands out. Parley's media address is loopback
// here, which TURN refuses for any other peer: the SFU's own address is exempt, so the call goes through.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { OpenVidu } from 'openvidu-node-client';
import { startParley } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, selectedPairs } from './browser.mjs';

let parley;
let ov;
let pageServer;
let browser;
let opened = [];

before(async () => {
  pageServer = await startPageServer();
  browser = await launchChromium();
  // STUN and TURN on a free port of 127.0.0.1, relay ports from the default range.
  parley = await startParley('--Stun:Enabled=true', '--Stun:ListeningPort=0', '--Stun:ListeningIps:0=127.0.0.1',
    '--Stun:TcpEnabled=true');
  ov = new OpenVidu(parley.url, 'MY_SECRET');
});

after(async () => {
  await parley?.stop();
  await browser?.close();
  await pageServer?.close();
});

afterEach(async () => {
  const errors = opened.flatMap(p => p.errors);
  await Promise.all(opened.map(p => p.closeContext()));
  opened = [];
  assert.deepEqual(errors, [], 'page errors');
});

/**
 * Joins a page whose RTCPeerConnections may use relayed candidates only, over the transports in `transports`
 * ('udp', 'tcp'): the ICE servers joinRoom gave are kept in window.iceServers, and those of other transports are left
 * out. With `publish`, it publishes its fake camera and microphone; remote streams are subscribed into tiles.
 */
async function relayedParticipant(session, name, publish, transports) {
  const connection = await session.createConnection({ data: name });
  const page = await openviduPage(browser, pageServer.origin);
  opened.push(page);
  const id = await page.evaluate(async ({ token, name, publish, transports }) => {
    const Native = window.RTCPeerConnection;
    window.iceServers = [];
    window.peerConnections = [];
    window.RTCPeerConnection = function (configuration, ...rest) {
      const given = configuration?.iceServers ?? [];
      window.iceServers.push(...given);
      const transportOf = url => (/[?&]transport=(\w+)/.exec(url)?.[1] ?? 'udp');
      const iceServers = given
        .map(server => ({ ...server, urls: [].concat(server.urls).filter(u => u.startsWith('turn') && transports.includes(transportOf(u))) }))
        .filter(server => server.urls.length > 0);
      const pc = new Native({ ...configuration, iceServers, iceTransportPolicy: 'relay' }, ...rest);
      window.peerConnections.push(pc);
      return pc;
    };
    window.RTCPeerConnection.prototype = Native.prototype;
    window.events = [];
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
    session.on('signal:chat', e => window.events.push({ name: 'chat', data: e.data }));
    await session.connect(token, name);
    if (publish) {
      const own = document.createElement('div');
      document.body.appendChild(own);
      await session.publish(OV.initPublisher(own, { resolution: '320x240', frameRate: 15 }));
    }
    return session.connection.connectionId;
  }, { token: connection.token, name, publish, transports });
  return { page, id };
}

async function assertDecoding(page, publisherId) {
  await page.waitForFunction(id => {
    const video = document.querySelector(`#tile-${id} video`);
    return video && video.videoWidth > 0 && video.currentTime > 0;
  }, publisherId, { timeout: 20_000, polling: 100 });
  const time = () => page.evaluate(id => document.querySelector(`#tile-${id} video`).currentTime, publisherId);
  const first = await time();
  await new Promise(resolve => setTimeout(resolve, 1000));
  assert.ok(await time() > first, 'playback advances');
}

for (const transports of [['udp'], ['tcp']]) {
  test(`a call relayed through Parley's TURN over ${transports[0].toUpperCase()}: both see each other, chat, and every path is relayed`, async () => {
    const session = await ov.createSession();
    const alice = await relayedParticipant(session, 'Alice', true, transports);
    const bob = await relayedParticipant(session, 'Bob', true, transports);
    await Promise.all([assertDecoding(alice.page, bob.id), assertDecoding(bob.page, alice.id)]);

    // joinRoom handed out Parley's STUN and TURN with coturn REST API credentials that expire in the future.
    const servers = await alice.page.evaluate(() => window.iceServers);
    const turn = servers.filter(s => [].concat(s.urls).some(u => u.startsWith('turn:')));
    assert.ok(turn.length >= 2, JSON.stringify(servers));
    for (const server of turn) {
      const [expiry, user] = server.username.split(':');
      assert.ok(Number(expiry) > Date.now() / 1000, 'the credential is still valid');
      assert.equal(user, alice.id);
      assert.ok(server.credential.length > 20);
    }

    for (const page of [alice.page, bob.page]) {
      const pairs = (await selectedPairs(page)).map(p => ({ type: p.local, relayProtocol: p.relayProtocol }));
      assert.ok(pairs.length >= 2, JSON.stringify(pairs)); // a publisher and a subscriber connection each
      for (const pair of pairs) {
        assert.deepEqual(pair, { type: 'relay', relayProtocol: transports[0] });
      }
    }

    await alice.page.evaluate(() => window.session.signal({ data: 'relayed hello', to: [], type: 'chat' }));
    await bob.page.waitForFunction(() => window.events.some(e => e.name === 'chat' && e.data === 'relayed hello'));
  });
}

// Two peer connections with only Parley's TURN, relayed candidates only, and a data channel between them: the
// peers' relayed addresses are on loopback here, so this Parley lets 127.0.0.0/8 through (the test allow-list).
test('two relay-only RTCPeerConnections talk over a data channel through Parley\'s TURN', async () => {
  const relayParley = await startParley('--Stun:Enabled=true', '--Stun:ListeningPort=0', '--Stun:ListeningIps:0=127.0.0.1',
    '--Turn:StaticAuthSecret=S', '--Turn:AllowedPeerRanges:0=127.0.0.0/8');
  try {
    const port = Number(/STUN listening on UDP 127\.0\.0\.1:(\d+)/.exec(relayParley.output())[1]);
    const page = await openviduPage(browser, pageServer.origin);
    opened.push(page);
    const { username, credential } = restCredential('S', 'datachannel');
    const result = await page.evaluate(async ({ port, username, credential }) => {
      const config = { iceServers: [{ urls: [`turn:127.0.0.1:${port}`], username, credential }], iceTransportPolicy: 'relay' };
      const a = new RTCPeerConnection(config);
      const b = new RTCPeerConnection(config);
      a.onicecandidate = e => e.candidate && b.addIceCandidate(e.candidate);
      b.onicecandidate = e => e.candidate && a.addIceCandidate(e.candidate);
      const channel = a.createDataChannel('chat');
      const received = { a: [], b: [] };
      const bChannel = new Promise(resolve => { b.ondatachannel = e => resolve(e.channel); });
      await a.setLocalDescription();
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription();
      await a.setRemoteDescription(b.localDescription);
      await new Promise(resolve => { channel.onopen = resolve; });
      const other = await bChannel;
      other.onmessage = e => { received.b.push(e.data); other.send('pong ' + e.data); };
      channel.onmessage = e => received.a.push(e.data);
      for (let i = 0; i < 5; i++) channel.send('ping ' + i);
      const deadline = Date.now() + 5000;
      while (received.a.length < 5 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
      const types = [];
      for (const pc of [a, b]) {
        const stats = await pc.getStats();
        stats.forEach(s => {
          if (s.type === 'transport' && s.selectedCandidatePairId) {
            const pair = stats.get(s.selectedCandidatePairId);
            types.push(stats.get(pair.localCandidateId).candidateType, stats.get(pair.remoteCandidateId).candidateType);
          }
        });
      }
      a.close();
      b.close();
      return { received, types };
    }, { port, username, credential });
    assert.deepEqual(result.received.b, ['ping 0', 'ping 1', 'ping 2', 'ping 3', 'ping 4']);
    assert.deepEqual(result.received.a, ['pong ping 0', 'pong ping 1', 'pong ping 2', 'pong ping 3', 'pong ping 4']);
    assert.deepEqual(result.types, ['relay', 'relay', 'relay', 'relay']);
  } finally {
    await relayParley.stop();
  }
});

/** coturn's REST API credential: username "<expiry>:<user>", password base64(HMAC-SHA1(secret, username)). */
function restCredential(secret, user) {
  const username = `${Math.floor(Date.now() / 1000) + 3600}:${user}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}
