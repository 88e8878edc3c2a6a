/** @module http/response: the response writer handlers write to, and a base for wrapping it. */
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { canonicalKey } from './canonical-key.js';
import { HandlerError, statusText } from './errors.js';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { Header } from './header.js';
import { detectContentType } from './sniff.js';

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
  /** Finishes the response; a promise when it has to wait (writers that can finish at once return nothing). */
  end(chunk?: Buffer | string): Promise<void> | void;
  /** Closes the connection without (finishing) a response. */
  abort(): void;
}

/** Hop-by-hop fields HTTP/2 forbids. */
const H2_FORBIDDEN = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/**
 * How much of a body Go's response writer holds before it commits to the head (its bufio.Writer in front of
 * the chunk writer: 2 KiB for HTTP/1, 4 KiB for HTTP/2). A body the handler finishes within it gets a
 * Content-Length; a longer one (without a Content-Length of its own) goes out chunked.
 */
const H1_BUFFER = 2048;
const H2_BUFFER = 4096;

/** Go's bodyAllowedForStatus: 1xx, 204 and 304 responses have no body. */
export function bodyAllowedForStatus(status: number): boolean {
  return !((status >= 100 && status <= 199) || status === 204 || status === 304);
}

/** The status line's reason phrase as Go writes it ("status code 599" for codes Go has no text for). */
export function reasonPhrase(status: number): string {
  return statusText(status) || `status code ${status}`;
}

/** node's ServerResponse internals used to send an informational (1xx) head before the final one. */
type RawWritable = ServerResponse & { _writeRaw?: (data: string, encoding: BufferEncoding) => boolean };

let dateSecond = -1;
let dateText = '';
/** The Date field value, formatted once per second. */
function httpDate(): string {
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  if (sec !== dateSecond) {
    dateSecond = sec;
    dateText = new Date(sec * 1000).toUTCString();
  }
  return dateText;
}

const byName = (a: [string, string[]], b: [string, string[]]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** The handler's fields sorted by name, as Go's Header.WriteSubset writes them. */
export function sortedFields(h: Header): Array<[string, string[]]> {
  const fields = h.fields();
  // Go's Header.Set stores canonical names (file_server's "ETag" goes out as "Etag").
  for (const f of fields) f[0] = canonicalKey(f[0]);
  return fields.length < 2 ? fields : fields.sort(byName);
}

/**
 * What Go's chunkWriter.writeHeader does to a final head before sending it. Returns the handler's fields
 * to leave out (the length fields where no body is allowed, and over HTTP/1 a 304's Content-Type; Go
 * drops them from a copy, so the access log still shows them), and the fields the server adds after the
 * handler's, in Go's order: Date, Content-Length (for a whole body of up to the buffer size), a sniffed
 * Content-Type. `first` is the first body chunk, `done` whether it is all of it.
 */
export function goHeadFields(
  h: Header,
  st: number,
  first: Buffer | undefined,
  done: boolean,
  o: { h2: boolean; isHead: boolean },
): { omit: ReadonlySet<string>; extra: Array<[string, string]> } {
  const len = first?.length ?? 0;
  const te = h.get('transfer-encoding') ?? '';
  const extra: Array<[string, string]> = [];
  if (!h.has('date')) extra.push(['Date', httpDate()]);
  if (!bodyAllowedForStatus(st)) {
    // Go's HTTP/2 server keeps a 304's Content-Type; its HTTP/1 server drops it.
    return { omit: st === 304 && !o.h2 ? OMIT_304 : OMIT_NO_BODY, extra };
  }
  const small = len <= (o.h2 ? H2_BUFFER : H1_BUFFER);
  if (done && small && !te && !h.get('content-length') && (!o.isHead || len > 0))
    extra.push(['Content-Length', String(len)]);
  // Go sniffs only when the handler left no Content-Type field at all: an empty one (as file_server
  // and static_response leave) means "do not sniff".
  if (!h.has('content-type') && !h.get('content-encoding') && !te && first && len > 0)
    extra.push(['Content-Type', detectContentType(first)]);
  return { omit: OMIT_NONE, extra };
}

const OMIT_NONE: ReadonlySet<string> = new Set();
const OMIT_NO_BODY: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding']);
const OMIT_304: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'content-type']);

/**
 * Writes to a node (HTTP/1.x or HTTP/2 compat) response the way Go's net/http response writer does: Go's
 * reason phrases, no body (nor Content-Length/Transfer-Encoding, nor Content-Type on a 304) for 1xx/204/304,
 * a sniffed Content-Type when a body comes without one, Content-Length for a body finished in one small
 * piece, a Date, and the handler's fields sorted by name before the fields the server adds.
 */
export class NodeResponseWriter implements ResponseWriter {
  readonly header = new Header();
  wroteHeader = false;
  status = 0;
  bytesWritten = 0;
  private ended = false;
  private headSent = false;
  private readonly isHead: boolean;

  constructor(
    private readonly res: ServerResponse | Http2ServerResponse,
    private readonly h2: boolean,
  ) {
    this.isHead = res.req.method === 'HEAD';
    // Caddy's server sets this before any handler runs, so handlers may change or remove it.
    this.header.set('Server', 'Caddy');
  }

  writeHead(status: number): void {
    if (this.wroteHeader) return;
    // Informational heads go out at once and the final response comes later (as Go does since 1.19).
    // Current Go treats 101 as final (a protocol switch), so it is not sent here.
    if (status >= 100 && status <= 199 && status !== 101) {
      this.writeInformational(status);
      return;
    }
    this.wroteHeader = true;
    this.status = status;
  }

  private writeInformational(status: number): void {
    try {
      if (this.h2) {
        const stream = (this.res as Http2ServerResponse).stream;
        const fields: Record<string, string | string[]> = { ':status': String(status) };
        for (const [name, values] of this.header.entries()) {
          const k = name.toLowerCase();
          if (H2_FORBIDDEN.has(k) || k === 'content-length' || values.length === 0) continue;
          fields[k] = values.length === 1 ? values[0]! : values;
        }
        if (!stream.headersSent && !stream.destroyed) stream.additionalHeaders(fields);
        return;
      }
      const res = this.res as RawWritable;
      if (res.headersSent || typeof res._writeRaw !== 'function') return;
      const v11 = res.req.httpVersionMajor > 1 || res.req.httpVersionMinor >= 1;
      let head = `HTTP/1.${v11 ? 1 : 0} ${status} ${reasonPhrase(status)}\r\n`;
      for (const [name, values] of sortedFields(this.header)) {
        const k = name.toLowerCase();
        if (k === 'content-length' || k === 'transfer-encoding') continue;
        for (const v of values) head += `${name}: ${v.replace(/[\r\n]/g, ' ')}\r\n`;
      }
      res._writeRaw(`${head}\r\n`, 'latin1');
    } catch {
      /* an informational response is advisory: a field node refuses drops it */
    }
  }

  /**
   * Sends the status line and fields, deferred from writeHead to the first body write or the end.
   * `first` is the first body chunk; `done` says whether it is the whole body.
   */
  private flushHead(first: Buffer | undefined, done: boolean): void {
    if (this.headSent) return;
    this.headSent = true;
    const res = this.res as ServerResponse;
    const st = this.status;
    const { omit, extra } = goHeadFields(this.header, st, first, done, { h2: this.h2, isHead: this.isHead });
    for (const [name, values] of sortedFields(this.header)) {
      const k = name.toLowerCase();
      if (values.length === 0 || omit.has(k) || (this.h2 && H2_FORBIDDEN.has(k))) continue;
      try {
        res.setHeader(name, values.length === 1 ? values[0]! : values);
      } catch {
        /* invalid field: drop it */
      }
    }
    for (const [name, value] of extra) res.setHeader(name, value);
    if (this.h2) res.writeHead(st);
    else res.writeHead(st, reasonPhrase(st));
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.ended) return;
    // A client that went away stops whoever streams to it (a proxied upstream, a file), as the canceled
    // request context does in Go; the status is Caddy's for a client that closed the connection.
    if (this.clientGone()) throw new HandlerError(499, 'the client closed the connection');
    if (!this.wroteHeader) this.writeHead(200);
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.length === 0 || !bodyAllowedForStatus(this.status)) return;
    this.flushHead(buf, false);
    this.bytesWritten += buf.length;
    const res = this.res as ServerResponse;
    if (!res.write(buf) && !res.destroyed && !res.writableEnded && !this.connection()?.destroyed) {
      // Whichever fires first ends the wait and all three listeners go (one left per drain piles up on a
      // large download); the connection's close counts for a response queued behind another.
      await firstOf([
        [res, 'drain'],
        [res, 'close'],
        [this.connection(), 'close'],
      ]).done;
    }
  }

  async end(chunk?: Buffer | string): Promise<void> {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    let buf = chunk === undefined ? undefined : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf?.length === 0 || !bodyAllowedForStatus(this.status)) buf = undefined;
    const headPending = !this.headSent;
    this.flushHead(buf, true);
    this.ended = true;
    if (buf) this.bytesWritten += buf.length;
    const res = this.res as ServerResponse;
    if (this.connection()?.destroyed) return;
    const closed = firstOf([
      [res, 'close'],
      [this.connection(), 'close'],
    ]);
    await new Promise<void>((resolve) => {
      void closed.done.then(resolve);
      if (buf === undefined) {
        res.end(() => resolve());
        return;
      }
      // node would compute a Content-Length for a body given to end(); a body Go sends without one is
      // written first, so node chunks it (or, to an HTTP/1.0 client, ends it by closing) as Go does.
      if (headPending && !res.hasHeader('content-length') && !this.isHead) res.write(buf);
      else {
        res.end(buf, () => resolve());
        return;
      }
      res.end(() => resolve());
    });
    closed.cancel();
    // A body shorter than the Content-Length a handler declared (an error after file_server set it, say)
    // leaves the client waiting for the rest: Go's server closes the connection then, and so does this.
    const declared = Number(this.header.get('content-length') ?? Number.NaN);
    if (!this.h2 && !this.isHead && bodyAllowedForStatus(this.status) && declared > this.bytesWritten)
      this.connection()?.destroy();
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
    const fire = (): void => {
      cancel();
      resolve();
    };
    cancel = () => {
      for (const [em, name] of on) em.off(name, fire);
    };
    for (const [em, name] of on) em.on(name, fire);
  });
  return { done, cancel };
}

/** A writer that forwards to another; wrappers override what they change. */
export class WrappedWriter implements ResponseWriter {
  constructor(protected readonly inner: ResponseWriter) {}
  get header(): Header {
    return this.inner.header;
  }
  get wroteHeader(): boolean {
    return this.inner.wroteHeader;
  }
  get status(): number {
    return this.inner.status;
  }
  get bytesWritten(): number {
    return this.inner.bytesWritten;
  }
  writeHead(status: number): void {
    this.inner.writeHead(status);
  }
  write(chunk: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    return this.inner.write(chunk);
  }
  end(chunk?: Buffer | string): Promise<void> | void {
    if (!this.wroteHeader) this.writeHead(200);
    return this.inner.end(chunk);
  }
  abort(): void {
    this.inner.abort();
  }
}
