/**
 * @module storage/storage: what every `caddy.storage.*` module is to the runtime (CertMagic's `Storage`): keys are
 * slash-separated paths (`certificates/<issuer>/<name>/<name>.crt`, `pki/authorities/local/root.key`, ...), values
 * bytes, and named locks that work across every process sharing the storage.
 */

/** What `stat` tells about a key. */
export interface KeyInfo {
  key: string;
  modified: Date;
  size: number;
  /** False for a "directory": a prefix other keys are under. */
  terminal: boolean;
}

/** Options of `lock`. */
export interface LockOptions {
  /** Stops waiting (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** A storage backend. Every method may reject when the backend is unreachable. */
export interface Storage {
  /** Identifies the data (two storages with the same id share it): process-wide caches key on it. */
  readonly id: string;
  /** The value of a key, or undefined when there is none. */
  load(key: string): Promise<Buffer | undefined>;
  /** Sets a key (atomically: a reader sees the old or the new value). */
  store(key: string, value: string | Uint8Array): Promise<void>;
  /** Removes a key and every key under it; a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /**
   * The keys under a prefix ('' for all), sorted: with `recursive` every key (no "directories"); without it the
   * prefix's direct children, keys and "directories" alike.
   */
  list(prefix: string, recursive: boolean): Promise<string[]>;
  stat(key: string): Promise<KeyInfo | undefined>;
  /**
   * Waits until this process holds the lock `name` (across every process sharing the storage) and keeps it until
   * `unlock`: the holder renews a lease, so a holder that dies loses the lock once its lease runs out.
   */
  lock(name: string, opts?: LockOptions): Promise<void>;
  unlock(name: string): Promise<void>;
  /** Releases connections and timers (locks still held are released first). */
  close(): Promise<void>;
}

/** A key this storage accepts: relative, slash-separated, no empty, `.` or `..` segment (nothing escapes the root). */
export function checkKey(key: string): string {
  if (
    key === '' ||
    key.includes('\0') ||
    key.includes('\\') ||
    key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')
  )
    throw new Error(`invalid storage key ${JSON.stringify(key)}`);
  return key;
}

/** A list prefix: '' (everything) or a key. */
export function checkPrefix(prefix: string): string {
  return prefix === '' ? '' : checkKey(prefix.replace(/\/+$/, ''));
}

/** CertMagic's `StorageKeys.Safe`: a name fit for one key segment (lock names are domain names). */
export function safeKey(name: string): string {
  return name
    .toLowerCase()
    .trim()
    .replaceAll(' ', '_')
    .replaceAll('+', '_plus_')
    .replaceAll('*', 'wildcard_')
    .replaceAll(':', '-')
    .replaceAll('..', '')
    .replace(/[^\w@.-]/g, '');
}

/** Runs `fn` holding the lock `name`, releasing it afterwards whatever happens. */
export async function withLock<T>(storage: Storage, name: string, fn: () => Promise<T>): Promise<T> {
  await storage.lock(name);
  try {
    return await fn();
  } finally {
    await storage.unlock(name);
  }
}

/** A promise that resolves after `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
