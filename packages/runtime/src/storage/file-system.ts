/**
 * @module storage/file-system: `caddy.storage.file_system`, CertMagic's FileStorage: one file per key under a root
 * folder, written atomically. Locks are files `locks/<name>.lock` created exclusively, holding when they were last
 * renewed: the holder rewrites it every half lease, and a waiter removes one older than the lease (its holder
 * died), as CertMagic does with its 5 s freshness interval and 10 s stale duration.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { checkKey, checkPrefix, type KeyInfo, type LockOptions, safeKey, sleep, type Storage } from './storage.js';

/** Timing of the lock files (CertMagic's defaults unless a test shortens them). */
export interface FileLockTiming {
  /** A lock not renewed for this long is stale (ms). */
  leaseMs: number;
  /** How often a waiter looks again (ms). */
  pollMs: number;
}

const DEFAULT_TIMING: FileLockTiming = { leaseMs: 10_000, pollMs: 1_000 };

function missing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** File storage under a root directory. */
export class FileStorage implements Storage {
  readonly id: string;
  private readonly held = new Map<string, NodeJS.Timeout>();
  private readonly timing: FileLockTiming;

  constructor(
    readonly root: string,
    timing: Partial<FileLockTiming> = {},
  ) {
    this.id = `file_system:${root}`;
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  private file(key: string): string {
    return path.join(this.root, checkKey(key));
  }

  async load(key: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(this.file(key));
    } catch (e) {
      if (missing(e) || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw e;
    }
  }

  /** Writes atomically (temp file + rename); private keys get mode 0600. */
  async store(key: string, value: string | Uint8Array): Promise<void> {
    const file = this.file(key);
    await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fsp.writeFile(tmp, value, { mode: key.endsWith('.key') ? 0o600 : 0o644 });
    await fsp.rename(tmp, file);
  }

  /** Removes the file or folder, then the folders it leaves empty (a "directory" exists only while keys are under it). */
  async delete(key: string): Promise<void> {
    const file = this.file(key);
    await fsp.rm(file, { recursive: true, force: true });
    for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        break;
      }
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string, recursive: boolean): Promise<string[]> {
    const p = checkPrefix(prefix);
    const out: string[] = [];
    const walk = async (sub: string): Promise<void> => {
      let entries;
      try {
        entries = await fsp.readdir(sub ? path.join(this.root, sub) : this.root, { withFileTypes: true });
      } catch (e) {
        if (missing(e)) return;
        throw e;
      }
      for (const e of entries) {
        if (e.name.endsWith('.tmp') && !e.isDirectory()) continue; // a write in progress
        const key = sub ? `${sub}/${e.name}` : e.name;
        if (!recursive) out.push(key);
        else if (e.isDirectory()) await walk(key);
        else if (e.isFile()) out.push(key);
      }
    };
    await walk(p);
    return out.sort(byBytes);
  }

  async stat(key: string): Promise<KeyInfo | undefined> {
    try {
      const st = await fsp.stat(this.file(key));
      return { key, modified: st.mtime, size: st.isFile() ? st.size : 0, terminal: st.isFile() };
    } catch (e) {
      if (missing(e)) return undefined;
      throw e;
    }
  }

  private lockFile(name: string): string {
    return path.join(this.root, 'locks', `${safeKey(name)}.lock`);
  }

  async lock(name: string, opts: LockOptions = {}): Promise<void> {
    const file = this.lockFile(name);
    for (;;) {
      opts.signal?.throwIfAborted();
      const now = Date.now();
      try {
        await fsp.writeFile(file, JSON.stringify({ created: now, updated: now }), { flag: 'wx', mode: 0o644 });
        this.keepFresh(name, file);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
          continue;
        }
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (await this.stale(file)) {
        // Two waiters may both find it stale: removing by rename makes only one of them the remover.
        const grave = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`;
        await fsp.rename(file, grave).then(
          () => fsp.rm(grave, { force: true }),
          () => undefined,
        );
        continue;
      }
      // Jittered: waiters do not all look again at the same instant.
      await sleep(this.timing.pollMs * (0.5 + Math.random()), opts.signal);
    }
  }

  /** Whether the lock file was last renewed longer than a lease ago (or is unreadable garbage). */
  private async stale(file: string): Promise<boolean> {
    try {
      const meta = JSON.parse(await fsp.readFile(file, 'utf8')) as { updated?: unknown };
      return typeof meta.updated !== 'number' || Date.now() - meta.updated > this.timing.leaseMs;
    } catch (e) {
      if (missing(e)) return false; // just released: the next try creates it
      // Being written this instant (empty or partial JSON): judge by its mtime.
      const st = await fsp.stat(file).catch(() => undefined);
      return st !== undefined && Date.now() - st.mtimeMs > this.timing.leaseMs;
    }
  }

  private keepFresh(name: string, file: string): void {
    const created = Date.now();
    const t = setInterval(
      () => {
        // In place ('r+' fails once unlock removed it): a rename could bring back a lock just released.
        void (async () => {
          const h = await fsp.open(file, 'r+');
          try {
            await h.truncate(0);
            await h.write(JSON.stringify({ created, updated: Date.now() }), 0);
          } finally {
            await h.close();
          }
        })().catch(() => undefined);
      },
      Math.max(10, this.timing.leaseMs / 2),
    );
    t.unref();
    this.held.set(name, t);
  }

  async unlock(name: string): Promise<void> {
    const t = this.held.get(name);
    if (t) clearInterval(t);
    this.held.delete(name);
    await fsp.rm(this.lockFile(name), { force: true });
  }

  async close(): Promise<void> {
    for (const name of [...this.held.keys()]) await this.unlock(name);
  }
}

/** Byte order, as PostgreSQL's "C" collation sorts (the same order from every backend). */
export function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
