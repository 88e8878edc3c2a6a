/**
 * @module http/h1/bytes: the unread bytes of a connection. Appending grows the store by doubling, so a
 * head that arrives in many small pieces is copied O(n) times in total, not O(n²).
 */

const EMPTY = Buffer.alloc(0);

export class ByteQueue {
  private store: Buffer = EMPTY;
  private off = 0;
  private len = 0;
  /** Whether the store's spare room is ours to write into (not a chunk handed in by the socket). */
  private owned = false;

  /** The unread bytes (a view; valid until the next append or take). */
  get bytes(): Buffer {
    return this.store.subarray(this.off, this.len);
  }

  get length(): number {
    return this.len - this.off;
  }

  append(chunk: Buffer): void {
    if (this.off === this.len) {
      this.store = chunk;
      this.off = 0;
      this.len = chunk.length;
      this.owned = false;
      return;
    }
    if (this.owned && this.len + chunk.length <= this.store.length) {
      chunk.copy(this.store, this.len);
      this.len += chunk.length;
      return;
    }
    const have = this.len - this.off;
    const next = Buffer.allocUnsafe(Math.max(2 * (have + chunk.length), 16 << 10));
    this.store.copy(next, 0, this.off, this.len);
    chunk.copy(next, have);
    this.store = next;
    this.off = 0;
    this.len = have + chunk.length;
    this.owned = true;
  }

  /** Drops the first n unread bytes. Slices handed out earlier stay valid: the store is only appended to. */
  skip(n: number): void {
    this.off += n;
    if (this.off >= this.len) this.clear();
  }

  clear(): void {
    this.store = EMPTY;
    this.off = 0;
    this.len = 0;
    this.owned = false;
  }
}
