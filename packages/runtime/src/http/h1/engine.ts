/** @module http/h1/engine: the HTTP/1.x engine of one server: its options and its open connections. */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { H1Connection } from './connection.js';
import type { H1ResponseWriter } from './response-writer.js';
import type { BodilessRequest } from './bodiless-request.js';

/** What a connection needs from its server. */
export interface H1Options {
  /** The most bytes a request head may take (MaxHeaderBytes + 4096). */
  maxHeadBytes: number;
  /** From the first byte of a request to the end of its head (0: none). */
  readHeaderTimeoutMs: number;
  /** From the first byte of a request to the end of its body (0: none). */
  readTimeoutMs: number;
  /** Between requests on a kept-alive connection (0: none). */
  idleTimeoutMs: number;
  /** From the end of a request's head to the end of its response (0: none). */
  writeTimeoutMs: number;
  onRequest: (req: http.IncomingMessage | BodilessRequest, w: H1ResponseWriter) => void;
  onUpgrade: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  log: Logger;
}

/** The open HTTP/1 connections of one server. */
export class H1Engine {
  private readonly conns = new Set<H1Connection>();

  constructor(private readonly opts: H1Options) {}

  /** Serves HTTP/1.x on a connection (after TLS and listener wrappers). */
  connection(sock: Duplex): void {
    const c = new H1Connection(sock, this.opts, () => this.conns.delete(c));
    this.conns.add(c);
    c.start();
  }

  /** Closes the connections that wait for a request (used when the server stops). */
  closeIdleConnections(): void {
    for (const c of this.conns) c.closeIfIdle();
  }
}
