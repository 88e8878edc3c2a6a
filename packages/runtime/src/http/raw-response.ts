/** @module http/raw-response: a response writer over a raw socket, for HTTP/1.1 Upgrade requests (WebSocket). */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { once } from 'node:events';
import { Header } from './header.js';
import type { ResponseWriter } from './response.js';

/**
 * Writes a response straight to the connection. A 101 leaves the connection open for the handler that
 * switched protocols; anything else is sent with "Connection: close" and ends the connection.
 */
export class RawResponseWriter implements ResponseWriter {
  readonly header = new Header();
  wroteHeader = false;
  status = 0;
  bytesWritten = 0;
  private ended = false;

  constructor(private readonly socket: Duplex) {}

  writeHead(status: number): void {
    if (this.wroteHeader) return;
    this.wroteHeader = true;
    this.status = status;
    if (status !== 101) { this.header.set('Connection', 'close'); this.header.delete('transfer-encoding'); }
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
    for (const [k, vals] of this.header.entries()) for (const v of vals) head += `${k}: ${v.replace(/[\r\n]/g, '')}\r\n`;
    this.socket.write(`${head}\r\n`);
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    this.bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (!this.socket.write(chunk) && !this.socket.destroyed) await Promise.race([once(this.socket, 'drain'), once(this.socket, 'close')]);
  }

  async end(chunk?: Buffer | string): Promise<void> {
    if (this.ended) return;
    if (!this.wroteHeader) this.writeHead(200);
    if (chunk !== undefined) await this.write(chunk);
    this.ended = true;
    if (this.status !== 101) {
      this.socket.end();
      // Node stopped reading this connection when it handed it over: without reading, the client's close
      // is never seen and the half-closed socket stays open for good. Read (and drop) until then, bounded.
      this.socket.resume();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }
  }

  abort(): void {
    this.ended = true;
    this.socket.destroy();
  }
}
