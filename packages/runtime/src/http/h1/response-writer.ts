/**
 * @module http/h1/response-writer: the HTTP/1.x response writer of the own engine. It writes straight to the
 * connection the bytes Go's response writer (chunkWriter.writeHeader) would: one write for the head and a body
 * that is finished in one piece, chunked or length-delimited framing otherwise, and it tells its connection when
 * the response is out and whether the connection may carry another request.
 */
import type { Duplex } from 'node:stream';
import { HandlerError } from '../errors.js';
import { Header } from '../header.js';
import { bodyAllowedForStatus, goHeadFields, reasonPhrase, sortedFields, type ResponseWriter } from '../response.js';

/** What the writer needs from its request and connection. */
export interface H1ResponseOptions {
  /** The request's method is HEAD: no body bytes go out. */
  isHead: boolean;
  /** HTTP/1.1 or later (else HTTP/1.0). */
  v11: boolean;
  /** An HTTP/1.0 client that accepts chunked bodies (TE: chunked), which node's server honoured. */
  chunkedOk: boolean;
  /** Called just before the head is composed: the connection may still decide to close (keepAlive). */
  beforeHead: (w: H1ResponseWriter) => void;
  /** Called once the response is complete (the last byte handed to the socket). */
  done: (w: H1ResponseWriter) => void;
}

/** RFC 9110 token characters (a field name). */
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
/** Bytes a field value may not hold (node's checkInvalidHeaderChar). */
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const CHUNKED = /(?:^|\W)chunked(?:$|\W)/i;
const CLOSE = /(?:^|\W)close(?:$|\W)/i;
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

/** Whether no value holds a byte an HTTP/1 field may not carry. */
function validValues(values: string[]): boolean {
  for (const v of values) if (INVALID_VALUE.test(v)) return false;
  return true;
}

/** Waits for the socket to drain or close, whichever comes first; both listeners go with it. */
function drained(sock: Duplex): Promise<void> {
  return new Promise<void>((resolve) => {
    const fire = (): void => {
      sock.off('drain', fire);
      sock.off('close', fire);
      resolve();
    };
    sock.on('drain', fire);
    sock.on('close', fire);
  });
}

/**
 * A response on an HTTP/1.x connection, written the way Go's net/http writes one: Go's reason phrases and
 * status line version, no body (nor Content-Length/Transfer-Encoding, nor a 304's Content-Type) for 1xx/204/304,
 * a sniffed Content-Type for a body sent without one, Content-Length for a body finished in one small piece,
 * a Date, the handler's fields sorted by name before the fields the server adds, "Connection: close" to an
 * HTTP/1.1 client when the connection ends after it and "Connection: keep-alive" to an HTTP/1.0 client when not.
 */
export class H1ResponseWriter implements ResponseWriter {
  readonly header = new Header();
  wroteHeader = false;
  status = 0;
  bytesWritten = 0;
  /** Whether the connection may carry another request (the connection sets it before the head goes out). */
  keepAlive = true;
  /** The connection ends after this response (known once the head is out). */
  last = false;
  /** Whether the head was written. */
  headSent = false;
  private ended = false;
  /** The response is complete (handed to the socket whole, or the socket is gone). */
  finished = false;
  private chunked = false;
  /** Body bytes go out (not HEAD, and the status allows a body). */
  private bodyOut = false;

  constructor(
    readonly socket: Duplex,
    private readonly o: H1ResponseOptions,
  ) {
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

  /** "100 Continue", asked for by the client and sent when the handler first reads the body. */
  writeContinue(): void {
    if (!this.headSent && !this.socket.destroyed) this.socket.write('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
  }

  private writeInformational(status: number): void {
    if (this.headSent || this.socket.destroyed) return;
    let head = `HTTP/1.${this.o.v11 ? 1 : 0} ${status} ${reasonPhrase(status)}\r\n`;
    for (const [name, values] of sortedFields(this.header)) {
      const k = name.toLowerCase();
      if (k === 'content-length' || k === 'transfer-encoding' || !TOKEN.test(name)) continue;
      for (const v of values) head += `${name}: ${v.replace(/[\r\n]/g, ' ')}\r\n`;
    }
    this.socket.write(`${head}\r\n`, 'latin1');
  }

  /**
   * Composes the status line and fields, deferred from writeHead to the first body write or the end. `first`
   * is the first body chunk; `done` says whether it is the whole body.
   */
  private composeHead(first: Buffer | undefined, done: boolean): string {
    this.headSent = true;
    this.o.beforeHead(this);
    const st = this.status;
    const v11 = this.o.v11;
    const { omit, extra } = goHeadFields(this.header, st, first, done, { h2: false, isHead: this.o.isHead });
    let head = `HTTP/1.${v11 ? 1 : 0} ${st} ${reasonPhrase(st)}\r\n`;
    let connection: string | undefined;
    let hasLength = false;
    let te: string | undefined;
    for (const [name, values] of sortedFields(this.header)) {
      const k = name.toLowerCase();
      if (values.length === 0 || omit.has(k) || !TOKEN.test(name)) continue;
      // A field with a byte no HTTP/1 message may carry is dropped whole, as node's setHeader refuses it.
      if (!validValues(values)) continue;
      for (const v of values) head += `${name}: ${v}\r\n`;
      if (k === 'connection') connection = values.join(', ');
      else if (k === 'content-length') hasLength = true;
      else if (k === 'transfer-encoding') te = values.join(', ');
    }
    for (const [name, value] of extra) {
      head += `${name}: ${value}\r\n`;
      if (name === 'Content-Length') hasLength = true;
    }
    const hasBody = !this.o.isHead && bodyAllowedForStatus(st);
    const chunkedDefault = v11 || this.o.chunkedOk;
    if (connection !== undefined) {
      if (CLOSE.test(connection)) this.last = true;
    } else if (this.keepAlive && (hasLength || chunkedDefault)) {
      // Go says "keep-alive" only to HTTP/1.0 clients, which need it.
      if (!v11) head += 'Connection: keep-alive\r\n';
    } else {
      this.last = true;
      // ... and "close" only to HTTP/1.1 ones.
      if (v11) head += 'Connection: close\r\n';
    }
    if (te !== undefined) {
      this.chunked = hasBody && CHUNKED.test(te);
      if (!this.chunked && !hasLength && hasBody) this.last = true;
    } else if (!hasLength && hasBody) {
      if (chunkedDefault) {
        head += 'Transfer-Encoding: chunked\r\n';
        this.chunked = true;
      } else {
        // An HTTP/1.0 body without a length ends with the connection.
        this.last = true;
      }
    }
    this.bodyOut = hasBody;
    return `${head}\r\n`;
  }

  /** The bytes of a body chunk as framed on the wire (empty when no body goes out). */
  private frame(buf: Buffer): Buffer[] {
    if (!this.bodyOut || buf.length === 0) return [];
    if (!this.chunked) return [buf];
    return [Buffer.from(`${buf.length.toString(16)}\r\n`, 'latin1'), buf, Buffer.from('\r\n', 'latin1')];
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.ended) return;
    // A client that went away stops whoever streams to it (a proxied upstream, a file), as the canceled
    // request context does in Go; the status is Caddy's for a client that closed the connection.
    if (this.socket.destroyed) throw new HandlerError(499, 'the client closed the connection');
    if (!this.wroteHeader) this.writeHead(200);
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.length === 0 || !bodyAllowedForStatus(this.status)) return;
    const head = this.headSent ? '' : this.composeHead(buf, false);
    this.bytesWritten += buf.length;
    if (!this.send(head, this.frame(buf)) && !this.socket.destroyed) await drained(this.socket);
  }

  /**
   * One write for the head (composed, '' once sent) and the parts, copied into one buffer; false when the
   * socket wants a pause.
   */
  private send(head: string, parts: Buffer[]): boolean {
    if (this.socket.destroyed) return false;
    if (head === '') {
      if (parts.length === 0) return true;
      if (parts.length === 1) return this.socket.write(parts[0]!);
    }
    // Every character of a head is a byte: names are tokens, values were checked (INVALID_VALUE).
    let n = head.length;
    for (const p of parts) n += p.length;
    const out = Buffer.allocUnsafe(n);
    let off = out.write(head, 0, 'latin1');
    for (const p of parts) off += p.copy(out, off);
    return this.socket.write(out);
  }

  /** Hands the rest to the socket at once: nothing to wait for. */
  end(chunk?: Buffer | string): void {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    let buf = chunk === undefined ? undefined : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf?.length === 0 || !bodyAllowedForStatus(this.status)) buf = undefined;
    this.ended = true;
    this.finished = true;
    if (this.socket.destroyed) {
      this.o.done(this);
      return;
    }
    if (buf) this.bytesWritten += buf.length;
    const head = this.headSent ? '' : this.composeHead(buf, true);
    const parts = buf ? this.frame(buf) : [];
    if (this.chunked) parts.push(LAST_CHUNK);
    this.send(head, parts);
    // A body shorter than the Content-Length a handler declared (an error after file_server set it, say)
    // leaves the client waiting for the rest: Go's server closes the connection then, and so does this.
    const declared = Number(this.header.get('content-length') ?? Number.NaN);
    if (!this.o.isHead && bodyAllowedForStatus(this.status) && declared > this.bytesWritten) this.socket.destroy();
    this.o.done(this);
  }

  abort(): void {
    this.ended = true;
    this.socket.destroy();
  }
}
