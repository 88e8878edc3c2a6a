/** @module bench/lib/procs: starting and stopping the servers the harness owns (by PID), and reading their CPU and RSS from /proc. */
import { spawn, execFileSync } from 'node:child_process';
import { openSync, readFileSync, readdirSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const TICK = 100; // CLK_TCK on Linux
/** Every process the harness started and has not stopped yet (stopped on exit, by PID). */
const owned = new Set();

/** A free loopback TCP port (listen on 0, then close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port (bounded by timeoutMs). */
export async function waitPort(port, timeoutMs = 15000, proc) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && proc.exitCode !== null)
      throw new Error(`${proc.label} exited with ${proc.exitCode} before listening on ${port}: ${proc.tail()}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms${proc ? `: ${proc.tail()}` : ''}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts a server process with its output in dir/label.log. `cpus` pins it (taskset) to those cores.
 * Returns a handle with pid, tail() of the log and stop().
 */
export function startProcess(label, cmd, args, { dir, env = {}, cpus, uid, gid } = {}) {
  const logFile = path.join(dir, `${label}.log`);
  const fd = openSync(logFile, 'a');
  const [file, argv] = cpus ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];
  const child = spawn(file, argv, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env }, uid, gid });
  closeSync(fd);
  owned.add(child);
  const handle = {
    label,
    child,
    pid: child.pid,
    get exitCode() {
      return child.exitCode ?? (child.signalCode ? 128 : null);
    },
    tail: () => {
      try {
        return readFileSync(logFile, 'utf8').slice(-1500);
      } catch {
        return '';
      }
    },
    stop: (graceMs = 5000) => stopChild(child, graceMs),
  };
  child.on('exit', () => owned.delete(child));
  return handle;
}

/** SIGTERM, then SIGKILL after graceMs; also kills descendants left behind (by PID). */
async function stopChild(child, graceMs) {
  if (child.exitCode !== null || child.signalCode !== null) {
    owned.delete(child);
    return;
  }
  const family = [child.pid, ...descendants(child.pid)];
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const t = setTimeout(() => {
    for (const p of family) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }, graceMs);
  await exited;
  clearTimeout(t);
  for (const p of family.slice(1)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  owned.delete(child);
}

/** Kills every process still owned (at exit, also on errors). */
export function killOwned() {
  for (const c of owned) {
    for (const p of [c.pid, ...descendants(c.pid)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  owned.clear();
}

/** PIDs of every descendant of pid (from /proc/N/stat ppid). */
export function descendants(pid) {
  const parent = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) parent.set(Number(name), st.ppid);
  }
  const out = [];
  const frontier = [pid];
  while (frontier.length) {
    const p = frontier.pop();
    for (const [child, pp] of parent)
      if (pp === p) {
        out.push(child);
        frontier.push(child);
      }
  }
  return out;
}

function readStat(pid) {
  let s;
  try {
    s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  // fields after the comm: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17)
  return {
    ppid: Number(f[1]),
    utime: Number(f[11]),
    stime: Number(f[12]),
    cutime: Number(f[13]),
    cstime: Number(f[14]),
  };
}

/**
 * CPU seconds used so far by pid and its descendants (utime+stime, plus reaped children's, so workers that
 * exit during a run still count).
 */
export function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of [pid, ...descendants(pid)]) {
    const st = readStat(p);
    if (st) ticks += st.utime + st.stime + st.cutime + st.cstime;
  }
  return ticks / TICK;
}

/** Resident set size (MB) of pid and its descendants. */
export function rssMB(pid) {
  let kb = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
}

/** Runs a command to completion (bounded), returning stdout, stderr, code and wall seconds. */
export function runCommand(cmd, args, { timeoutMs = 120000, env = {}, cpus, input, uid, gid } = {}) {
  const [file, argv] = cpus ? ['taskset', ['-c', cpus, cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], uid, gid });
    owned.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      if (stdout.length < 1e6) stdout += d;
    });
    child.stderr.on('data', (d) => {
      if (stderr.length < 1e6) stderr += d;
    });
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      owned.delete(child);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout,
        stderr,
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      });
    });
    child.stdin.end(input ?? '');
  });
}

/** True when cmd is on PATH. */
export function have(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
