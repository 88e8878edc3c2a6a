/**
 * @module storage-suite: the cases every storage backend passes (file storage and postgres storage run the same
 * ones): keys and values, listing, stat, delete, and locks across holders, including a holder process killed with
 * SIGKILL losing its lock once its lease runs out.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Storage } from '../src/storage/storage.js';

/** A backend under test. */
export interface Backend {
  /** A storage on the shared data (each call: another "instance"), with a lock lease of `leaseMs`. */
  make(leaseMs: number): Storage;
  /**
   * JavaScript (an ES module body) a child process runs to build the same storage from `dist`: it must define
   * `storage` from `dist` (the runtime's built folder) and `leaseMs`.
   */
  childSetup: string;
}

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const LEASE = 2000;

/** A child process that takes the lock `name` and holds it (renewing) until killed; resolves once it holds it. */
async function lockInChild(
  backend: Backend,
  name: string,
): Promise<{ kill(): Promise<void>; exited: Promise<unknown> }> {
  const code = `const dist = ${JSON.stringify(dist)}; const leaseMs = ${LEASE};
${backend.childSetup}
await storage.lock(${JSON.stringify(name)});
process.stdout.write('locked\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`child did not lock: ${err}`)), 20_000);
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('locked')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', () => {
      clearTimeout(t);
      reject(new Error(`child exited: ${err}`));
    });
  });
  return {
    exited,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Rejects (AbortError) when the lock is not taken within `ms`. */
function lockWithin(st: Storage, name: string, ms: number): Promise<void> {
  return st.lock(name, { signal: AbortSignal.timeout(ms) });
}

export function storageSuite(label: string, backend: () => Backend): void {
  describe(`${label} storage`, () => {
    it('stores, loads and overwrites text and bytes; a missing key loads as undefined', async () => {
      const st = backend().make(LEASE);
      expect(await st.load('suite/none')).toBeUndefined();
      await st.store('suite/a/b.crt', 'one');
      expect((await st.load('suite/a/b.crt'))?.toString()).toBe('one');
      await st.store('suite/a/b.crt', 'two');
      expect((await st.load('suite/a/b.crt'))?.toString()).toBe('two');
      const bytes = Uint8Array.from([0, 1, 2, 255, 0, 10]);
      await st.store('suite/bin', bytes);
      expect([...((await st.load('suite/bin')) ?? [])]).toEqual([...bytes]);
      // Another instance on the same data sees it.
      expect((await backend().make(LEASE).load('suite/a/b.crt'))?.toString()).toBe('two');
    });

    it('lists direct children or every key below a prefix, sorted', async () => {
      const st = backend().make(LEASE);
      for (const k of ['list/b/x.key', 'list/b/y/z.crt', 'list/a.json', 'list/c', 'listing/other'])
        await st.store(k, k);
      expect(await st.list('list', false)).toEqual(['list/a.json', 'list/b', 'list/c']);
      expect(await st.list('list/', false)).toEqual(['list/a.json', 'list/b', 'list/c']);
      expect(await st.list('list', true)).toEqual(['list/a.json', 'list/b/x.key', 'list/b/y/z.crt', 'list/c']);
      expect(await st.list('list/b', false)).toEqual(['list/b/x.key', 'list/b/y']);
      expect(await st.list('list/nothing', true)).toEqual([]);
      expect(await st.list('', true)).toEqual(expect.arrayContaining(['list/c', 'listing/other']));
    });

    it('stats keys and "directories", and says whether they exist', async () => {
      const st = backend().make(LEASE);
      await st.store('stat/dir/key.pem', 'twelve bytes');
      const k = await st.stat('stat/dir/key.pem');
      expect(k).toMatchObject({ key: 'stat/dir/key.pem', size: 12, terminal: true });
      expect(k!.modified).toBeInstanceOf(Date);
      expect(await st.stat('stat/dir')).toMatchObject({ key: 'stat/dir', terminal: false });
      expect(await st.stat('stat/missing')).toBeUndefined();
      expect(await st.exists('stat/dir/key.pem')).toBe(true);
      expect(await st.exists('stat/dir')).toBe(true);
      expect(await st.exists('stat/missing')).toBe(false);
    });

    it('deletes a key, or a "directory" with everything under it; deleting nothing is fine', async () => {
      const st = backend().make(LEASE);
      for (const k of ['del/a/1', 'del/a/2/3', 'del/b', 'del/ab']) await st.store(k, 'x');
      await st.delete('del/b');
      expect(await st.load('del/b')).toBeUndefined();
      await st.delete('del/a');
      expect(await st.list('del', true)).toEqual(['del/ab']);
      expect(await st.exists('del/a')).toBe(false);
      await st.delete('del/never');
      await st.delete('del/ab');
      expect(await st.list('del', false)).toEqual([]);
      expect(await st.exists('del')).toBe(false);
    });

    it('refuses keys that would leave the storage', async () => {
      const st = backend().make(LEASE);
      for (const k of ['../x', '/abs', 'a//b', 'a/./b', '', 'a\\b'])
        await expect(st.store(k, 'x'), k).rejects.toThrow(/invalid storage key/);
      await expect(st.load('a/../../b')).rejects.toThrow(/invalid storage key/);
    });

    it('a lock is held by one holder at a time, across instances, until it is released', async () => {
      const a = backend().make(LEASE);
      const b = backend().make(LEASE);
      await a.lock('issue_cert_one.example');
      // Held past several leases: the holder renews it.
      await expect(lockWithin(b, 'issue_cert_one.example', 3 * LEASE)).rejects.toThrow();
      await a.unlock('issue_cert_one.example');
      await lockWithin(b, 'issue_cert_one.example', 10 * LEASE);
      // Other names are independent.
      await lockWithin(a, 'issue_cert_two.example', 10 * LEASE);
      await b.unlock('issue_cert_one.example');
      await a.unlock('issue_cert_two.example');
    });

    it('serializes read-modify-write sections of concurrent holders', async () => {
      const stores = [backend().make(LEASE), backend().make(LEASE), backend().make(LEASE)];
      await stores[0]!.store('counter', '0');
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const st = stores[i % stores.length]!;
          await st.lock('counter');
          try {
            const n = Number((await st.load('counter'))?.toString());
            await new Promise((r) => setTimeout(r, 5));
            await st.store('counter', String(n + 1));
          } finally {
            await st.unlock('counter');
          }
        }),
      );
      expect((await stores[0]!.load('counter'))?.toString()).toBe('12');
    });

    it('a holder killed with SIGKILL loses its lock once its lease runs out', async () => {
      const st = backend().make(LEASE);
      const child = await lockInChild(backend(), 'issue_cert_killed.example');
      try {
        await expect(lockWithin(st, 'issue_cert_killed.example', 3 * LEASE)).rejects.toThrow();
      } finally {
        await child.kill();
      }
      await lockWithin(st, 'issue_cert_killed.example', 20 * LEASE);
      await st.unlock('issue_cert_killed.example');
    });
  });
}
