// The OpenVidu JSON-RPC protocol spoken from node, for peers that are not a browser (aiortc): a minimal WebSocket
// client (RFC 6455: text frames, masked, no extensions; node 20 has no global WebSocket without a flag) and the
// request/response/notification layer on top of it, with the 5 s ping openvidu-browser sends.
import { request } from 'node:http';
import { randomBytes, createHash } from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Opens a WebSocket to `url` (ws://host:port/path); `onText` gets each text message, `onClose` the end. */
function openWebSocket(url, onText, onClose) {
  const { hostname, port, pathname, search } = new URL(url);
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const req = request({
      hostname, port, path: pathname + search,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key },
    });
    req.on('response', response => reject(new Error(`WebSocket refused with HTTP ${response.statusCode}`)));
    req.on('error', reject);
    req.on('upgrade', (response, socket, head) => {
      const accept = createHash('sha1').update(key + GUID).digest('base64');
      if (response.headers['sec-websocket-accept'] !== accept) {
        socket.destroy();
        reject(new Error('WebSocket handshake: wrong Sec-WebSocket-Accept'));
        return;
      }
      let buffer = head;
      let fragments = [];
      const send = (opcode, payload) => {
        const mask = randomBytes(4);
        const length = payload.length;
        let header;
        if (length < 126) {
          header = Buffer.from([0x80 | opcode, 0x80 | length]);
        } else if (length < 65536) {
          header = Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
        } else {
          header = Buffer.alloc(10);
          header.set([0x80 | opcode, 0x80 | 127]);
          header.writeBigUInt64BE(BigInt(length), 2);
        }
        const masked = Buffer.from(payload);
        for (let i = 0; i < masked.length; i++) masked[i] ^= mask[i % 4];
        socket.write(Buffer.concat([header, mask, masked]));
      };
      socket.on('data', chunk => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          if (buffer.length < 2) return;
          const fin = (buffer[0] & 0x80) !== 0;
          const opcode = buffer[0] & 0x0f;
          let length = buffer[1] & 0x7f;
          let offset = 2;
          if (length === 126) { if (buffer.length < 4) return; length = buffer.readUInt16BE(2); offset = 4; }
          else if (length === 127) { if (buffer.length < 10) return; length = Number(buffer.readBigUInt64BE(2)); offset = 10; }
          if (buffer[1] & 0x80) { socket.destroy(); return; } // a server frame must not be masked
          if (buffer.length < offset + length) return;
          const payload = buffer.subarray(offset, offset + length);
          buffer = buffer.subarray(offset + length);
          if (opcode === 0x9) send(0xA, payload);
          else if (opcode === 0x8) { send(0x8, payload.subarray(0, 2)); socket.end(); }
          else if (opcode === 0x1 || opcode === 0x0) {
            fragments.push(payload);
            if (fin) { const text = Buffer.concat(fragments).toString('utf8'); fragments = []; onText(text); }
          }
        }
      });
      socket.on('close', () => onClose());
      socket.on('error', () => {});
      resolve({
        send: text => send(0x1, Buffer.from(text, 'utf8')),
        close: () => new Promise(done => {
          if (socket.destroyed) { done(); return; }
          socket.once('close', done);
          send(0x8, Buffer.from([0x03, 0xe8])); // 1000, normal closure
          setTimeout(() => socket.destroy(), 1000);
        }),
      });
    });
    req.end();
  });
}

/**
 * A JSON-RPC 2.0 connection to Parley's OpenVidu endpoint for `token` (the token URL from REST). `call` resolves
 * with the result or rejects with the error; notifications are kept in `notifications`.
 */
export async function openviduRpc(token) {
  const { host, searchParams } = new URL(token.replace(/^ws/, 'http'));
  const pending = new Map();
  const notifications = [];
  let nextId = 0;
  let closed = false;
  const socket = await openWebSocket(`ws://${host}/openvidu?sessionId=${searchParams.get('sessionId')}`, text => {
    const message = JSON.parse(text);
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) {
        reject(Object.assign(new Error(`${message.error.code}: ${message.error.message}`), { code: message.error.code }));
      } else {
        resolve(message.result);
      }
    } else if (message.method) {
      notifications.push(message);
    }
  }, () => {
    closed = true;
    for (const { reject } of pending.values()) reject(new Error('the WebSocket closed'));
    pending.clear();
  });
  const call = (method, params) => new Promise((resolve, reject) => {
    if (closed) { reject(new Error('the WebSocket is closed')); return; }
    const id = nextId++;
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ jsonrpc: '2.0', method, params: params ?? {}, id }));
  });
  await call('ping', { interval: 5000 });
  const pinger = setInterval(() => call('ping').catch(() => {}), 5000);
  return {
    call,
    notifications,
    /** joinRoom as openvidu-browser 2.32.2 sends it. */
    joinRoom(metadata = '') {
      return call('joinRoom', {
        token, session: searchParams.get('sessionId'), platform: 'aiortc 1.4 (node test)', sdkVersion: '2.32.2',
        metadata, secret: '', recorder: false, stt: false,
      });
    },
    async close() {
      clearInterval(pinger);
      if (!closed) await call('leaveRoom').catch(() => {});
      await socket.close();
    },
  };
}
