// Starts the built Parley executable for a test file and stops it afterwards.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startParley(...settings) {
  const configuration = process.env.PARLEY_CONFIGURATION ?? 'Release';
  const dll = join(root, 'src', 'Parley.Server', 'bin', configuration, 'net10.0', 'Parley.Server.dll');
  if (!existsSync(dll)) {
    throw new Error(`${dll} is missing: build first (./test.sh does)`);
  }
  const child = spawn('dotnet', [dll, '--urls', 'http://127.0.0.1:0', '--Stun:Enabled=false', '--WebRtc:Port=0', ...settings],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Parley did not start in 30 s:\n' + output)), 30_000);
    const onData = chunk => {
      output += chunk;
      const match = /Now listening on: (http\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`Parley exited with ${code}:\n${output}`)); });
  });
  return {
    url,
    output: () => output,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A raw REST call, for status codes the client library hides behind its own handling. */
export async function rest(parley, method, path, body, secret = 'MY_SECRET') {
  const response = await fetch(parley.url + '/openvidu/api' + path, {
    method,
    headers: {
      Authorization: 'Basic ' + Buffer.from('OPENVIDUAPP:' + secret).toString('base64'),
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}
