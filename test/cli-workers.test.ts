/** @module cli-workers.test: `proxy run --workers 2` serves from two worker processes and stops them all; `apps.layer4` runs under `proxy run`. */
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/cli/dist/main.js');
const dir = mkdtempSync(path.join(tmpdir(), 'cli-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve(body));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function echo(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('data', (d) => {
      got += d.toString();
      if (got.length >= text.length) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
  });
}

async function until<T>(fn: () => Promise<T>, tries = 150): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

/** PIDs whose parent is pid. */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

function start(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, XDG_DATA_HOME: dir },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('proxy run --workers', () => {
  it('serves requests from 2 workers and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const file = path.join(dir, 'Caddyfile');
    writeFileSync(file, `{\n\tadmin off\n}\nhttp://127.0.0.1:${port} {\n\trespond "from a worker"\n}\n`);
    const p = start(['run', '--config', file, '--workers', '2']);
    try {
      expect(await until(() => get(port))).toBe('from a worker');
      const workers = await until(async () => {
        const c = children(p.child.pid!);
        if (c.length !== 2) throw new Error(`${c.length} workers`);
        return c;
      });
      for (let i = 0; i < 10; i++) expect(await get(port)).toBe('from a worker');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      for (const w of workers) expect(() => process.kill(w, 0)).toThrow();
    } finally {
      p.child.kill('SIGKILL');
    }
  }, 30_000);

  it('rejects a bad worker count', async () => {
    const p = start(['run', '--config', path.join(dir, 'Caddyfile'), '--workers', 'many']);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('--workers');
  });

  it('serves the layer4 app (one process and with workers)', async () => {
    for (const workers of ['1', '2']) {
      const port = await freePort();
      const file = path.join(dir, `l4-${workers}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          admin: { disabled: true },
          apps: {
            layer4: { servers: { e: { listen: [`127.0.0.1:${port}`], routes: [{ handle: [{ handler: 'echo' }] }] } } },
          },
        }),
      );
      const p = start(['run', '--config', file, '--workers', workers]);
      try {
        expect(await until(() => echo(port, 'ping'))).toBe('ping');
        p.child.kill('SIGTERM');
        expect(await p.exited).toBe(0);
      } finally {
        p.child.kill('SIGKILL');
      }
    }
  }, 30_000);
});
