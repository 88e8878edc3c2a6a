/** @module layer4/postgres/cancel-keys: which backend issued which BackendKeyData, so CancelRequests reach it. */
import type { Duplex } from 'node:stream';

/** How to reach the backend that issued a key again (a fresh connection carrying only the CancelRequest). */
export interface CancelTarget {
  /** Opens a connection to the backend, ready for plaintext PostgreSQL bytes (TLS already negotiated if needed). */
  connect(): Promise<Duplex>;
  describe: string;
}

/** Bounded map of (process id, secret key) to the backend that issued it, kept while the session lives. */
export class CancelKeyRegistry {
  private readonly keys = new Map<string, CancelTarget>();

  constructor(private readonly max = 65536) {}

  static keyOf(processId: number, secret: Buffer): string {
    return `${processId}:${secret.toString('hex')}`;
  }

  /** Remembers a key; returns the function that forgets it (call when the session ends). */
  remember(processId: number, secret: Buffer, target: CancelTarget): () => void {
    const key = CancelKeyRegistry.keyOf(processId, secret);
    if (this.keys.size >= this.max) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    this.keys.set(key, target);
    return () => {
      if (this.keys.get(key) === target) this.keys.delete(key);
    };
  }

  lookup(processId: number, secret: Buffer): CancelTarget | undefined {
    return this.keys.get(CancelKeyRegistry.keyOf(processId, secret));
  }

  get size(): number {
    return this.keys.size;
  }
}
