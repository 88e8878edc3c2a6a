/**
 * @module http/h1/front-door: what Go's net/http server checks on an HTTP/1.x request before any handler
 * runs (readRequest in request.go and server.go), applied to requests node's parser accepted, and node's
 * parse errors answered as Go answers them.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { HandlerError } from '../errors.js';
import { destroyAfter } from './linger.js';
import {
  BAD_REQUEST,
  HEADER_TOO_LARGE,
  MALFORMED_HOST,
  MISSING_HOST,
  refusalBytes,
  UNSUPPORTED_TE,
  type Refusal,
} from './go-errors.js';

/** Go's DefaultMaxHeaderBytes. */
export const DEFAULT_MAX_HEADER_BYTES = 1 << 20;

/**
 * The most bytes a request head may take: Go reads up to MaxHeaderBytes plus 4096 of slack
 * (initialReadLimitSize) before it answers 431.
 */
export function headerReadLimit(maxHeaderBytes: number | undefined): number {
  return (maxHeaderBytes && maxHeaderBytes > 0 ? maxHeaderBytes : DEFAULT_MAX_HEADER_BYTES) + 4096;
}

/** httpguts.validHostByte: the bytes a Host header may hold. */
const HOST_BYTE = (() => {
  const ok = new Uint8Array(256);
  for (const c of "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!$%&()*+,-.:;=[']_~")
    ok[c.charCodeAt(0)] = 1;
  return ok;
})();

/** httpguts.ValidHostHeader. */
export function validHostHeader(h: string): boolean {
  for (let i = 0; i < h.length; i++) {
    const c = h.charCodeAt(i);
    if (c > 255 || !HOST_BYTE[c]) return false;
  }
  return true;
}

/**
 * The refusal Go would give this request, in Go's order: too many Host lines and an unsupported
 * Transfer-Encoding (readRequest), then a missing or malformed Host (conn.readRequest).
 */
export function checkRequestHead(req: http.IncomingMessage): Refusal | undefined {
  const raw = req.rawHeaders;
  const hosts: string[] = [];
  let te = 0;
  let teValue = '';
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === 4 && name.toLowerCase() === 'host') hosts.push(raw[i + 1]!);
    else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      te++;
      teValue = raw[i + 1]!;
    }
  }
  if (hosts.length > 1) return BAD_REQUEST;
  const atLeast11 = req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1);
  // Go ignores Transfer-Encoding on HTTP/1.0 and supports only a single "chunked" (any case).
  if (te > 0 && atLeast11 && (te > 1 || teValue.toLowerCase() !== 'chunked')) return UNSUPPORTED_TE;
  const h2Upgrade = req.method === 'PRI' && req.url === '*' && req.httpVersionMajor === 2;
  if (atLeast11 && hosts.length === 0 && !h2Upgrade && req.method !== 'CONNECT') return MISSING_HOST;
  if (hosts.length === 1 && !validHostHeader(hosts[0]!)) return MALFORMED_HOST;
  return undefined;
}

/** Connections that got a refusal: requests node parsed behind it are not served. */
const refused = new WeakSet<Duplex>();

/** The last request node parsed on each connection (a parse error after it may be in its body). */
const lastRequest = new WeakMap<Duplex, http.IncomingMessage>();

/** Remembers the newest request of a connection. */
export function noteRequest(conn: Duplex, req: http.IncomingMessage): void {
  lastRequest.set(conn, req);
}

/** Whether the connection was refused (and is closing). */
export function isRefused(conn: Duplex): boolean {
  return refused.has(conn);
}

/** Writes Go's refusal on the connection and closes it. */
export function refuseOnSocket(conn: Duplex, r: Refusal): void {
  refused.add(conn);
  if (!conn.writable) {
    conn.destroy();
    return;
  }
  conn.end(refusalBytes(r), () => conn.destroy());
  // A client that never reads must not hold the connection open.
  destroyAfter(conn, 5000);
}

/**
 * Refuses a request node already turned into a response: the bytes go straight onto the connection when
 * this response owns it, or once the responses pipelined before it are out.
 */
export function refuseResponse(res: http.ServerResponse, r: Refusal): void {
  const conn = res.req.socket as Duplex;
  refused.add(conn);
  if (res.socket) refuseOnSocket(conn, r);
  else res.once('socket', () => refuseOnSocket(conn, r));
}

/**
 * Go's answer to what node's parser rejected: 431 past the read limit, 501 for a Transfer-Encoding other
 * than one "chunked", 400 otherwise. Go lets "chunked" override a Content-Length; that pair is refused
 * with 400 here (RFC 9112 allows it, and it is the classic smuggling vector).
 */
function refusalFor(err: NodeJS.ErrnoException & { reason?: string }): Refusal {
  if (err.code === 'HPE_HEADER_OVERFLOW') return HEADER_TOO_LARGE;
  if (err.code === 'HPE_INVALID_TRANSFER_ENCODING' && !/content-length/i.test(err.reason ?? '')) return UNSUPPORTED_TE;
  return BAD_REQUEST;
}

/** Requests whose body turned out malformed, with the error their readers get. */
const bodyErrors = new WeakMap<http.IncomingMessage, Error>();

/** The error the body of this request failed with, if it did. */
export function bodyError(req: object): Error | undefined {
  return bodyErrors.get(req as http.IncomingMessage);
}

/**
 * Fails the body without destroying the request (node would destroy the connection with it, and the
 * response with that): readers attached now get the error, later ones find it through bodyError().
 */
export function failBody(req: http.IncomingMessage, err: Error): void {
  bodyErrors.set(req, err);
  if (req.listenerCount('error') > 0) req.emit('error', err);
}

/** Ends the connection once what was written is flushed, and drops it if the peer does not read. */
function closeSoon(sock: Duplex): void {
  if (sock.destroyed) return;
  sock.end(() => sock.destroy());
  destroyAfter(sock, 5000);
}

/** The socket's current response (node's own field; typed here so nothing else reaches into node). */
function currentResponse(sock: Duplex): http.ServerResponse | null | undefined {
  return (sock as Duplex & { _httpMessage?: http.ServerResponse | null })._httpMessage;
}

/**
 * The server's 'clientError' listener: node's parser gave up on the connection. Go answers every request
 * before the bad bytes first, so a response in progress is finished, and the refusal (if any) follows it.
 */
export function onClientError(log: Logger): (err: NodeJS.ErrnoException & { reason?: string }, sock: Duplex) => void {
  return (err, sock) => {
    if (refused.has(sock)) return;
    refused.add(sock);
    log.debug({ error: err.code ?? err.message }, 'bad HTTP/1 request');
    if (err.code === 'ECONNRESET' || !sock.writable) {
      sock.destroy();
      return;
    }
    // Bytes after a "Connection: close" request: Go answers that request and never reads the rest.
    if (err.code === 'HPE_CLOSED_CONNECTION') {
      if (!currentResponse(sock)) sock.destroy();
      return;
    }
    const refusal = refusalFor(err);
    const last = lastRequest.get(sock);
    if (last && !last.complete) {
      // The bad bytes are in the last request's body: its readers see an error and the connection closes
      // once its response is out; Go writes nothing more either.
      failBody(last, new HandlerError(400, `malformed request body (${err.code ?? err.message})`));
      const res = currentResponse(sock);
      if (!res || res.writableFinished) {
        closeSoon(sock);
        return;
      }
      if (!res.headersSent) res.shouldKeepAlive = false;
      res.once('close', () => closeSoon(sock));
      return;
    }
    const res = currentResponse(sock);
    if (!res || res.writableFinished) {
      refuseOnSocket(sock, refusal);
      return;
    }
    // The bad bytes start a later pipelined request: Go refuses it after answering this one.
    res.once('finish', () => refuseOnSocket(sock, refusal));
    res.once('close', () => {
      if (!res.writableFinished) sock.destroy();
    });
  };
}
