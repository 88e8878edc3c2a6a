/** @module layer4/postgres/cancel-keys: which backend issued which BackendKeyData, so CancelRequests reach it. */
import type { Duplex } from 'node:stream';

/** Most backends one unknown-key cancel is fanned out to. */
const MAX_FANOUT = 16;

/** How to reach the backend that issued a key again (a fresh connection carrying only the CancelRequest). */
export interface CancelTarget {
  /** Opens a connection to the backend, ready for plaintext PostgreSQL bytes (TLS already negotiated if needed). */
  connect(): Promise<Duplex>;
  describe: string;
}

/** Bounded map of (process id, secret key) to the backend that issued it, kept while the session lives. */
export class CancelKeyRegistry {
  private readonly keys = new Map<string, CancelTarget>();
  private readonly opaque = new Map<string, { target: CancelTarget; sessions: number }>();

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

  /**
   * Notes a live session whose key we cannot see (the client's TLS reaches the backend untouched). While
   * it lives, cancels with unknown keys fan out to its backend: PostgreSQL ignores keys it did not issue.
   * Returns the release function.
   */
  holdOpaque(target: CancelTarget): () => void {
    const entry = this.opaque.get(target.describe) ?? { target, sessions: 0 };
    entry.sessions++;
    this.opaque.set(target.describe, entry);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--entry.sessions === 0 && this.opaque.get(target.describe) === entry) this.opaque.delete(target.describe);
    };
  }

  /** Where a CancelRequest goes: the backend that issued the key, else every opaque session's backend. */
  targetsFor(processId: number, secret: Buffer): { targets: CancelTarget[]; fanout: boolean } {
    const known = this.lookup(processId, secret);
    if (known) return { targets: [known], fanout: false };
    return { targets: [...this.opaque.values()].slice(0, MAX_FANOUT).map((e) => e.target), fanout: true };
  }

  get size(): number {
    return this.keys.size;
  }
}
