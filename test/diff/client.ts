/**
 * @module diff/client: sends one scenario request to one server and records what came back. HTTP/1.x goes
 * over a raw socket (so malformed or pipelined input is sent exactly as written) with a small response parser;
 * HTTP/2 uses node:http2 (ALPN over TLS, prior knowledge without).
 */
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { Observed, Req, Resp } from './types.js';

const REQUEST_TIMEOUT_MS = 5000;
/** A raw connection's answers are read until the server closes it or stays silent this long. */
const RAW_IDLE_MS = 1500;

export interface Target {
  port: number;
  tls: boolean;
  /** Fills {{...}} placeholders for this server. */
  fill(s: string): string;
}

export function send(req: Req, target: Target): Promise<Observed> {
  if (req.http === '2') return sendH2(req, target);
  return sendH1(req, target);
}

function buildH1(req: Req, target: Target): Buffer {
  if (req.raw !== undefined) return Buffer.from(target.fill(req.raw), 'latin1');
  const method = req.method ?? 'GET';
  const lines = [`${method} ${target.fill(req.path ?? '/')} HTTP/${req.http ?? '1.1'}`];
  const headers = (req.headers ?? []).map(([k, v]): [string, string] => [k, target.fill(v)]);
  if (!req.noHost && !headers.some(([k]) => k.toLowerCase() === 'host')) lines.push(`Host: localhost:${target.port}`);
  if (!headers.some(([k]) => k.toLowerCase() === 'user-agent')) lines.push('User-Agent: proxy-diff/1');
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  let body = Buffer.alloc(0);
  if (req.body !== undefined) {
    const b = Buffer.from(target.fill(req.body), 'utf8');
    if (req.chunked) {
      lines.push('Transfer-Encoding: chunked');
      body = Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n0\r\n\r\n')]);
    } else {
      lines.push(`Content-Length: ${b.length}`);
      body = b;
    }
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** Parses as many complete responses as `buf` holds; `ended` means the peer closed (ends a close-framed body). */
export function parseResponses(
  buf: Buffer,
  headMethod: boolean,
  ended: boolean,
): { responses: Resp[]; rest: Buffer; partial: boolean } {
  const responses: Resp[] = [];
  let off = 0;
  for (;;) {
    const headEnd = buf.indexOf('\r\n\r\n', off, 'latin1');
    if (headEnd < 0) return { responses, rest: buf.subarray(off), partial: off < buf.length };
    const lines = buf.subarray(off, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? '');
    if (!m) return { responses, rest: buf.subarray(off), partial: true };
    const status = Number(m[1]);
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const k = line.slice(0, i).trim().toLowerCase();
      const list = headers.get(k) ?? [];
      list.push(line.slice(i + 1).trim());
      headers.set(k, list);
    }
    let p = headEnd + 4;
    if (status >= 100 && status < 200 && status !== 101) {
      off = p;
      continue;
    }
    const te = (headers.get('transfer-encoding') ?? []).join(',').toLowerCase();
    const cl = headers.get('content-length')?.[0];
    if (status === 101) {
      // Everything after a 101 is the tunnel: keep it as the body so the tunnelled bytes compare too.
      responses.push({ status, headers, body: buf.subarray(p), framing: 'none' });
      off = buf.length;
    } else if (headMethod || status === 204 || status === 304) {
      responses.push({ status, headers, body: Buffer.alloc(0), framing: 'none' });
      off = p;
    } else if (te.includes('chunked')) {
      const parts: Buffer[] = [];
      for (;;) {
        const le = buf.indexOf('\r\n', p, 'latin1');
        if (le < 0) return { responses, rest: buf.subarray(off), partial: true };
        const size = parseInt(buf.subarray(p, le).toString('latin1').split(';')[0] ?? '', 16);
        if (Number.isNaN(size)) return { responses, rest: buf.subarray(off), partial: true };
        if (size === 0) {
          const trailerEnd = buf.indexOf('\r\n\r\n', le, 'latin1');
          const emptyEnd = buf.subarray(le, le + 4).toString('latin1') === '\r\n\r\n';
          const end = emptyEnd ? le + 4 : trailerEnd < 0 ? -1 : trailerEnd + 4;
          if (end < 0) return { responses, rest: buf.subarray(off), partial: true };
          p = end;
          break;
        }
        if (buf.length < le + 2 + size + 2) return { responses, rest: buf.subarray(off), partial: true };
        parts.push(buf.subarray(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      responses.push({ status, headers, body: Buffer.concat(parts), framing: 'chunked' });
      off = p;
    } else if (cl !== undefined) {
      const n = Number(cl);
      if (buf.length < p + n) return { responses, rest: buf.subarray(off), partial: true };
      responses.push({ status, headers, body: buf.subarray(p, p + n), framing: 'length' });
      off = p + n;
    } else {
      if (!ended) return { responses, rest: buf.subarray(off), partial: true };
      responses.push({ status, headers, body: buf.subarray(p), framing: 'close' });
      off = buf.length;
    }
  }
}

function sendH1(req: Req, target: Target): Promise<Observed> {
  const bytes = buildH1(req, target);
  const head = (req.method ?? 'GET') === 'HEAD';
  const want = req.responses ?? 1;
  const raw = req.raw !== undefined;
  return new Promise((resolve) => {
    const sock: net.Socket = target.tls
      ? tls.connect({
          host: '127.0.0.1',
          port: target.port,
          servername: req.servername ?? 'localhost',
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: '127.0.0.1', port: target.port });
    let buf = Buffer.alloc(0);
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (ended: boolean, error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      clearTimeout(idle);
      sock.destroy();
      const parsed = parseResponses(buf, head, ended);
      const obs: Observed = { responses: parsed.responses };
      if (parsed.responses.length < want)
        obs.error = error ?? (parsed.partial ? 'incomplete response' : 'connection closed without a response');
      resolve(obs);
    };
    const overall = setTimeout(() => finish(false, 'timeout'), req.timeoutMs ?? REQUEST_TIMEOUT_MS);
    sock.on(target.tls ? 'secureConnect' : 'connect', () => sock.write(bytes));
    let followed = req.afterResponse === undefined;
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!followed && parseResponses(buf, head, false).responses.length > 0) {
        followed = true;
        sock.write(Buffer.from(target.fill(req.afterResponse ?? ''), 'latin1'));
      }
      if (raw) {
        clearTimeout(idle);
        idle = setTimeout(() => finish(false), RAW_IDLE_MS);
      } else if (parseResponses(buf, head, false).responses.length >= want) {
        finish(false);
      }
    });
    sock.on('end', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('error', (e: NodeJS.ErrnoException) =>
      finish(
        true,
        e.code === 'ECONNRESET' ? 'connection closed without a response' : `client error ${e.code ?? e.message}`,
      ),
    );
  });
}

function sendH2(req: Req, target: Target): Promise<Observed> {
  return new Promise((resolve) => {
    let done = false;
    const authority = `localhost:${target.port}`;
    const session = target.tls
      ? http2.connect(`https://${authority}`, {
          host: '127.0.0.1',
          servername: req.servername ?? 'localhost',
          rejectUnauthorized: false,
        } as http2.SecureClientSessionOptions)
      : http2.connect(`http://${authority}`, { host: '127.0.0.1' } as http2.ClientSessionOptions);
    const finish = (obs: Observed): void => {
      if (done) return;
      done = true;
      clearTimeout(overall);
      session.destroy();
      resolve(obs);
    };
    const overall = setTimeout(() => finish({ responses: [], error: 'timeout' }), req.timeoutMs ?? REQUEST_TIMEOUT_MS);
    session.on('error', (e: NodeJS.ErrnoException) =>
      finish({ responses: [], error: `h2 session error ${e.code ?? e.message}` }),
    );
    const headers: http2.OutgoingHttpHeaders = {
      ':method': req.method ?? 'GET',
      ':path': target.fill(req.path ?? '/'),
      'user-agent': 'proxy-diff/1',
    };
    for (const [k, v] of req.headers ?? []) {
      if (k.toLowerCase() === 'host') headers[':authority'] = target.fill(v);
      else headers[k.toLowerCase()] = target.fill(v);
    }
    const stream = session.request(headers, { endStream: req.body === undefined });
    const chunks: Buffer[] = [];
    let status = 0;
    const respHeaders = new Map<string, string[]>();
    stream.on('response', (h) => {
      status = Number(h[':status']);
      for (const [k, v] of Object.entries(h)) {
        if (k.startsWith(':') || v === undefined) continue;
        respHeaders.set(k, Array.isArray(v) ? v.map(String) : String(v).split(k === 'set-cookie' ? '\n' : /(?!)/));
      }
    });
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () =>
      finish({
        responses: status ? [{ status, headers: respHeaders, body: Buffer.concat(chunks), framing: 'h2' }] : [],
        error: status ? undefined : 'stream ended without a response',
      }),
    );
    stream.on('error', (e: NodeJS.ErrnoException) =>
      finish({
        responses: status ? [{ status, headers: respHeaders, body: Buffer.concat(chunks), framing: 'h2' }] : [],
        error: `h2 stream error ${e.code ?? e.message}`,
      }),
    );
    if (req.body !== undefined) stream.end(target.fill(req.body));
  });
}
