/**
 * @module http/h1/connection: an HTTP/1.x server connection read the way Go's net/http reads one
 * (conn.serve): one request at a time, each answered before the next is read, framing by Go's rules.
 * Requests with a body are node's own IncomingMessage (what node:http would hand on), the others a
 * BodilessRequest; responses are written by H1ResponseWriter straight to the connection.
 */
import http from 'node:http';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { ChunkedDecoder, LengthDecoder, type BodyDecoder } from './body.js';
import { failBody } from './front-door.js';
import { HandlerError } from '../errors.js';
import { BAD_REQUEST, HEADER_TOO_LARGE, refusalBytes, type Refusal } from './go-errors.js';
import { findHeadEnd, parseHead, type RequestHead } from './head.js';
import { ByteQueue } from './bytes.js';
import { H1ResponseWriter } from './response-writer.js';
import { destroyAfter } from './linger.js';
import { Deadline } from './deadline.js';
import { BodilessRequest } from './bodiless-request.js';
import type { H1Options } from './engine.js';

/** Unread request bodies Go still drains after the handler to keep the connection (maxPostHandlerReadBytes). */
const MAX_DISCARD = 256 << 10;

/** Pipelined bytes buffered while a request is answered before the socket is paused. */
const MAX_AHEAD = 64 << 10;

type Phase = 'head' | 'body' | 'answer' | 'done';

/** Node's own method that fills rawHeaders (or, once the body is complete, rawTrailers). */
type NodeRequest = http.IncomingMessage & {
  _addHeaderLines(lines: string[], n: number): void;
  _consuming: boolean;
  _dump(): void;
};

/** One HTTP/1.x connection. */
export class H1Connection {
  private readonly buf = new ByteQueue();
  private scanFrom = 0;
  private phase: Phase = 'head';
  /** Bytes of the current request were seen (the header timer runs). */
  private started = false;
  private head: RequestHead | undefined;
  private req: http.IncomingMessage | BodilessRequest | undefined;
  private res: H1ResponseWriter | undefined;
  private decoder: BodyDecoder | undefined;
  /** The request's reader wants no more for now. */
  private bodyPaused = false;
  /** Bytes drained from a body nobody read, after its response. */
  private discarded = -1;
  private sent100 = false;
  private closeAfter = false;
  private peerEnded = false;
  private readDeadline = 0;
  /** Go's read deadline (header, body and idle timeouts): it ends the connection without an answer. */
  private readonly readTimer = new Deadline(() => this.sock.destroy());
  /** Go's write deadline: a response not out by then loses its connection. */
  private readonly writeTimer = new Deadline(() => this.sock.destroy());
  private pumping = false;
  /** Requests read so far (the first one's header timer runs from the connection's start, as in Go). */
  private requests = 0;
  private lastMethod = '';
  private readonly onData = (chunk: Buffer): void => {
    this.buf.append(chunk);
    this.pump();
  };
  private readonly onEnd = (): void => {
    this.peerEnded = true;
    this.pump();
  };

  constructor(
    private readonly sock: Duplex,
    private readonly opts: H1Options,
    private readonly onGone: () => void,
  ) {}

  start(): void {
    const s = this.sock;
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('error', () => {});
    s.once('close', () => this.guard(() => this.closed()));
    // Go's first request is read (header and read deadlines set) as soon as the connection is served.
    this.readDeadline = this.opts.readTimeoutMs > 0 ? Date.now() + this.opts.readTimeoutMs : 0;
    this.arm(this.opts.readHeaderTimeoutMs || this.opts.readTimeoutMs);
    if (s.isPaused()) s.resume();
  }

  /** Runs an event handler so that nothing it throws leaves the connection (or the process) behind. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.log.error({ error: String(e) }, 'HTTP/1 connection failed');
      this.sock.destroy();
    }
  }

  closeIfIdle(): void {
    if (this.phase === 'head' && !this.started) this.sock.destroy();
  }

  /** Moves the read deadline `ms` from now (0: none). */
  private arm(ms: number): void {
    this.readTimer.set(ms);
  }

  private closed(): void {
    this.readTimer.stop();
    this.writeTimer.stop();
    this.phase = 'done';
    // A handler still running (an upstream that answers late) keeps this connection reachable: not the
    // bytes it will never read.
    this.buf.clear();
    const req = this.req;
    if (req && !(req instanceof BodilessRequest) && !req.complete) {
      const err = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
      req.destroy(err);
    }
    this.onGone();
  }

  /** Moves as far as the buffered bytes allow. Re-entrant calls (from push()/_read) are folded in. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.step()) {
        /* each step consumes input or changes phase */
      }
    } catch (e) {
      this.opts.log.error({ error: String(e) }, 'HTTP/1 connection failed');
      this.sock.destroy();
    } finally {
      this.pumping = false;
    }
  }

  /** One step; false when it has to wait for bytes, a reader or a response. */
  private step(): boolean {
    switch (this.phase) {
      case 'head':
        return this.stepHead();
      case 'body':
        return this.stepBody();
      case 'answer':
        if (this.buf.length > MAX_AHEAD) this.sock.pause();
        return false;
      default:
        return false;
    }
  }

  private stepHead(): boolean {
    if (!this.started) {
      // Go's tolerance for old clients that end a POST body with an extra CRLF: blank lines are skipped
      // after a POST (elsewhere a blank line is a malformed request line).
      if (this.lastMethod === 'POST') {
        const b = this.buf.bytes;
        let i = 0;
        while (i < b.length && (b[i] === 0x0d || b[i] === 0x0a)) i++;
        if (i > 0) this.buf.skip(i);
      }
      if (this.buf.length === 0) {
        if (this.peerEnded) this.finish();
        return false;
      }
      this.started = true;
      if (this.requests++ > 0) {
        this.readDeadline = this.opts.readTimeoutMs > 0 ? Date.now() + this.opts.readTimeoutMs : 0;
        this.arm(this.opts.readHeaderTimeoutMs || this.opts.readTimeoutMs);
      }
    }
    const bytes = this.buf.bytes;
    const end = findHeadEnd(bytes, 0, this.scanFrom);
    if (end < 0) {
      if (this.buf.length >= this.opts.maxHeadBytes) return this.refuse(HEADER_TOO_LARGE);
      if (this.peerEnded) {
        this.finish();
        return false;
      }
      this.scanFrom = Math.max(0, this.buf.length - 2);
      return false;
    }
    const r = parseHead(bytes, 0, this.opts.maxHeadBytes);
    if (r.kind === 'refuse') return this.refuse(r.refusal);
    if (r.kind === 'more') return this.refuse(BAD_REQUEST);
    this.buf.skip(r.end);
    this.scanFrom = 0;
    this.begin(r.head);
    return true;
  }

  private refuse(r: Refusal): boolean {
    this.phase = 'done';
    this.arm(0);
    this.sock.removeListener('data', this.onData);
    // The refused head (up to the 1 MiB limit) is not read again while the answer drains.
    this.buf.clear();
    const s = this.sock;
    if (!s.writable) {
      s.destroy();
      return false;
    }
    s.end(refusalBytes(r), () => s.destroy());
    destroyAfter(s, 5000);
    return false;
  }

  /** A request with a body (or an upgrade) is node's own IncomingMessage, as node:http would hand it on. */
  private nodeRequest(head: RequestHead): http.IncomingMessage {
    const req = new http.IncomingMessage(this.sock as net.Socket);
    req.method = head.method;
    req.url = head.target;
    req.httpVersionMajor = head.major;
    req.httpVersionMinor = head.minor;
    req.httpVersion = `${head.major}.${head.minor}`;
    // node's own way in (it also counts them for the lazy `headers` object).
    (req as NodeRequest)._addHeaderLines(head.rawHeaders, head.rawHeaders.length);
    return req;
  }

  private begin(head: RequestHead): void {
    const s = this.sock;
    this.head = head;
    this.lastMethod = head.method;
    this.sent100 = false;
    this.discarded = -1;
    this.bodyPaused = false;
    this.closeAfter = head.close;

    if (head.upgrade) {
      const req = this.nodeRequest(head);
      // The connection is the handler's from here on (WebSocket, CONNECT, h2c): like node's 'upgrade'.
      this.phase = 'done';
      this.readTimer.stop();
      s.removeListener('data', this.onData);
      s.removeListener('end', this.onEnd);
      // As node does: bytes after the head wait in the socket until the handler listens or resumes.
      (s as Duplex & { readableFlowing: boolean | null }).readableFlowing = null;
      (req as http.IncomingMessage & { upgrade: boolean }).upgrade = true;
      req.complete = true;
      req.push(null);
      const rest = Buffer.from(this.buf.bytes);
      this.buf.clear();
      this.onGone();
      try {
        this.opts.onUpgrade(req, s, rest);
      } catch (e) {
        this.opts.log.error({ error: String(e) }, 'upgrade handler failed');
        s.destroy();
      }
      return;
    }

    // Most requests have no body: they need no stream (one is made if a handler reads the empty body).
    const req = head.body.kind === 'none' ? new BodilessRequest(s, head) : this.nodeRequest(head);
    this.req = req;
    // Go's write deadline, set once the head is read.
    if (this.opts.writeTimeoutMs > 0) this.writeTimer.set(this.opts.writeTimeoutMs);
    const res = new H1ResponseWriter(s, {
      isHead: head.method === 'HEAD',
      v11: head.major > 1 || head.minor >= 1,
      // Only an HTTP/1.0 client's TE field matters (node's `headers` object is not built for it otherwise).
      chunkedOk: head.major === 1 && head.minor === 0 && /(?:^|\W)chunked(?:$|\W)/i.test(String(req.headers.te ?? '')),
      beforeHead: (w) => {
        // Go drains at most 256 KiB of a body the handler left unread before it answers; past that it
        // says "Connection: close" (requestTooLarge).
        const unread = this.req === req && !req.complete ? this.decoder?.unread : undefined;
        if (unread !== undefined && unread >= MAX_DISCARD) {
          w.keepAlive = false;
          this.closeAfter = true;
        }
      },
      done: (w) => this.guard(() => this.answered(w)),
    });
    // Until the handler asks for an expected body, the client holds it back: answering without it ends
    // the connection, and Go says so in the response.
    res.keepAlive = !this.closeAfter && !head.expectContinue;
    this.res = res;

    if (req instanceof BodilessRequest || head.body.kind === 'none') {
      this.endBody();
    } else {
      this.decoder =
        head.body.kind === 'chunked' ? new ChunkedDecoder(this.opts.maxHeadBytes) : new LengthDecoder(head.body.length);
      this.phase = 'body';
      req._read = () => {
        if (this.head?.expectContinue && !this.sent100 && !res.headSent) {
          this.sent100 = true;
          res.keepAlive = !this.closeAfter;
          res.writeContinue();
        }
        if (this.bodyPaused) {
          this.bodyPaused = false;
          s.resume();
          process.nextTick(() => this.pump());
        }
      };
    }
    if (this.phase === 'answer' || this.readDeadline === 0) this.arm(0);
    else this.arm(Math.max(1, this.readDeadline - Date.now()));

    if (head.badExpect) {
      // Go answers any expectation but 100-continue with 417 and closes (sendExpectationFailed).
      res.keepAlive = false;
      this.closeAfter = true;
      res.header.delete('Server');
      res.header.set('Connection', 'close');
      res.writeHead(417);
      void res.end();
      return;
    }
    if (head.method === 'OPTIONS' && head.target === '*') {
      // Go's server answers "OPTIONS *" itself (globalOptionsHandler); Caddy's routes never see it.
      res.header.delete('Server');
      res.header.set('Content-Length', '0');
      res.writeHead(200);
      void res.end();
      return;
    }
    try {
      this.opts.onRequest(req, res);
    } catch (e) {
      this.opts.log.error({ error: String(e) }, 'request handler failed');
      s.destroy();
    }
  }

  private stepBody(): boolean {
    const req = this.req as http.IncomingMessage;
    if (this.bodyPaused && this.discarded < 0) return false;
    if (this.buf.length === 0) {
      if (this.peerEnded) this.bodyFailed('unexpected EOF');
      return false;
    }
    const d = this.decoder!.push(this.buf.bytes);
    this.buf.skip(d.used);
    if (this.discarded >= 0) {
      for (const c of d.data) this.discarded += c.length;
      if (d.error || (!d.done && this.discarded > MAX_DISCARD)) {
        this.sock.destroy();
        return false;
      }
    } else {
      for (const c of d.data) if (!req.push(c)) this.bodyPaused = true;
    }
    if (d.error) {
      this.bodyFailed(d.error);
      return false;
    }
    if (d.done) {
      // node files the lines as trailers once the message is complete.
      if (d.trailers?.length && this.discarded < 0) {
        req.complete = true;
        (req as NodeRequest)._addHeaderLines(d.trailers, d.trailers.length);
      }
      this.endBody();
      return true;
    }
    if (this.bodyPaused && this.discarded < 0) {
      this.sock.pause();
      return false;
    }
    return this.buf.length > 0;
  }

  private endBody(): void {
    const req = this.req!;
    this.decoder = undefined;
    this.arm(0);
    if (this.discarded >= 0) {
      this.next();
      return;
    }
    this.phase = 'answer';
    if (req instanceof BodilessRequest) return;
    req.complete = true;
    req.push(null);
  }

  /** The body's framing is broken: its reader gets an error and the connection ends after the response. */
  private bodyFailed(reason: string): void {
    this.opts.log.debug({ error: reason }, 'malformed request body');
    this.phase = 'answer';
    this.closeAfter = true;
    this.sock.removeListener('data', this.onData);
    this.buf.clear();
    const res = this.res;
    if (res && !res.headSent) res.keepAlive = false;
    if (this.discarded >= 0 || res?.finished) {
      this.sock.destroy();
      return;
    }
    failBody(this.req as http.IncomingMessage, new HandlerError(400, `malformed request body: ${reason}`));
  }

  /** A response went out: decide like Go whether the connection carries another request. */
  private answered(res: H1ResponseWriter): void {
    if (res !== this.res || this.phase === 'done') return;
    this.writeTimer.clear();
    const req = this.req!;
    // What node's resOnFinish does: a body nobody touched is dumped (its 'end' and 'close' follow).
    if (!(req instanceof BodilessRequest) && !(req as NodeRequest)._consuming && !req.readableFlowing)
      (req as NodeRequest)._dump();
    // A client that waits for "100 Continue" never sends the body the handler did not ask for.
    const unsentBody = this.head?.expectContinue === true && !this.sent100 && !req.complete;
    if (res.last || this.closeAfter || unsentBody) {
      this.finish();
      return;
    }
    if (!req.complete && this.phase === 'body') {
      if (this.head?.body.kind === 'length' && this.head.body.length > MAX_DISCARD) {
        this.finish();
        return;
      }
      this.discarded = 0;
      this.bodyPaused = false;
      this.sock.resume();
      this.pump();
      return;
    }
    this.next();
  }

  /** Ends the connection once the response is flushed. */
  private finish(): void {
    this.phase = 'done';
    this.arm(0);
    const s = this.sock;
    s.removeListener('data', this.onData);
    s.end(() => s.destroy());
    destroyAfter(s, 5000);
  }

  /** Reads the next request. */
  private next(): void {
    this.phase = 'head';
    this.started = false;
    this.head = undefined;
    this.req = undefined;
    this.res = undefined;
    this.discarded = -1;
    this.arm(this.opts.idleTimeoutMs);
    if (this.sock.isPaused()) this.sock.resume();
    this.pump();
  }
}
