/** @module http/raw-response: a response writer over a raw socket, for HTTP/1.1 Upgrade requests (WebSocket). */
import type { Duplex } from 'node:stream';
import { once } from 'node:events';
import { Header } from './header.js';
import { destroyAfter } from './h1/linger.js';
import { bodyAllowedForStatus, goHeadFields, reasonPhrase, sortedFields, type ResponseWriter } from './response.js';

/**
 * Writes a response straight to the connection, with the head Go's response writer would send. A 101
 * leaves the connection open for the handler that switched protocols; anything else is sent with
 * "Connection: close" and ends the connection (Go would keep it, but node has handed the socket over).
 */
export class RawResponseWriter implements ResponseWriter {
  readonly header = new Header();
  wroteHeader = false;
  status = 0;
  bytesWritten = 0;
  private ended = false;
  private headSent = false;

  constructor(
    private readonly socket: Duplex,
    private readonly isHead = false,
  ) {
    // As on every response Caddy's server writes.
    this.header.set('Server', 'Caddy');
  }

  writeHead(status: number): void {
    if (this.wroteHeader) return;
    if (status >= 100 && status <= 199 && status !== 101) {
      // Informational: sent at once, the final response comes later.
      const fields = sortedFields(this.header).filter(([k]) => !/^(content-length|transfer-encoding)$/i.test(k));
      this.socket.write(this.head(status, fields, []));
      return;
    }
    this.wroteHeader = true;
    this.status = status;
    // The handler that switched protocols writes to the socket itself, right after this.
    if (status === 101) this.flushHead(undefined, false);
  }

  private head(status: number, fields: Array<[string, string[]]>, extra: Array<[string, string]>): string {
    let head = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
    for (const [k, vals] of fields) for (const v of vals) head += `${k}: ${v.replace(/[\r\n]/g, '')}\r\n`;
    for (const [k, v] of extra) head += `${k}: ${v}\r\n`;
    return `${head}\r\n`;
  }

  private flushHead(first: Buffer | undefined, done: boolean): void {
    if (this.headSent) return;
    this.headSent = true;
    const { omit, extra } = goHeadFields(this.header, this.status, first, done, { h2: false, isHead: this.isHead });
    for (const k of omit) this.header.delete(k);
    // A protocol switch goes out with the fields it was given (httputil writes the upstream's 101 as is).
    if (this.status === 101) extra.length = 0;
    else {
      // The body ends with the connection, so no chunking.
      this.header.delete('transfer-encoding');
      this.header.delete('connection');
      extra.push(['Connection', 'close']);
    }
    this.socket.write(this.head(this.status, sortedFields(this.header), extra));
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.length === 0 || !bodyAllowedForStatus(this.status)) return;
    this.flushHead(buf, false);
    this.bytesWritten += buf.length;
    if (this.isHead) return;
    if (!this.socket.write(buf) && !this.socket.destroyed)
      await Promise.race([once(this.socket, 'drain'), once(this.socket, 'close')]);
  }

  async end(chunk?: Buffer | string): Promise<void> {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    const buf = chunk === undefined ? undefined : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.flushHead(buf?.length && bodyAllowedForStatus(this.status) ? buf : undefined, true);
    if (buf !== undefined) await this.write(buf);
    this.ended = true;
    if (this.status !== 101) {
      this.socket.end();
      // Node stopped reading this connection when it handed it over: without reading, the client's close
      // is never seen and the half-closed socket stays open for good. Read (and drop) until then, bounded.
      this.socket.resume();
      destroyAfter(this.socket, 1000);
    }
  }

  abort(): void {
    this.ended = true;
    this.socket.destroy();
  }
}
