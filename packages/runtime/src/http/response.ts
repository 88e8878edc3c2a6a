/** @module http/response: the response writer handlers write to, and a base for wrapping it. */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { HandlerError } from './errors.js';
import { Header } from './header.js';

/** A response being written (like Go's http.ResponseWriter). */
export interface ResponseWriter {
  /** Header fields to send; changes after writeHead have no effect. */
  readonly header: Header;
  /** Whether the status line was written. */
  readonly wroteHeader: boolean;
  /** The status written, 0 before. */
  readonly status: number;
  /** Body bytes written so far. */
  readonly bytesWritten: number;
  /** Writes the status line and header fields. */
  writeHead(status: number): void;
  /** Writes body bytes (writes a 200 header first if needed); resolves when the socket can take more. */
  write(chunk: Buffer | string): Promise<void>;
  /** Finishes the response. */
  end(chunk?: Buffer | string): Promise<void>;
  /** Closes the connection without (finishing) a response. */
  abort(): void;
}

/** Hop-by-hop fields HTTP/2 forbids. */
const H2_FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** Writes to a node (HTTP/1.1 or HTTP/2 compat) response. */
export class NodeResponseWriter implements ResponseWriter {
  readonly header = new Header();
  wroteHeader = false;
  status = 0;
  bytesWritten = 0;
  private ended = false;
  private headSent = false;

  constructor(private readonly res: ServerResponse | Http2ServerResponse, private readonly h2: boolean) {}

  writeHead(status: number): void {
    if (this.wroteHeader) return;
    this.wroteHeader = true;
    this.status = status;
  }

  /**
   * Sends the status line and fields. Deferred from writeHead to the first body write or end, so that a
   * body written in one piece gets a Content-Length instead of chunked encoding.
   */
  private flushHead(bodyLength?: number): void {
    if (this.headSent) return;
    this.headSent = true;
    const res = this.res as ServerResponse;
    const st = this.status;
    if (bodyLength !== undefined && !this.header.has('content-length') && !this.header.has('transfer-encoding') && st >= 200 && st !== 204 && st !== 304) {
      this.header.set('Content-Length', String(bodyLength));
    }
    for (const [name, values] of this.header.entries()) {
      if (this.h2 && H2_FORBIDDEN.has(name.toLowerCase())) continue;
      try { res.setHeader(name, values.length === 1 ? values[0]! : values); } catch { /* invalid field: drop it */ }
    }
    res.writeHead(st);
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.ended) return;
    // A client that went away stops whoever streams to it (a proxied upstream, a file), as the canceled
    // request context does in Go; the status is Caddy's for a client that closed the connection.
    if (this.clientGone()) throw new HandlerError(499, 'the client closed the connection');
    if (!this.wroteHeader) this.writeHead(200);
    const len = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (len === 0) return;
    this.flushHead();
    this.bytesWritten += len;
    const res = this.res as ServerResponse;
    if (!res.write(chunk) && !res.destroyed && !res.writableEnded && !this.connection()?.destroyed) {
      await firstOf([[res, 'drain'], [res, 'close'], [this.connection(), 'close']]).done;
    }
  }

  async end(chunk?: Buffer | string): Promise<void> {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    const len = chunk === undefined ? 0 : typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    this.bytesWritten += len;
    this.flushHead(len);
    this.ended = true;
    const res = this.res as ServerResponse;
    if (this.connection()?.destroyed) return;
    const closed = firstOf([[res, 'close'], [this.connection(), 'close']]);
    await new Promise<void>((resolve) => {
      void closed.done.then(resolve);
      if (chunk === undefined) res.end(() => resolve()); else res.end(chunk, () => resolve());
    });
    closed.cancel();
  }

  /**
   * The HTTP/1 connection. A response queued behind another on a pipelined connection has none of its own
   * yet, and node tells it nothing (no 'close', no 'drain') when the connection closes: waiting on the
   * response alone would then wait forever, holding the upstream it streams from.
   */
  private connection(): Duplex | undefined {
    if ((this.res as Partial<Http2ServerResponse>).stream) return undefined;
    return (this.res as Partial<ServerResponse>).req?.socket ?? undefined;
  }

  private clientGone(): boolean {
    // An HTTP/2 response has a stream; an HTTP/1 one (also for a request line that claims HTTP/2.0) does not.
    const stream = (this.res as Partial<Http2ServerResponse>).stream;
    return stream ? stream.destroyed : (this.res as ServerResponse).destroyed || this.connection()?.destroyed === true;
  }

  abort(): void {
    this.ended = true;
    const res = this.res as Http2ServerResponse & ServerResponse;
    if ('stream' in res && res.stream) res.stream.close(0x2 /* INTERNAL_ERROR */);
    else res.socket?.destroy();
  }
}

/** Waits for the first of some events; `cancel` (or that first event) removes every listener it added. */
function firstOf(events: Array<[EventEmitter | undefined, string]>): { done: Promise<void>; cancel: () => void } {
  const on = events.filter((e): e is [EventEmitter, string] => e[0] !== undefined);
  let cancel = (): void => {};
  const done = new Promise<void>((resolve) => {
    const fire = (): void => { cancel(); resolve(); };
    cancel = () => { for (const [em, name] of on) em.off(name, fire); };
    for (const [em, name] of on) em.on(name, fire);
  });
  return { done, cancel };
}

/** A writer that forwards to another; wrappers override what they change. */
export class WrappedWriter implements ResponseWriter {
  constructor(protected readonly inner: ResponseWriter) {}
  get header(): Header { return this.inner.header; }
  get wroteHeader(): boolean { return this.inner.wroteHeader; }
  get status(): number { return this.inner.status; }
  get bytesWritten(): number { return this.inner.bytesWritten; }
  writeHead(status: number): void { this.inner.writeHead(status); }
  write(chunk: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    return this.inner.write(chunk);
  }
  end(chunk?: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    return this.inner.end(chunk);
  }
  abort(): void { this.inner.abort(); }
}
