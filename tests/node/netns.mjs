// What the tests that build networks of their own (network namespaces, veth links, nftables tables, shapers) share:
// running commands, and a run's resources named after the test and its process id, so that they are removed when
// the run ends (normally or by a signal) and what a run that died left behind is removed by the next one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether `command args…` runs and succeeds. */
export function has(command, ...args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command (with `input` on its standard input) and returns its output; throws when it fails. */
export function sh(command, args, input) {
  return execFileSync(command, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

export const ip = (...args) => sh('ip', args);

/** The action's result, or undefined when it throws (e.g. what it removes is already gone). */
export function safe(action) {
  try {
    return action();
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live node process (a run of a test file), not a process that took the number of a dead run. */
function alive(pid) {
  return (safe(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8')) ?? '').includes('node');
}

/**
 * The network resources of this run of the test `name`: namespaces `parley-<name>-<pid>[-<suffix>]`, root links
 * `<linkPrefix><pid>` (IFNAMSIZ allows 15 characters), root nftables tables `parley_<name>_<pid>`, the directory
 * `/tmp/parley-<name>-<pid>`, and a Parley started with `--OpenVidu:Secret=<secret>`. `claim()` removes what a dead
 * run left and makes the directory; what this run made goes when the process exits or is interrupted.
 */
export function testNetwork(name, linkPrefix) {
  const run = `parley-${name}-${process.pid}`;
  const workDir = `/tmp/${run}`;
  let claimed = false;

  function remove(onlyDead) {
    const mine = pid => (onlyDead ? pid !== process.pid && !alive(pid) : pid === process.pid);
    for (const line of (safe(() => ip('netns', 'list')) ?? '').split('\n')) {
      const match = new RegExp(`^parley-${name}-(\\d+)(-\\S+)?\\b`).exec(line);
      if (match && mine(Number(match[1]))) {
        const namespace = match[0];
        for (const pid of (safe(() => ip('netns', 'pids', namespace)) ?? '').split('\n').filter(Boolean)) {
          safe(() => process.kill(Number(pid), 'SIGKILL')); // a Chromium of a run that died
        }
        safe(() => ip('netns', 'delete', namespace));
      }
    }
    // A Parley left running (its parent was killed) still holds its address.
    for (const entry of safe(() => readdirSync('/proc')) ?? []) {
      const command = /^\d+$/.test(entry) ? safe(() => readFileSync(`/proc/${entry}/cmdline`, 'utf8')) ?? '' : '';
      const match = new RegExp(`--OpenVidu:Secret=parley-${name}-(\\d+)-secret\\0`).exec(command);
      if (match && command.includes('Parley.Server.dll') && mine(Number(match[1]))) safe(() => process.kill(Number(entry), 'SIGKILL'));
    }
    for (const line of (safe(() => sh('nft', ['list', 'tables'])) ?? '').split('\n')) {
      const match = new RegExp(`^table (\\S+) (parley_${name}_(\\d+))$`).exec(line.trim());
      if (match && mine(Number(match[3]))) safe(() => sh('nft', ['delete', 'table', match[1], match[2]]));
    }
    for (const line of (safe(() => ip('-o', 'link', 'show')) ?? '').split('\n')) {
      const match = new RegExp(`^\\d+: (${linkPrefix}(\\d+))[@:]`).exec(line);
      if (match && mine(Number(match[2]))) safe(() => ip('link', 'delete', match[1]));
    }
    for (const entry of safe(() => readdirSync('/tmp')) ?? []) {
      const match = new RegExp(`^parley-${name}-(\\d+)$`).exec(entry);
      if (match && mine(Number(match[1]))) rmSync(join('/tmp', entry), { recursive: true, force: true });
    }
  }

  function release() {
    if (claimed) {
      remove(false);
      claimed = false;
    }
  }

  return {
    run,
    workDir,
    /** A namespace of this run; `suffix` tells several apart. */
    namespace: suffix => (suffix ? `${run}-${suffix}` : run),
    rootLink: `${linkPrefix}${process.pid}`,
    nftTable: `parley_${name}_${process.pid}`,
    /** Not the default secret (which Parley refuses off loopback); how a dead run's Parley is found. */
    secret: `${run}-secret`,
    claim() {
      remove(true); // leftovers of a run that crashed
      claimed = true;
      mkdirSync(workDir, { recursive: true });
      for (const signal of ['SIGINT', 'SIGTERM']) {
        process.once(signal, () => {
          release();
          process.exit(signal === 'SIGINT' ? 130 : 143);
        });
      }
      process.once('exit', release);
    },
    release,
    /** An executable that runs Chromium inside `namespace` (given to Playwright as its executablePath). */
    chromiumIn(namespace, file = `chromium-${namespace}`) {
      const wrapper = join(workDir, file);
      writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${namespace} ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`, { mode: 0o755 });
      return wrapper;
    },
  };
}
