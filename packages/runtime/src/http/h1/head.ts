/**
 * @module http/h1/head: parses an HTTP/1.x request head the way Go's net/http reads one (readRequest,
 * textproto.ReadMIMEHeader, readTransfer), with current Go's stricter rules where it changed since 1.19.
 */
import { STATUS_CODES } from 'node:http';
import {
  BAD_REQUEST,
  HEADER_TOO_LARGE,
  MALFORMED_HOST,
  MISSING_HOST,
  statusError,
  UNSUPPORTED_TE,
  type Refusal,
} from './go-errors.js';
import { validHostHeader } from './front-door.js';

/** A parsed request head. */
export interface RequestHead {
  method: string;
  target: string;
  major: number;
  minor: number;
  /** Name and value pairs, in order, as node's IncomingMessage.rawHeaders holds them. */
  rawHeaders: string[];
  /** The body's framing: none, a known length, or chunked. */
  body: { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };
  /** Go's req.Close: the client asked for the connection to close after this request. */
  close: boolean;
  /** "Expect: 100-continue" on an HTTP/1.1 request with a body. */
  expectContinue: boolean;
  /** An Expect other than 100-continue (Go answers 417 and closes). */
  badExpect: boolean;
  /** Upgrade or CONNECT: the connection is handed over after the head. */
  upgrade: boolean;
}

/** The result of looking at buffered bytes for a request head. */
export type HeadResult =
  | { kind: 'more' }
  | { kind: 'refuse'; refusal: Refusal }
  | { kind: 'head'; head: RequestHead; end: number };

const TOKEN = (() => {
  const ok = new Uint8Array(256);
  for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    ok[c.charCodeAt(0)] = 1;
  return ok;
})();

/** RFC 7230 token (a method or a header name). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || !TOKEN[c]) return false;
  }
  return true;
}

/** httpguts.ValidHeaderFieldValue: no control bytes but HT. */
function validValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c < 0x20 && c !== 9) || c === 0x7f) return false;
  }
  return true;
}

/** Go's ParseHTTPVersion: "HTTP/X.Y" with single digits. */
function parseVersion(v: string): [number, number] | undefined {
  if (v === 'HTTP/1.1') return [1, 1];
  if (v === 'HTTP/1.0') return [1, 0];
  if (v.length !== 8 || !v.startsWith('HTTP/') || v[6] !== '.') return undefined;
  const maj = v.charCodeAt(5) - 48;
  const min = v.charCodeAt(7) - 48;
  if (maj < 0 || maj > 9 || min < 0 || min > 9) return undefined;
  return [maj, min];
}

/** url.ParseRequestURI's refusals that matter here: control bytes, bad escapes in the path, no "/" or scheme. */
function validTarget(target: string, connect: boolean): boolean {
  if (target === '') return false;
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  if (connect && !target.startsWith('/')) return true;
  if (target === '*') return true;
  let path = target;
  if (!target.startsWith('/')) {
    const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(target);
    if (!m) return false;
    path = target.slice(m[0].length);
    if (path.startsWith('//')) {
      const slash = path.indexOf('/', 2);
      path = slash < 0 ? '' : path.slice(slash);
    }
  }
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
    if (!/^[0-9a-fA-F]{2}$/.test(path.slice(i + 1, i + 3))) return false;
  }
  return true;
}

const INVALID_NAME = statusError(400, 'invalid header name', 'Bad Request');
const INVALID_VALUE = statusError(400, 'invalid header value', 'Bad Request');

function nonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * A target with raw non-ASCII bytes (read as latin1) as Go's URL.RequestURI() gives it: the path's bytes
 * percent-escaped, the query's kept as they came (UTF-8).
 */
function goTarget(target: string): string {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    out += c > 0x7f ? `%${c.toString(16).toUpperCase()}` : path[i];
  }
  return q < 0 ? out : out + Buffer.from(target.slice(q), 'latin1').toString('utf8');
}

/** No values (shared: never changed). */
const NONE: string[] = [];

/** The framing of a request without a body (shared: never changed). */
const NO_BODY: RequestHead['body'] = { kind: 'none' };

/** The field value that starts at `from`, without the spaces and tabs around it. */
function trimOws(l: string, from: number): string {
  let a = from;
  let b = l.length;
  while (a < b && (l.charCodeAt(a) === 0x20 || l.charCodeAt(a) === 0x09)) a++;
  while (b > a && (l.charCodeAt(b - 1) === 0x20 || l.charCodeAt(b - 1) === 0x09)) b--;
  return l.slice(a, b);
}

/** Whether a comma-separated header value holds the token (case-insensitively). */
function hasToken(values: string[], token: string): boolean {
  for (const v of values) for (const part of v.split(',')) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/**
 * Where the head that starts at `start` ends (just past its blank line), or -1; the search resumes at
 * `scanFrom` so that a head arriving byte by byte is not scanned again and again.
 */
export function findHeadEnd(buf: Buffer, start: number, scanFrom: number): number {
  for (let nl = buf.indexOf(0x0a, Math.max(start, scanFrom)); nl >= 0; nl = buf.indexOf(0x0a, nl + 1)) {
    if (nl === start) continue;
    if (buf[nl - 1] === 0x0a) return nl + 1;
    if (buf[nl - 1] === 0x0d && nl - 1 > start && buf[nl - 2] === 0x0a) return nl + 1;
  }
  return -1;
}

/**
 * Looks for a complete request head in buf[from..]. `limit` is the most bytes the head may take
 * (Go's MaxHeaderBytes + 4096); past it the answer is 431.
 */
export function parseHead(buf: Buffer, from: number, limit: number): HeadResult {
  const start = from;
  const lines: string[] = [];
  let pos = start;
  let end = -1;
  let bareLf = false;
  for (;;) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0 || nl - start >= limit) {
      if (buf.length - start >= limit) return { kind: 'refuse', refusal: HEADER_TOO_LARGE };
      return { kind: 'more' };
    }
    const cr = nl > pos && buf[nl - 1] === 0x0d;
    if (!cr) bareLf = true;
    const lineEnd = cr ? nl - 1 : nl;
    // An empty first line is a malformed request line (Go skips blank lines only after a POST).
    if (lineEnd === pos && lines.length > 0) {
      end = nl + 1;
      break;
    }
    lines.push(buf.toString('latin1', pos, lineEnd));
    pos = nl + 1;
  }
  // A bare LF ends a line for Go (RFC 9112 2.2 allows it), but two parsers in a chain that disagree on it
  // are a smuggling vector, so the head is refused, as the framing errors below are.
  if (bareLf) return { kind: 'refuse', refusal: BAD_REQUEST };
  return interpret(lines, end);
}

function interpret(lines: string[], end: number): HeadResult {
  const refuse = (refusal: Refusal): HeadResult => ({ kind: 'refuse', refusal });
  const line = lines[0]!;
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp1 < 0 || sp2 < 0) return refuse(BAD_REQUEST);
  const method = line.slice(0, sp1);
  const target = line.slice(sp1 + 1, sp2);
  const version = parseVersion(line.slice(sp2 + 1));
  if (!isToken(method) || !version) return refuse(BAD_REQUEST);
  const [major, minor] = version;
  if (!validTarget(target, method === 'CONNECT')) return refuse(BAD_REQUEST);
  const url = nonAscii(target) ? goTarget(target) : target;

  const rawHeaders: string[] = [];
  // Only these fields matter to the framing and the checks: they are picked out as the lines are read.
  let hosts: string[] | undefined;
  let te: string[] | undefined;
  let cls: string[] | undefined;
  let connection: string[] | undefined;
  let expect: string[] | undefined;
  let upgradeField = false;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    // obs-fold: RFC 9112 lets a server refuse it, and folding is how header smuggling hides.
    if (l.charCodeAt(0) === 0x20 || l.charCodeAt(0) === 0x09) return refuse(BAD_REQUEST);
    const colon = l.indexOf(':');
    if (colon <= 0) return refuse(BAD_REQUEST);
    const name = l.slice(0, colon);
    // Also "Host : x", which current Go refuses rather than trimming.
    if (!isToken(name)) return refuse(INVALID_NAME);
    const value = trimOws(l, colon + 1);
    if (!validValue(value)) return refuse(INVALID_VALUE);
    rawHeaders.push(name, value);
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') (hosts ??= []).push(value);
        break;
      case 6:
        if (name.toLowerCase() === 'expect') (expect ??= []).push(value);
        break;
      case 7:
        if (name.toLowerCase() === 'upgrade') upgradeField = true;
        break;
      case 10:
        if (name.toLowerCase() === 'connection') (connection ??= []).push(value);
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') (cls ??= []).push(value);
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') (te ??= []).push(value);
        break;
    }
  }

  const hostCount = hosts?.length ?? 0;
  if (hostCount > 1) return refuse(BAD_REQUEST);
  const atLeast11 = major > 1 || (major === 1 && minor >= 1);

  let body: RequestHead['body'] = NO_BODY;
  if (te && atLeast11) {
    const codings = te
      .flatMap((v) => v.split(','))
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c !== '');
    // RFC 9112 6.3: when chunked is not the final coding (or is applied twice) the length cannot be
    // determined: 400 and close. Go answers 501 to all of these; the RFC's MUST wins for the framing cases.
    if (codings.at(-1) !== 'chunked' || codings.indexOf('chunked') !== codings.length - 1) return refuse(BAD_REQUEST);
    // A coding before chunked that Go does not implement (gzip, chunked): Go's 501.
    if (codings.length !== 1) return refuse(UNSUPPORTED_TE);
    // Go lets chunked override a Content-Length; RFC 9112 allows refusing the pair, the smuggling classic.
    if (cls) return refuse(BAD_REQUEST);
    body = { kind: 'chunked' };
  } else if (cls) {
    const first = cls[0]!;
    if (cls.some((v) => v !== first)) return refuse(BAD_REQUEST);
    if (!/^[0-9]{1,18}$/.test(first)) return refuse(BAD_REQUEST);
    // Identical repeats are one Content-Length, as Go's fixLength keeps them: handlers and upstreams see one.
    if (cls.length > 1) dropRepeats(rawHeaders, 'content-length');
    const length = Number(first);
    if (length > 0) body = { kind: 'length', length };
  }

  if (major !== 1) {
    return refuse(statusError(505, 'unsupported protocol version', STATUS_CODES[505]!));
  }
  if (atLeast11 && hostCount === 0 && method !== 'CONNECT') return refuse(MISSING_HOST);
  if (hosts?.length === 1 && !validHostHeader(hosts[0]!)) return refuse(MALFORMED_HOST);

  const conn = connection ?? NONE;
  const close = atLeast11 ? hasToken(conn, 'close') : !hasToken(conn, 'keep-alive');
  const expectContinue = expect !== undefined && expect.length === 1 && expect[0]!.toLowerCase() === '100-continue';
  const badExpect = expect !== undefined && !expectContinue && expect.some((v) => v !== '');
  // CONNECT is an ordinary request, as in Go (no handler here tunnels).
  const upgrade = upgradeField && hasToken(conn, 'upgrade');
  return {
    kind: 'head',
    end,
    head: {
      method,
      target: url,
      major,
      minor,
      rawHeaders,
      body,
      close,
      expectContinue: expectContinue && atLeast11 && body.kind !== 'none',
      badExpect,
      upgrade,
    },
  };
}

/** Removes every field of this (lower-case) name after its first from a raw name/value list. */
function dropRepeats(rawHeaders: string[], name: string): void {
  let seen = false;
  for (let i = 0; i < rawHeaders.length; ) {
    if (rawHeaders[i]!.toLowerCase() === name) {
      if (seen) {
        rawHeaders.splice(i, 2);
        continue;
      }
      seen = true;
    }
    i += 2;
  }
}
