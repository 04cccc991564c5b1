// Signalling end to end: the unmodified openvidu-browser 2.32.2 in headless Chromium against Parley, with tokens
// minted by the unmodified openvidu-node-client 2.32.2. No media: sessions, signals, leaving, evictions, reconnection.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, connect as tcpConnect } from 'node:net';
import { OpenVidu, OpenViduRole } from 'openvidu-node-client';
import { startParley, rest } from './parley.mjs';
import { startPageServer, launchChromium, openviduPage, connect, waitForEvent, events } from './browser.mjs';

// A short reconnection window, so the eviction of a client that never comes back is quick to observe. A client whose
// socket drops reconnects at once, well within it.
const RECONNECTION_WINDOW_MS = 2_000;

let parley;
let ov;
let pageServer;
let browser;
let network;
let opened = [];

/**
 * A TCP relay in front of Parley standing for a page's network: `cut()` drops every connection through it at once,
 * with no WebSocket close frame, as a network failure does; while `hold()` is in force new connections wait, unanswered,
 * until `release()`, as when the network is slow to come back.
 */
async function startNetwork(target) {
  const { hostname, port } = new URL(target);
  const live = new Set();
  let held = null;
  const server = createTcpServer(client => {
    const open = () => {
      const upstream = tcpConnect(Number(port), hostname);
      const pair = { client, upstream };
      live.add(pair);
      const drop = () => { live.delete(pair); client.destroy(); upstream.destroy(); };
      for (const socket of [client, upstream]) {
        socket.on('error', drop);
        socket.on('close', drop);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    };
    if (held) {
      client.pause();
      held.push(open);
    } else {
      open();
    }
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    cut() {
      for (const { client, upstream } of live) { client.destroy(); upstream.destroy(); }
      live.clear();
    },
    hold() { held ??= []; },
    release() { const waiting = held ?? []; held = null; waiting.forEach(open => open()); },
    close() { this.cut(); return new Promise(resolve => server.close(resolve)); },
  };
}

before(async () => {
  [parley, pageServer, browser] = await Promise.all([
    startParley('--OpenVidu:ReconnectionWindow=00:00:02'),
    startPageServer(),
    launchChromium(),
  ]);
  network = await startNetwork(parley.url);
  ov = new OpenVidu(parley.url, 'MY_SECRET');
});

after(async () => {
  await browser?.close();
  await network?.close();
  await pageServer?.close();
  await parley?.stop();
});

// Every test's pages are closed after it, and none may have thrown an uncaught error.
afterEach(async () => {
  const pages = opened;
  opened = [];
  const errors = pages.flatMap(p => p.errors);
  await Promise.all(pages.map(p => p.closeContext()));
  assert.deepEqual(errors, [], 'no page recorded an uncaught error');
});

async function newPage() {
  const page = await openviduPage(browser, pageServer.origin);
  opened.push(page);
  return page;
}

/**
 * A fresh OpenVidu session with one connected page per role, joined in the order given; returns once every page
 * knows every participant (its own connectionCreated included), so Connection objects exist for all of them.
 * A leading `{ viaNetwork: [indexes] }` makes those pages reach Parley through `network` (their token's port is
 * rewritten; Parley matches tokens by their token key, as behind a proxy).
 */
async function room(...roles) {
  const { viaNetwork = [] } = typeof roles[0] === 'object' ? roles.shift() : {};
  const session = await ov.createSession();
  const pages = await Promise.all(roles.map(() => newPage()));
  const members = [];
  for (const [i, role] of roles.entries()) {
    const connection = await session.createConnection({ role, data: `server-${i}` });
    const token = viaNetwork.includes(i)
      ? connection.token.replace(`:${new URL(parley.url).port}?`, `:${network.port}?`)
      : connection.token;
    assert.ok(!viaNetwork.includes(i) || token !== connection.token);
    const joined = await connect(pages[i], token, `client-${i}`);
    assert.equal(joined.sessionId, session.sessionId);
    assert.equal(joined.connectionId, connection.connectionId);
    assert.equal(joined.role, role);
    members.push({ page: pages[i], id: joined.connectionId, role, token: connection.token });
  }
  const ids = members.map(m => m.id);
  await Promise.all(members.map(m =>
    waitForEvent(m.page, `(() => { const seen = new Set(window.events.filter(e => e.name === 'connectionCreated').map(e => e.connectionId));
      return ${JSON.stringify(ids)}.every(id => seen.has(id)); })`)));
  for (const m of members) {
    const created = await events(m.page, 'connectionCreated');
    assert.deepEqual(created.map(e => e.connectionId).sort(), [...ids].sort(), 'one connectionCreated per participant');
  }
  return { session, members };
}

/** session.signal from a page; `to` is a list of connection ids (resolved to the page's Connection objects), or
 * undefined for a broadcast. Resolves {ok} or {ok: false, code, message, name} instead of throwing. */
function signal(page, { to, type = 'chat', data }) {
  return page.evaluate(async ({ to, type, data }) => {
    const session = window.session;
    const lookup = id => id === session.connection.connectionId ? session.connection
      : session.remoteConnections.get(id) ?? window.kept?.get(id);
    try {
      await session.signal({ to: to?.map(lookup), type, data });
      return { ok: true };
    } catch (e) {
      return { ok: false, code: e.code, message: e.message, name: e.name };
    }
  }, { to, type, data });
}

/** The page's signal:chat events, as [from, data] pairs in arrival order. */
async function chats(page) {
  return (await events(page, 'signal:chat')).map(e => [e.from, e.data]);
}

const waitForChat = (page, data, timeout) =>
  waitForEvent(page, `e => e.name === 'signal:chat' && e.data === ${JSON.stringify(data)}`, timeout);

const waitForName = (page, name, timeout) =>
  waitForEvent(page, `e => e.name === ${JSON.stringify(name)}`, timeout);

async function activeConnectionIds(sessionId) {
  const response = await rest(parley, 'GET', `/sessions/${sessionId}`);
  assert.equal(response.status, 200);
  return response.body.connections.content.filter(c => c.status === 'active').map(c => c.connectionId);
}

test('a broadcast signal (empty to) reaches every participant, the sender included, from the sender', async () => {
  const { members: [a, b, c] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.SUBSCRIBER, OpenViduRole.MODERATOR);

  assert.deepEqual(await signal(a.page, { data: 'hello from a' }), { ok: true });
  assert.deepEqual(await signal(b.page, { data: 'hello from b (a subscriber may signal)' }), { ok: true });
  for (const m of [a, b, c]) {
    await waitForChat(m.page, 'hello from b (a subscriber may signal)');
    assert.deepEqual(await chats(m.page), [[a.id, 'hello from a'], [b.id, 'hello from b (a subscriber may signal)']]);
    // The generic 'signal' event carries the prefixed type.
    assert.deepEqual((await events(m.page, 'signal')).map(e => [e.type, e.from, e.data]),
      [['signal:chat', a.id, 'hello from a'], ['signal:chat', b.id, 'hello from b (a subscriber may signal)']]);
  }
});

test('a signal to specific connections reaches exactly those, the sender only if listed', async () => {
  const { members: [a, b, c] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);

  assert.deepEqual(await signal(a.page, { to: [b.id], data: 'for b only' }), { ok: true });
  assert.deepEqual(await signal(b.page, { to: [a.id, c.id], data: 'for a and c' }), { ok: true });
  assert.deepEqual(await signal(c.page, { to: [c.id], data: 'c to itself' }), { ok: true });
  // A later broadcast from each sender: once it has arrived, everything sent before it to that page has too.
  assert.deepEqual(await signal(a.page, { data: 'end a' }), { ok: true });
  assert.deepEqual(await signal(b.page, { data: 'end b' }), { ok: true });
  assert.deepEqual(await signal(c.page, { data: 'end c' }), { ok: true });
  await Promise.all([a, b, c].map(m => waitForChat(m.page, 'end c')));

  const ends = [[a.id, 'end a'], [b.id, 'end b'], [c.id, 'end c']];
  assert.deepEqual(await chats(a.page), [[b.id, 'for a and c'], ...ends]);
  assert.deepEqual(await chats(b.page), [[a.id, 'for b only'], ...ends]);
  assert.deepEqual(await chats(c.page), [[b.id, 'for a and c'], [c.id, 'c to itself'], ...ends]);
});

test('a signal listing a connection that has left is rejected (601) and delivered to nobody', async () => {
  const { members: [a, b, c] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);
  // a keeps c's Connection object, as an app would, then c leaves.
  await a.page.evaluate(id => { window.kept = new Map([[id, window.session.remoteConnections.get(id)]]); }, c.id);
  await c.page.evaluate(() => window.session.disconnect());
  await waitForEvent(a.page, `e => e.name === 'connectionDestroyed' && e.connectionId === ${JSON.stringify(c.id)}`);
  await waitForEvent(b.page, `e => e.name === 'connectionDestroyed' && e.connectionId === ${JSON.stringify(c.id)}`);

  const removed = await signal(a.page, { to: [b.id, c.id], data: 'to b and the departed c' });
  assert.equal(removed.ok, false);
  assert.equal(removed.code, 601);
  const unknown = await a.page.evaluate(async () => {
    try {
      await window.session.signal({ to: [{ connectionId: 'con_Nope000000' }], type: 'chat', data: 'to nobody' });
      return { ok: true };
    } catch (e) {
      return { ok: false, code: e.code };
    }
  });
  assert.deepEqual(unknown, { ok: false, code: 601 });

  assert.deepEqual(await signal(a.page, { data: 'proof' }), { ok: true });
  await Promise.all([a, b].map(m => waitForChat(m.page, 'proof')));
  assert.deepEqual(await chats(a.page), [[a.id, 'proof']]);
  assert.deepEqual(await chats(b.page), [[a.id, 'proof']]);
});

test('REST POST /signal delivers without from, to everyone or to the listed ids, and refuses bad requests', async () => {
  const { session, members: [a, b] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.SUBSCRIBER);
  const sessionId = session.sessionId;

  const all = await rest(parley, 'POST', '/signal', { session: sessionId, type: 'signal:chat', data: 'server to all' });
  assert.deepEqual(all, { status: 200, body: null });
  const one = await rest(parley, 'POST', '/signal', { session: sessionId, to: [b.id], type: 'signal:chat', data: 'server to b' });
  assert.deepEqual(one, { status: 200, body: null });
  // A type without the "signal:" prefix is forwarded verbatim: only the generic 'signal' listener (and 'chat') fire.
  const bare = await rest(parley, 'POST', '/signal', { session: sessionId, to: [a.id], type: 'chat', data: 'bare type' });
  assert.deepEqual(bare, { status: 200, body: null });
  const pending = await session.createConnection({ role: OpenViduRole.PUBLISHER });

  const refused = [
    [{ session: sessionId, to: [pending.connectionId], type: 'signal:chat', data: 'to a pending connection' }, 406],
    [{ session: sessionId, to: [a.id, 'con_Nope000000'], type: 'signal:chat', data: 'one unknown id' }, 406],
    [{ session: 'ses_Nope000000', type: 'signal:chat', data: 'x' }, 404],
    [{ type: 'signal:chat', data: 'no session' }, 400],
    [{ session: sessionId, to: a.id, type: 'signal:chat', data: 'to not an array' }, 400],
    [{ session: sessionId, to: [42], type: 'signal:chat', data: 'to with a number' }, 400],
    [{ session: sessionId, type: 7, data: 'type a number' }, 400],
    [{ session: sessionId, type: 'signal:chat', data: { not: 'a string' } }, 400],
  ];
  for (const [body, status] of refused) {
    assert.equal((await rest(parley, 'POST', '/signal', body)).status, status, JSON.stringify(body));
  }
  const empty = await ov.createSession();
  assert.equal((await rest(parley, 'POST', '/signal', { session: empty.sessionId, type: 'signal:chat', data: 'nobody here' })).status, 406);

  assert.deepEqual(await signal(a.page, { data: 'proof' }), { ok: true });
  await Promise.all([a, b].map(m => waitForChat(m.page, 'proof')));
  assert.deepEqual(await chats(a.page), [[null, 'server to all'], [a.id, 'proof']]);
  assert.deepEqual(await chats(b.page), [[null, 'server to all'], [null, 'server to b'], [a.id, 'proof']]);
  assert.deepEqual((await events(a.page, 'signal')).map(e => [e.type, e.from, e.data]),
    [['signal:chat', null, 'server to all'], ['signal:chat', null, 'bare type'], ['signal:chat', a.id, 'proof']]);
  assert.deepEqual((await events(b.page, 'signal')).map(e => [e.type, e.from, e.data]),
    [['signal:chat', null, 'server to all'], ['signal:chat', null, 'server to b'], ['signal:chat', a.id, 'proof']]);
  await empty.close();
});

test('100 chat signals fired in a row arrive complete and in order, at the receiver and back at the sender', async () => {
  const { members: [a, b] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);
  const sent = Array.from({ length: 100 }, (_, i) => `message ${i}`);
  const results = await a.page.evaluate(async sent =>
    Promise.all(sent.map(data => window.session.signal({ type: 'chat', data }).then(() => 'ok', e => JSON.stringify(e)))), sent);
  assert.deepEqual(results, sent.map(() => 'ok'));
  await Promise.all([a, b].map(m => waitForChat(m.page, 'message 99')));
  const expected = sent.map(data => [a.id, data]);
  assert.deepEqual(await chats(b.page), expected);
  assert.deepEqual(await chats(a.page), expected);
});

test('session.disconnect(): the others see connectionDestroyed "disconnect"; the last one out closes the session', async () => {
  const { session, members: [a, b, c] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER, OpenViduRole.SUBSCRIBER);
  const sessionId = session.sessionId;

  await a.page.evaluate(() => window.session.disconnect());
  for (const m of [b, c]) {
    await waitForName(m.page, 'connectionDestroyed');
    assert.deepEqual(await events(m.page, 'connectionDestroyed'), [{ name: 'connectionDestroyed', connectionId: a.id, reason: 'disconnect' }]);
  }
  assert.deepEqual(await events(a.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'disconnect' }]);
  assert.deepEqual(await events(a.page, 'connectionDestroyed'), []);
  assert.deepEqual((await activeConnectionIds(sessionId)).sort(), [b.id, c.id].sort());

  await b.page.evaluate(() => window.session.disconnect());
  await waitForEvent(c.page, `e => e.name === 'connectionDestroyed' && e.connectionId === ${JSON.stringify(b.id)}`);
  assert.deepEqual(await events(c.page, 'connectionDestroyed'), [
    { name: 'connectionDestroyed', connectionId: a.id, reason: 'disconnect' },
    { name: 'connectionDestroyed', connectionId: b.id, reason: 'disconnect' },
  ]);
  assert.deepEqual(await activeConnectionIds(sessionId), [c.id]);

  await c.page.evaluate(() => window.session.disconnect());
  assert.deepEqual(await events(c.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'disconnect' }]);
  let status;
  for (const deadline = Date.now() + 5_000; Date.now() < deadline;) {
    status = (await rest(parley, 'GET', `/sessions/${sessionId}`)).status;
    if (status === 404) break;
    await new Promise(r => setTimeout(r, 50));
  }
  assert.equal(status, 404, 'the session closes when its last participant leaves');
  assert.equal((await rest(parley, 'POST', `/sessions/${sessionId}/connection`, {})).status, 404);
  for (const m of [a, b]) {
    assert.deepEqual(await events(m.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'disconnect' }]);
  }
});

test('REST DELETE of an active connection evicts it: forceDisconnectByServer for the evicted and the others', async () => {
  const { session, members: [a, b, c] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);
  await session.fetch();
  const target = session.connections.find(x => x.connectionId === b.id);
  assert.ok(target, 'the node client lists b after fetch');
  await session.forceDisconnect(target);

  await waitForName(b.page, 'sessionDisconnected');
  assert.deepEqual(await events(b.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'forceDisconnectByServer' }]);
  assert.deepEqual(await events(b.page, 'connectionDestroyed'), []);
  for (const m of [a, c]) {
    await waitForName(m.page, 'connectionDestroyed');
    assert.deepEqual(await events(m.page, 'connectionDestroyed'),
      [{ name: 'connectionDestroyed', connectionId: b.id, reason: 'forceDisconnectByServer' }]);
    assert.deepEqual(await events(m.page, 'sessionDisconnected'), []);
  }
  // The evicted page closed its socket on purpose: it does not try to reconnect.
  await b.page.waitForFunction(() => window.sockets.every(s => s.readyState === WebSocket.CLOSED), null, { timeout: 10_000 });
  assert.deepEqual(await events(b.page, 'reconnecting'), []);
  assert.equal(await b.page.evaluate(() => window.sockets.length), 1);
  assert.deepEqual((await activeConnectionIds(session.sessionId)).sort(), [a.id, c.id].sort());
  assert.equal((await rest(parley, 'DELETE', `/sessions/${session.sessionId}/connection/${b.id}`)).status, 404);

  assert.deepEqual(await signal(a.page, { data: 'still here' }), { ok: true });
  await Promise.all([a, c].map(m => waitForChat(m.page, 'still here')));
  assert.deepEqual(await chats(c.page), [[a.id, 'still here']]);
});

test('REST DELETE of the session disconnects everybody with sessionClosedByServer', async () => {
  const { session, members } = await room(OpenViduRole.MODERATOR, OpenViduRole.PUBLISHER, OpenViduRole.SUBSCRIBER);
  await session.close();
  for (const m of members) {
    await waitForName(m.page, 'sessionDisconnected');
    assert.deepEqual(await events(m.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'sessionClosedByServer' }]);
    // Pages may hear of the others' removal first; if they do, it is with the same reason and never about themselves.
    for (const destroyed of await events(m.page, 'connectionDestroyed')) {
      assert.equal(destroyed.reason, 'sessionClosedByServer');
      assert.notEqual(destroyed.connectionId, m.id);
    }
    assert.deepEqual(await events(m.page, 'reconnecting'), []);
  }
  assert.equal((await rest(parley, 'GET', `/sessions/${session.sessionId}`)).status, 404);
});

test('a MODERATOR page evicts with forceDisconnectByUser; a PUBLISHER page is refused OPENVIDU_PERMISSION_DENIED', async () => {
  const { members: [mod, pub, target] } = await room(OpenViduRole.MODERATOR, OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);

  const refused = await pub.page.evaluate(async id => {
    try {
      await window.session.forceDisconnect(window.session.remoteConnections.get(id));
      return { ok: true };
    } catch (e) {
      return { ok: false, name: e.name };
    }
  }, target.id);
  assert.deepEqual(refused, { ok: false, name: 'OPENVIDU_PERMISSION_DENIED' });
  // Nothing happened to the target: a broadcast reaches it and nobody saw anyone leave.
  assert.deepEqual(await signal(pub.page, { data: 'after the refusal' }), { ok: true });
  await Promise.all([mod, pub, target].map(m => waitForChat(m.page, 'after the refusal')));
  for (const m of [mod, pub, target]) {
    assert.deepEqual(await events(m.page, 'connectionDestroyed'), []);
    assert.deepEqual(await events(m.page, 'sessionDisconnected'), []);
  }

  const evicted = await mod.page.evaluate(async id => {
    try {
      await window.session.forceDisconnect(window.session.remoteConnections.get(id));
      return { ok: true };
    } catch (e) {
      return { ok: false, name: e.name, code: e.code };
    }
  }, target.id);
  assert.deepEqual(evicted, { ok: true });
  await waitForName(target.page, 'sessionDisconnected');
  assert.deepEqual(await events(target.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'forceDisconnectByUser' }]);
  assert.deepEqual(await events(target.page, 'connectionDestroyed'), []);
  for (const m of [mod, pub]) {
    await waitForName(m.page, 'connectionDestroyed');
    assert.deepEqual(await events(m.page, 'connectionDestroyed'),
      [{ name: 'connectionDestroyed', connectionId: target.id, reason: 'forceDisconnectByUser' }]);
    assert.deepEqual(await events(m.page, 'sessionDisconnected'), []);
  }
});

test('a token that has been used cannot join again', async () => {
  const { session, members: [a] } = await room(OpenViduRole.PUBLISHER);
  const second = await newPage();
  const outcome = await second.evaluate(async token => {
    const session = new OpenVidu().initSession();
    try {
      await session.connect(token, 'again');
      return { ok: true };
    } catch (e) {
      return { ok: false, code: e.code };
    }
  }, a.token);
  assert.deepEqual(outcome, { ok: false, code: 401 });
  assert.deepEqual(await activeConnectionIds(session.sessionId), [a.id]);
  // a never heard of anyone else joining.
  assert.deepEqual(await signal(a.page, { data: 'alone' }), { ok: true });
  await waitForChat(a.page, 'alone');
  assert.deepEqual((await events(a.page, 'connectionCreated')).map(e => e.connectionId), [a.id]);
});

/** Makes the page record which of its later sockets each incoming frame arrived on (index into window.sockets);
 * openvidu-browser looks WebSocket up each time it opens one, so wrapping it now covers its reconnections. */
async function recordFramesPerSocket(page) {
  await page.evaluate(() => {
    const Inner = window.WebSocket;
    window.received = [];
    window.WebSocket = function (url, protocols) {
      const socket = new Inner(url, protocols);
      const index = window.sockets.length - 1;
      socket.addEventListener('message', m => window.received.push({ socket: index, data: m.data }));
      return socket;
    };
    window.WebSocket.prototype = Inner.prototype;
    Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  });
}

/** [socket index, data] of every signal notification the page received. */
function signalFrames(page) {
  return page.evaluate(() => window.received
    .filter(f => f.data.includes('"sendMessage"')).map(f => [f.socket, JSON.parse(f.data).params.data]));
}

test('after a network drop the page reconnects by itself and keeps its place; signals sent meanwhile still arrive', async () => {
  const { session, members: [a, b] } = await room({ viaNetwork: [0] }, OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);
  await recordFramesPerSocket(a.page);
  assert.deepEqual(await signal(b.page, { to: [a.id], data: 'before' }), { ok: true });
  await waitForChat(a.page, 'before');

  // a's connection breaks (no close frame) and its network stays down for a moment: openvidu-browser's immediate
  // reconnection attempt waits unanswered while the server and b send to a.
  network.hold();
  network.cut();
  await waitForName(a.page, 'reconnecting');
  await new Promise(r => setTimeout(r, 300)); // the server has seen the connection go
  assert.deepEqual(await rest(parley, 'POST', '/signal',
    { session: session.sessionId, to: [a.id], type: 'signal:chat', data: 'meanwhile from the server' }), { status: 200, body: null });
  assert.deepEqual(await signal(b.page, { to: [a.id], data: 'meanwhile from b' }), { ok: true });
  assert.deepEqual(await signal(b.page, { data: 'meanwhile to all from b' }), { ok: true });
  assert.deepEqual(await events(a.page, 'reconnected'), []);
  network.release();

  await waitForName(a.page, 'reconnected');
  assert.deepEqual((await a.page.evaluate(() => window.events.filter(e => e.name === 'reconnecting' || e.name === 'reconnected')))
    .map(e => e.name), ['reconnecting', 'reconnected']);
  await waitForChat(a.page, 'meanwhile to all from b');
  const meanwhile = [[null, 'meanwhile from the server'], [b.id, 'meanwhile from b'], [b.id, 'meanwhile to all from b']];
  assert.deepEqual(await chats(a.page), [[b.id, 'before'], ...meanwhile]);
  // (Recording began after a's first socket was opened: only its new one, index 1, is watched.)
  assert.deepEqual(await signalFrames(a.page), [[1, 'meanwhile from the server'], [1, 'meanwhile from b'],
    [1, 'meanwhile to all from b']], 'what was sent while a was away is kept for it and arrives on its new socket');
  assert.equal(await a.page.evaluate(() => window.sockets.length), 2);

  // After: both directions work, nobody saw anybody leave, and a is still the same active connection.
  assert.deepEqual(await signal(b.page, { data: 'after from b' }), { ok: true });
  assert.deepEqual(await signal(a.page, { data: 'after from a' }), { ok: true });
  await Promise.all([a, b].map(m => waitForChat(m.page, 'after from a')));
  const after = [[b.id, 'after from b'], [a.id, 'after from a']];
  assert.deepEqual(await chats(a.page), [[b.id, 'before'], ...meanwhile, ...after]);
  assert.deepEqual(await chats(b.page), [[b.id, 'meanwhile to all from b'], ...after]);
  for (const m of [a, b]) {
    assert.deepEqual(await events(m.page, 'connectionDestroyed'), []);
    assert.deepEqual(await events(m.page, 'sessionDisconnected'), []);
  }
  assert.deepEqual((await activeConnectionIds(session.sessionId)).sort(), [a.id, b.id].sort());
});

test('a page that cannot reconnect is evicted with networkDisconnect after the reconnection window', async () => {
  const { session, members: [a, b] } = await room({ viaNetwork: [0] }, OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);
  await a.page.evaluate(() => { window.blockSockets = true; });
  const droppedAt = Date.now();
  network.cut();
  await waitForName(a.page, 'reconnecting');

  await waitForName(b.page, 'connectionDestroyed');
  const waited = Date.now() - droppedAt;
  assert.ok(waited >= RECONNECTION_WINDOW_MS - 50, `evicted after ${waited} ms, not before the ${RECONNECTION_WINDOW_MS} ms window`);
  assert.deepEqual(await events(b.page, 'connectionDestroyed'),
    [{ name: 'connectionDestroyed', connectionId: a.id, reason: 'networkDisconnect' }]);
  assert.deepEqual(await activeConnectionIds(session.sessionId), [b.id]);
  assert.equal((await rest(parley, 'GET', `/sessions/${session.sessionId}/connection/${a.id}`)).status, 404);

  // When a's network comes back, its next retry's connect is refused and the page ends with networkDisconnect.
  assert.deepEqual(await events(a.page, 'sessionDisconnected'), []);
  await a.page.evaluate(() => { window.blockSockets = false; });
  await waitForName(a.page, 'sessionDisconnected');
  assert.deepEqual(await events(a.page, 'sessionDisconnected'), [{ name: 'sessionDisconnected', reason: 'networkDisconnect' }]);
  assert.deepEqual(await events(a.page, 'reconnected'), []);
  assert.deepEqual(await activeConnectionIds(session.sessionId), [b.id]);

  assert.deepEqual(await signal(b.page, { data: 'alone now' }), { ok: true });
  await waitForChat(b.page, 'alone now');
  assert.deepEqual(await chats(b.page), [[b.id, 'alone now']]);
  assert.deepEqual(await chats(a.page), []);
});

// An empty close frame (a bare close(), which .NET reports as 1000) is a drop, not a leave: openvidu-browser
// reconnects, and only its 4102 means leaving on purpose (as the reference keeps the participant for the window).
test('a socket the page closes without a status code counts as a drop, not a leave', async () => {
  const { session, members: [a, b] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER);
  await a.page.evaluate(() => window.sockets.at(-1).close());
  await waitForEvent(a.page, `e => e.name === 'reconnected' || e.name === 'sessionDisconnected'`);
  assert.deepEqual(await events(a.page, 'sessionDisconnected'), []);
  assert.deepEqual((await a.page.evaluate(() => window.events.filter(e => e.name === 'reconnecting' || e.name === 'reconnected')))
    .map(e => e.name), ['reconnecting', 'reconnected']);
  assert.deepEqual(await signal(b.page, { data: 'after' }), { ok: true });
  await Promise.all([a, b].map(m => waitForChat(m.page, 'after')));
  assert.deepEqual(await events(b.page, 'connectionDestroyed'), []);
  assert.deepEqual((await activeConnectionIds(session.sessionId)).sort(), [a.id, b.id].sort());
});

// Closing a tab: openvidu-browser sends nothing first, the socket just goes, so the others see the participant leave
// when the reconnection window ends (OpenVidu keeps it for that window too).
test('closing a tab makes the others see connectionDestroyed once the reconnection window ends', async () => {
  const { session, members: [a, b, c] } = await room(OpenViduRole.PUBLISHER, OpenViduRole.PUBLISHER, OpenViduRole.SUBSCRIBER);
  const closedAt = Date.now();
  await a.page.close({ runBeforeUnload: true });
  await Promise.all([b, c].map(m => waitForName(m.page, 'connectionDestroyed', RECONNECTION_WINDOW_MS + 5_000)));
  assert.ok(Date.now() - closedAt >= RECONNECTION_WINDOW_MS - 50);
  for (const m of [b, c]) {
    assert.deepEqual(await events(m.page, 'connectionDestroyed'),
      [{ name: 'connectionDestroyed', connectionId: a.id, reason: 'networkDisconnect' }]);
  }
  assert.deepEqual((await activeConnectionIds(session.sessionId)).sort(), [b.id, c.id].sort());
});
