/**
 * @module http/h1/bodiless-request: an HTTP/1.x request without a body (most of them: GET, HEAD, ...), as
 * light as it can be. A node IncomingMessage is a Readable whose end, dump and close each take a tick; this
 * holds only what handlers read of a request (`HttpRequest.raw`), and its empty body becomes a stream only
 * when something reads it.
 */
import http from 'node:http';
import type net from 'node:net';
import { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import type { RequestHead } from './head.js';

/** Node's own method that fills `headers` from name/value pairs. */
type WithHeaderLines = http.IncomingMessage & { _addHeaderLines(lines: string[], n: number): void };

/** A request whose head says it has no body. */
export class BodilessRequest {
  /** Its (empty) body is complete from the start. */
  readonly complete = true;
  readonly method: string;
  readonly url: string;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly rawHeaders: string[];
  private headersObject: http.IncomingHttpHeaders | undefined;

  constructor(
    readonly socket: Duplex,
    head: RequestHead,
  ) {
    this.method = head.method;
    this.url = head.target;
    this.httpVersionMajor = head.major;
    this.httpVersionMinor = head.minor;
    this.rawHeaders = head.rawHeaders;
  }

  get httpVersion(): string {
    return `${this.httpVersionMajor}.${this.httpVersionMinor}`;
  }

  /** The fields as node's `headers` object (rarely wanted: built by node itself, on first use). */
  get headers(): http.IncomingHttpHeaders {
    if (!this.headersObject) {
      const m = new http.IncomingMessage(this.socket as net.Socket) as WithHeaderLines;
      m._addHeaderLines(this.rawHeaders, this.rawHeaders.length);
      this.headersObject = m.headers;
    }
    return this.headersObject;
  }

  /** The body as a stream: it ends at once. */
  bodyStream(): Readable {
    return new Readable({
      read() {
        this.push(null);
      },
    });
  }

  /** Discards the body (there is none). */
  resume(): this {
    return this;
  }
}
