/** @module cli-support: runs the built `proxy` bundle (or another executable) as a user would, for the test/cli-*.test.ts files. */
import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The bin users run (packages/cli's `bin`). */
export const bundle = path.join(root, 'packages/cli/dist/bundle/main.js');

/** A command's outcome. */
export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `proxy ARGS...` to its end (bounded: killed after `timeoutMs`). */
export function proxy(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<Result> {
  return exec(process.execPath, [bundle, ...args], opts);
}

/** Runs a command to its end; resolves on its exit (a background child it left may keep the pipes open). */
export function exec(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      // What was written before the exit is in the pipes: let it arrive.
      setTimeout(() => resolve({ code, stdout, stderr }), 50);
    });
    // A child may exit without reading all of its input (a tar reader stops at the end-of-archive blocks, before
    // the record padding): the write then fails with EPIPE, which is not the test's business.
    child.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') reject(e);
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A long-running `proxy` (run, respond, ...): its output so far, and a way to wait for a line in it. */
export interface Server {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/** Starts a long-running command (killed by stop()). */
export function serve(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  input?: string,
  cwd?: string,
): Server {
  const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin!.end(input);
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(out);
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${re} in:\n${out}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`exited (${child.exitCode}) before ${re} in:\n${out}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts `proxy ARGS...` from the bundle. */
export function serveProxy(args: string[], env?: NodeJS.ProcessEnv, input?: string): Server {
  return serve(process.execPath, [bundle, ...args], env, input);
}

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** A free loopback port whose next port is free too (for `--listen HOST:P-P+1`); bounded tries. */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p < 65535 && (await canListen(p + 1))) return p;
  }
  throw new Error('no two consecutive free ports on 127.0.0.1');
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** An answer. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** GET http://127.0.0.1:PORT/PATH. */
export function get(port: number, p = '/', headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Retries until fn resolves (bounded). */
export async function until<T>(fn: () => Promise<T>, tries = 100, delayMs = 100): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
  throw last;
}

/** An environment whose config and data folders are in `dir` (never the user's). */
export function isolatedEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    ...extra,
  };
  for (const k of ['PROXY_DATA_DIR', 'PROXY_CONFIG_DIR', 'PROXY_TRUST_STORE_DIR', 'PROXY_TRUST_UPDATE_COMMAND']) {
    if (!(k in extra)) delete env[k];
  }
  return env;
}
