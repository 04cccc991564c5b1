// The OpenVidu REST API as the unmodified openvidu-node-client 2.32.2 uses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OpenVidu, OpenViduRole } from 'openvidu-node-client';
import { startParley, rest } from './parley.mjs';

let parley;
let ov;
before(async () => { parley = await startParley(); ov = new OpenVidu(parley.url, 'MY_SECRET'); });
after(async () => { await parley?.stop(); });

test('createSession with a custom id, and again with the same id, resolves to one session (409 handled)', async () => {
  const session = await ov.createSession({ customSessionId: 'tutoring-room' });
  assert.equal(session.sessionId, 'tutoring-room');
  assert.equal(session.properties.mediaMode, 'ROUTED');
  assert.equal(session.properties.recordingMode, 'MANUAL');
  assert.ok(session.createdAt > 0);

  const raw = await rest(parley, 'POST', '/sessions', { customSessionId: 'tutoring-room' });
  assert.equal(raw.status, 409);
  const again = await ov.createSession({ customSessionId: 'tutoring-room' });
  assert.equal(again.sessionId, 'tutoring-room');
  assert.equal(again.createdAt, session.createdAt);
});

test('a session without a custom id gets an OpenVidu-style id', async () => {
  const session = await ov.createSession();
  assert.match(session.sessionId, /^ses_[A-Z][A-Za-z0-9]{9}$/);
  await session.close();
});

test('connections with each role carry single-use ws tokens pointing at this server', async () => {
  const session = await ov.createSession({ customSessionId: 'roles' });
  const host = new URL(parley.url).host;
  const seen = new Set();
  for (const role of [OpenViduRole.SUBSCRIBER, OpenViduRole.PUBLISHER, OpenViduRole.MODERATOR]) {
    const connection = await session.createConnection({ role, data: `user-${role}` });
    assert.equal(connection.role, role);
    assert.equal(connection.status, 'pending');
    assert.equal(connection.serverData, `user-${role}`);
    assert.equal(connection.connectionProperties.record, true);
    assert.equal(connection.connectionProperties.role, role);
    assert.match(connection.connectionId, /^con_[A-Z][A-Za-z0-9]{9}$/);
    assert.match(connection.token, new RegExp(`^ws://${host.replace(/\./g, '\\.')}\\?sessionId=roles&token=tok_[A-Z][A-Za-z0-9]{15}$`));
    assert.ok(!seen.has(connection.token));
    seen.add(connection.token);
  }
  const defaults = await session.createConnection();
  assert.equal(defaults.role, OpenViduRole.PUBLISHER);

  await session.fetch();
  assert.equal(session.connections.length, 4);
  assert.deepEqual(session.connections.map(c => c.role), ['SUBSCRIBER', 'PUBLISHER', 'MODERATOR', 'PUBLISHER']);
  await session.close();
});

test('fetch lists the sessions, getConnection finds one, updateConnection changes role and record', async () => {
  const session = await ov.createSession({ customSessionId: 'listing' });
  const connection = await session.createConnection({ role: OpenViduRole.PUBLISHER, data: 'x' });
  await ov.fetch();
  assert.ok(ov.activeSessions.some(s => s.sessionId === 'listing'));

  const one = await rest(parley, 'GET', `/sessions/listing/connection/${connection.connectionId}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.connectionId, connection.connectionId);
  assert.equal(one.body.token, connection.token);
  const rawText = await (await fetch(`${parley.url}/openvidu/api/sessions/listing/connection/${connection.connectionId}`,
    { headers: { Authorization: 'Basic ' + Buffer.from('OPENVIDUAPP:MY_SECRET').toString('base64') } })).text();
  assert.ok(rawText.includes('&token=tok_'), 'the token URL is written plainly, as OpenVidu writes it');

  const updated = await session.updateConnection(connection.connectionId, { role: OpenViduRole.MODERATOR, record: false });
  assert.equal(updated.connectionProperties.role, OpenViduRole.MODERATOR);
  assert.equal(updated.connectionProperties.record, false);
  // The client updates its local copy whatever the server did: check the server's own state.
  const stored = await rest(parley, 'GET', `/sessions/listing/connection/${connection.connectionId}`);
  assert.equal(stored.body.role, 'MODERATOR');
  assert.equal(stored.body.record, false);
  assert.equal((await rest(parley, 'PATCH', `/sessions/listing/connection/${connection.connectionId}`, { role: 'KING' })).status, 400);
  assert.equal((await rest(parley, 'PATCH', '/sessions/listing/connection/con_Nope000000', { record: true })).status, 404);
  await session.close();
});

test('forceDisconnect of a pending connection revokes it; the deprecated generateToken still works', async () => {
  const session = await ov.createSession({ customSessionId: 'revoke' });
  const connection = await session.createConnection();
  await session.forceDisconnect(connection);
  assert.equal((await rest(parley, 'GET', `/sessions/revoke/connection/${connection.connectionId}`)).status, 404);

  const token = await session.generateToken({ role: OpenViduRole.SUBSCRIBER, data: 'legacy' });
  assert.match(token, /^ws:\/\/.*\?sessionId=revoke&token=tok_/);
  await session.close();
});

test('a closed session is gone: 404 for it, 400 for its connections, as OpenVidu answers', async () => {
  const session = await ov.createSession({ customSessionId: 'closing' });
  const connection = await session.createConnection();
  await session.close();
  assert.equal((await rest(parley, 'GET', '/sessions/closing')).status, 404);
  assert.equal((await rest(parley, 'DELETE', '/sessions/closing')).status, 404);
  assert.equal((await rest(parley, 'GET', `/sessions/closing/connection/${connection.connectionId}`)).status, 400);
  assert.equal((await rest(parley, 'DELETE', `/sessions/closing/connection/${connection.connectionId}`)).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions/closing/connection', {})).status, 404);
});

test('a wrong secret gets 401 from every call, with a JSON body', async () => {
  const intruder = new OpenVidu(parley.url, 'not-the-secret');
  await assert.rejects(intruder.createSession(), { message: '401' });
  await assert.rejects(intruder.fetch(), { message: '401' });
  const raw = await rest(parley, 'GET', '/sessions', undefined, 'MY_SECRET_');
  assert.equal(raw.status, 401);
  assert.equal(raw.body.status, 401);
});

test('bad bodies get 400 and nothing is created', async () => {
  assert.equal((await rest(parley, 'POST', '/sessions', { mediaMode: 'SIDEWAYS' })).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions', { customSessionId: 'no spaces!' })).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions', '{"customSessionId": ')).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions', '[1,2]')).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions', { allowTranscoding: 'yes' })).status, 400);
  const session = await ov.createSession({ customSessionId: 'bodies' });
  assert.equal((await rest(parley, 'POST', '/sessions/bodies/connection', { role: 'KING' })).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions/bodies/connection', { type: 'CARRIER_PIGEON' })).status, 400);
  assert.equal((await rest(parley, 'POST', '/sessions/bodies/connection', { data: 42 })).status, 400);
  assert.equal((await rest(parley, 'POST', '/tokens', {})).status, 400);
  assert.equal((await rest(parley, 'POST', '/tokens', { session: 'nope' })).status, 404);
  await session.fetch();
  assert.equal(session.connections.length, 0);
  await session.close();
});

test('recordings answer 501 until recording is implemented', async () => {
  await assert.rejects(ov.listRecordings(), { message: '501' });
  await assert.rejects(ov.startRecording('anything'), { message: '501' });
});

test('GET /openvidu/api/health answers UP without the secret, as OpenVidu Pro\'s does', async () => {
  const response = await fetch(parley.url + '/openvidu/api/health');
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { status: 'UP' });
  assert.equal((await rest(parley, 'GET', '/sessions', undefined, 'wrong-secret')).status, 401);
});
