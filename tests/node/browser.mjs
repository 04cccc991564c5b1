// Headless Debian Chromium driven by playwright-core, with openvidu-browser 2.32.2 (its unmodified npm bundle) loaded
// into each page. Fake camera and microphone, so media tests need no devices.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
export const openviduBundle = join(dirname(require.resolve('openvidu-browser/package.json')), 'static', 'js', 'openvidu-browser-2.32.2.js');

/**
 * A page origin on loopback serving an empty page and the openvidu-browser bundle, like an app's web server: the
 * page really comes from 127.0.0.1, so Chromium's local-network checks treat its WebSocket to Parley as they would
 * for a real app on the same machine. `host` serves it on another address instead (a browser in another network
 * namespace cannot reach this one's loopback).
 */
export async function startPageServer(host = '127.0.0.1') {
  const bundle = readFileSync(openviduBundle);
  const server = createServer((request, response) => {
    if (request.url === '/openvidu-browser.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
    } else {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>Parley test page</title>');
    }
  });
  await new Promise(resolve => server.listen(0, host, resolve));
  return { origin: `http://${host}:${server.address().port}`, close: () => new Promise(r => server.close(r)) };
}

/**
 * Headless Chromium with fake devices. `executablePath` replaces the browser (e.g. a wrapper script that runs it in a
 * network namespace) and `args` are added to the usual flags.
 */
export async function launchChromium({ executablePath, args = [] } = {}) {
  return chromium.launch({
    executablePath: executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required', ...args],
  });
}

/**
 * A fresh browser context on a page of `origin` (startPageServer) with openvidu-browser loaded and a record of what the page's Session emits.
 * `window.sockets` keeps every WebSocket the page opens, so a test can break one as a network drop would.
 */
export async function openviduPage(browser, origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(origin + '/');
  await page.evaluate(() => {
    window.sockets = [];
    window.blockSockets = false;
    const Native = window.WebSocket;
    window.WebSocket = function (url, protocols) {
      const socket = new Native(window.blockSockets ? 'ws://127.0.0.1:9/blocked' : url, protocols);
      window.sockets.push(socket);
      return socket;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  });
  await page.addScriptTag({ url: origin + '/openvidu-browser.js' });
  page.errors = errors;
  page.closeContext = () => context.close();
  return page;
}

/** Connects the page's Session with a token; events it emits are kept in window.events. */
export async function connect(page, token, clientData) {
  return page.evaluate(async ({ token, clientData }) => {
    window.events = [];
    const OV = new OpenVidu();
    OV.enableProdMode();
    const session = OV.initSession();
    window.session = session;
    const record = (name, pick) => session.on(name, e => window.events.push({ name, ...pick(e) }));
    record('connectionCreated', e => ({ connectionId: e.connection.connectionId, data: e.connection.data }));
    record('connectionDestroyed', e => ({ connectionId: e.connection.connectionId, reason: e.reason }));
    record('sessionDisconnected', e => ({ reason: e.reason }));
    record('reconnecting', () => ({}));
    record('reconnected', () => ({}));
    record('signal', e => ({ type: e.type, data: e.data, from: e.from?.connectionId ?? null }));
    record('signal:chat', e => ({ data: e.data, from: e.from?.connectionId ?? null }));
    await session.connect(token, clientData);
    return { connectionId: session.connection.connectionId, sessionId: session.sessionId, role: session.connection.role };
  }, { token, clientData });
}

/**
 * Joins the page's Session with `token` as a participant of a call: every remote stream is subscribed into a tile
 * `#tile-<publisher's connection id>` (its Subscriber in window.subscribers under that id), streamDestroyed and chat
 * signals land in window.events, and with `publish` the page publishes its fake camera and microphone at
 * `resolution` (window.publisher). Returns the page's connection id.
 */
export async function joinWithTiles(page, { token, name, publish = false, resolution = '320x240' }) {
  return page.evaluate(async ({ token, name, publish, resolution }) => {
    window.events = [];
    const OV = new OpenVidu();
    OV.enableProdMode();
    const session = OV.initSession();
    window.session = session;
    window.subscribers = {};
    session.on('streamCreated', e => {
      const tile = document.createElement('div');
      tile.id = 'tile-' + e.stream.connection.connectionId;
      document.body.appendChild(tile);
      window.subscribers[e.stream.connection.connectionId] = session.subscribe(e.stream, tile);
    });
    session.on('streamDestroyed', e => window.events.push({ name: 'streamDestroyed', from: e.stream.connection.connectionId, reason: e.reason }));
    session.on('signal:chat', e => window.events.push({ name: 'chat', from: e.from.connectionId, data: e.data }));
    await session.connect(token, name);
    if (publish) {
      const own = document.createElement('div');
      document.body.appendChild(own);
      window.publisher = OV.initPublisher(own, { resolution, frameRate: 15, mirror: false });
      await session.publish(window.publisher);
    }
    return session.connection.connectionId;
  }, { token, name, publish, resolution });
}

/** Waits until the page has recorded an event matching `predicate` (a function source run in the page). */
export async function waitForEvent(page, predicate, timeout = 10_000) {
  await page.waitForFunction(`window.events.some(${predicate})`, null, { timeout, polling: 50 });
}

export async function events(page, name) {
  return page.evaluate(name => window.events.filter(e => e.name === name), name);
}

/** The selected candidate pair of every connected RTCPeerConnection in window.peerConnections. */
export function selectedPairs(page) {
  return page.evaluate(async () => {
    const pairs = [];
    for (const pc of window.peerConnections) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      stats.forEach(s => {
        if (s.type === 'transport' && s.selectedCandidatePairId) {
          const pair = stats.get(s.selectedCandidatePairId);
          const local = stats.get(pair.localCandidateId);
          const remote = stats.get(pair.remoteCandidateId);
          pairs.push({
            local: local.candidateType, protocol: local.protocol, relayProtocol: local.relayProtocol ?? null,
            localAddress: `${local.address}:${local.port}`,
            // Chromium leaves out the address of a remote prflx candidate.
            remote: remote.candidateType, remoteAddress: `${remote.address ?? ''}:${remote.port}`,
          });
        }
      });
    }
    return pairs;
  });
}
