// Rebuilds the client into a temporary folder and compares it, file by file, with the committed build in
// src/Parley.Server/wwwroot. Exits 1 when they differ (the sources changed without `npm run build`, or the build is
// not reproducible), so CI can check that what Parley serves is what web/ builds.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const committed = fileURLToPath(new URL('../../src/Parley.Server/wwwroot', import.meta.url));

async function files(dir) {
  const out = new Map();
  async function walk(d) {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.set(relative(dir, path).split('\\').join('/'), await readFile(path));
    }
  }
  await walk(dir);
  return out;
}

const fresh = await mkdtemp(join(tmpdir(), 'parley-web-'));
try {
  await build({ root: fileURLToPath(new URL('..', import.meta.url)), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
  const [expected, actual] = await Promise.all([files(fresh), files(committed).catch(() => new Map())]);
  const differences = [];
  for (const [name, bytes] of expected) {
    if (!actual.has(name)) differences.push(`missing in wwwroot: ${name}`);
    else if (!bytes.equals(actual.get(name))) differences.push(`differs: ${name}`);
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) differences.push(`not built from web/: ${name}`);
  }
  if (differences.length > 0) {
    console.error(`src/Parley.Server/wwwroot is not what web/ builds (run npm run build in web/):\n  ${differences.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`src/Parley.Server/wwwroot matches a fresh build of web/ (${expected.size} files).`);
  }
} finally {
  await rm(fresh, { recursive: true, force: true });
}
