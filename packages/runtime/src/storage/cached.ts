/**
 * @module storage/cached: a shared storage (postgres) with a local copy of what this instance read or wrote
 * (certificates, keys, the local CA, the ACME account) in file storage under the data folder. While the shared
 * storage cannot be reached, reads come from the copy, so an instance keeps serving and starts again with the
 * certificates it had; writes and locks still need the shared storage (nothing is half-written: a write fails
 * rather than land only locally). An outage is logged once when it starts and once when it ends.
 */
import type { Logger } from 'pino';
import type { FileStorage } from './file-system.js';
import type { KeyInfo, LockOptions, Storage } from './storage.js';

/** Transient keys (another instance's http-01 answer) are not worth a copy. */
function cacheable(key: string): boolean {
  return !/\/challenge_tokens\//.test(key) && !key.startsWith('locks/');
}

export class CachedStorage implements Storage {
  readonly id: string;
  private down = false;

  constructor(
    readonly primary: Storage,
    readonly cache: FileStorage,
    private readonly logger: Logger,
    private readonly describe: string,
  ) {
    this.id = primary.id;
  }

  private ok(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.info({ storage: this.describe }, 'shared storage reachable again');
  }

  private failed(e: unknown): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      { storage: this.describe, error: (e as Error).message, cache: this.cache.root },
      'shared storage unreachable; reading from the local copy until it is back',
    );
  }

  /** Runs a read on the shared storage, else (it failed) on the copy when the copy has an answer. */
  private async read<T>(key: string, shared: () => Promise<T>, local: () => Promise<T | undefined>): Promise<T> {
    try {
      const r = await shared();
      this.ok();
      return r;
    } catch (e) {
      this.failed(e);
      const c = cacheable(key) ? await local().catch(() => undefined) : undefined;
      if (c === undefined) throw e;
      return c;
    }
  }

  /** Refreshes the copy; a full disk costs the copy, never the answer. */
  private async keep(key: string, value: Buffer | string | Uint8Array): Promise<void> {
    if (!cacheable(key)) return;
    try {
      const old = await this.cache.load(key);
      if (old && Buffer.compare(old, Buffer.from(value)) === 0) return;
      await this.cache.store(key, value);
    } catch (e) {
      this.logger.warn({ key, error: (e as Error).message }, 'could not update the local copy of the storage');
    }
  }

  /**
   * At start: whether the shared storage answers. When it does not, an instance with a local copy goes on (logged);
   * one without has nothing to serve from, and this rejects naming the storage.
   */
  async checkReachable(): Promise<void> {
    try {
      await this.primary.stat('certificates');
      this.ok();
    } catch (e) {
      const copy = await this.cache.list('', false).catch(() => []);
      if (copy.length === 0)
        throw new Error(
          `${(e as Error).message} (and there is no local copy of its data in ${this.cache.root} to start from)`,
        );
      this.failed(e);
    }
  }

  async load(key: string): Promise<Buffer | undefined> {
    return this.read(
      key,
      async () => {
        const v = await this.primary.load(key);
        if (v !== undefined) await this.keep(key, v);
        return v;
      },
      () => this.cache.load(key),
    );
  }

  async store(key: string, value: string | Uint8Array): Promise<void> {
    try {
      await this.primary.store(key, value);
      this.ok();
    } catch (e) {
      this.failed(e);
      throw e;
    }
    await this.keep(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.primary.delete(key);
    if (cacheable(key)) await this.cache.delete(key).catch(() => undefined);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async list(prefix: string, recursive: boolean): Promise<string[]> {
    return this.read(
      prefix === '' ? 'list' : prefix,
      () => this.primary.list(prefix, recursive),
      () => this.cache.list(prefix, recursive),
    );
  }

  async stat(key: string): Promise<KeyInfo | undefined> {
    return this.read(
      key,
      () => this.primary.stat(key),
      () => this.cache.stat(key),
    );
  }

  lock(name: string, opts?: LockOptions): Promise<void> {
    return this.primary.lock(name, opts);
  }

  unlock(name: string): Promise<void> {
    return this.primary.unlock(name);
  }

  close(): Promise<void> {
    return this.primary.close();
  }
}
