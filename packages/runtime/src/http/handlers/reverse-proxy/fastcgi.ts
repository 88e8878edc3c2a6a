/** @module http/handlers/reverse-proxy/fastcgi: the `fastcgi` transport (`http.reverse_proxy.transport.fastcgi`), e.g. for PHP-FPM. */
import net from 'node:net';
import path from 'node:path';
import { finished, PassThrough, type Readable } from 'node:stream';
import type { Logger } from 'pino';
import { durationOr, type FastcgiTransport as FastcgiJson } from '@proxy/contract';
import { compileTemplate, type Template } from '../../../util/template.js';
import { HandlerError } from '../../errors.js';
import type { Header } from '../../header.js';
import { requestResolver } from '../../replacer.js';
import type { HttpRequest } from '../../request.js';
import type { UpstreamHost } from './upstream.js';

/** The transport's fields (the reverse_proxy handler has read `protocol`). */
type FastcgiConfig = Omit<FastcgiJson, 'protocol'>;

const FCGI_BEGIN = 1;
const FCGI_END = 3;
const FCGI_PARAMS = 4;
const FCGI_STDIN = 5;
const FCGI_STDOUT = 6;
const FCGI_STDERR = 7;

/** The most content one FastCGI record carries (its length field is 16 bits). */
const MAX_RECORD = 65535;

function record(type: number, body: Buffer): Buffer {
  const pad = (8 - (body.length % 8)) % 8;
  const h = Buffer.alloc(8);
  h[0] = 1;
  h[1] = type;
  h.writeUInt16BE(1, 2);
  h.writeUInt16BE(body.length, 4);
  h[6] = pad;
  return Buffer.concat([h, body, Buffer.alloc(pad)]);
}

function lenBytes(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

/**
 * The params as FCGI_PARAMS records, whole pairs per record: PHP parses each record on its own, so a pair
 * must not span two. A pair too large for one record has its value cut to fit, as Caddy's fcgi client does
 * (writePairs), so a request with a header of more than 64 KiB still reaches the application.
 */
function encodeParams(env: Map<string, string>): Buffer[] {
  // Content plus padding must stay within 16 bits for PHP (fastcgi.c refuses more): 65528 pads to itself.
  const max = MAX_RECORD - 7;
  const out: Buffer[] = [];
  let cur: Buffer[] = [];
  let size = 0;
  for (const [k, v] of env) {
    const kb = Buffer.from(k);
    let vb = Buffer.from(v);
    if (8 + kb.length + vb.length > max) vb = vb.subarray(0, Math.max(0, max - 8 - kb.length));
    const pair = Buffer.concat([lenBytes(kb.length), lenBytes(vb.length), kb, vb]);
    if (size + pair.length > max && cur.length) {
      out.push(record(FCGI_PARAMS, Buffer.concat(cur)));
      cur = [];
      size = 0;
    }
    cur.push(pair);
    size += pair.length;
  }
  if (cur.length) out.push(record(FCGI_PARAMS, Buffer.concat(cur)));
  out.push(record(FCGI_PARAMS, Buffer.alloc(0)));
  return out;
}

/** The response of a FastCGI application. */
export interface FastcgiResponse {
  statusCode: number;
  statusMessage: string;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** A compiled fastcgi transport. */
export class FastcgiTransport {
  private readonly root: Template;
  private readonly env: Array<[string, Template]>;
  readonly dialTimeoutMs: number;
  private readonly readTimeoutMs: number;
  constructor(
    private readonly c: FastcgiConfig,
    envVars: NodeJS.ProcessEnv,
    private readonly log: Logger,
  ) {
    this.root = compileTemplate(c.root ?? '{http.vars.root}', envVars);
    this.env = Object.entries(c.env ?? {}).map(([k, v]) => [k, compileTemplate(v, envVars)]);
    this.dialTimeoutMs = durationOr(c.dial_timeout, 3000);
    this.readTimeoutMs = durationOr(c.read_timeout, 0);
  }

  /** The CGI/1.1 environment for the request, like Caddy's buildEnv. */
  private buildEnv(r: HttpRequest, method: string, uri: string, h: Header): Map<string, string> {
    const res = requestResolver(r);
    const root = path.resolve(this.root.render(res) || '.');
    const q = uri.indexOf('?');
    let fpath = q < 0 ? uri : uri.slice(0, q);
    try {
      fpath = decodeURIComponent(fpath);
    } catch {
      /* keep as sent */
    }
    // Caddy's splitPos: without split_path the whole path is PATH_INFO (and SCRIPT_NAME is empty).
    let split = this.c.split_path?.length ? -1 : 0;
    for (const sp of this.c.split_path ?? []) {
      const i = fpath.toLowerCase().indexOf(sp.toLowerCase());
      if (i >= 0) {
        split = i + sp.length;
        break;
      }
    }
    const docUri = split >= 0 ? fpath.slice(0, split) : fpath;
    const scriptName = split >= 0 ? fpath.slice(0, split) : fpath;
    // php_fastcgi rewrites "/index.php/extra" to "/index.php" first; the file matcher kept "/extra" for us.
    const pathInfo = (split >= 0 ? fpath.slice(split) : '') || (r.extra.get('http.matchers.file.remainder') ?? '');
    const [host, port] = r.hostport.startsWith('[')
      ? [r.hostport.slice(1, r.hostport.indexOf(']')), r.hostport.split(']:')[1] ?? '']
      : [r.hostport.split(':')[0] ?? '', r.hostport.split(':')[1] ?? ''];
    const env = new Map<string, string>([
      // Caddy's fcgi client always sends a length, and a form type for methods other than GET, HEAD and OPTIONS.
      ['AUTH_TYPE', ''],
      ['CONTENT_LENGTH', h.get('content-length') ?? '0'],
      [
        'CONTENT_TYPE',
        h.get('content-type') ||
          (['GET', 'HEAD', 'OPTIONS'].includes(method) ? '' : 'application/x-www-form-urlencoded'),
      ],
      ['GATEWAY_INTERFACE', 'CGI/1.1'],
      ['PATH_INFO', pathInfo],
      ['QUERY_STRING', q < 0 ? '' : uri.slice(q + 1)],
      ['REMOTE_ADDR', r.conn.remoteAddress],
      ['REMOTE_HOST', r.conn.remoteAddress],
      ['REMOTE_PORT', String(r.conn.remotePort)],
      ['REMOTE_IDENT', ''],
      ['REMOTE_USER', r.extra.get('http.auth.user.id') ?? ''],
      ['REQUEST_METHOD', method],
      ['REQUEST_SCHEME', r.scheme],
      ['SERVER_NAME', host],
      ['SERVER_PROTOCOL', r.proto],
      ['SERVER_SOFTWARE', 'proxy'],
      ['DOCUMENT_ROOT', root],
      ['DOCUMENT_URI', docUri],
      ['HTTP_HOST', r.hostport],
      ['REQUEST_URI', r.originalUri],
      ['SCRIPT_FILENAME', path.join(root, scriptName)],
      ['SCRIPT_NAME', scriptName && !scriptName.startsWith('/') ? `/${scriptName}` : scriptName],
      ['SERVER_PORT', port || (r.scheme === 'https' ? '443' : '80')],
    ]);
    if (pathInfo) env.set('PATH_TRANSLATED', path.join(root, pathInfo));
    if (r.tls) {
      env.set('HTTPS', 'on');
      // mod_ssl's names, which Caddy passes too: "TLSv1.3" and the IANA suite name (Go's names are the IANA ones).
      const proto = r.tls.getProtocol();
      if (proto?.startsWith('TLSv')) env.set('SSL_PROTOCOL', proto);
      const cipher = r.tls.getCipher()?.standardName;
      if (cipher) env.set('SSL_CIPHER', cipher);
    }
    for (const [k, v] of h.entries()) {
      const name = `HTTP_${k.toUpperCase().replace(/-/g, '_')}`;
      if (name === 'HTTP_PROXY') continue; // httpoxy
      if (name !== 'HTTP_CONTENT_TYPE' && name !== 'HTTP_CONTENT_LENGTH') env.set(name, v.join(', '));
    }
    for (const [k, t] of this.env) env.set(k, t.render(res));
    return env;
  }

  /** Runs the request against the FastCGI server at `u`. Dial failures reject with `dialError`. */
  roundTrip(
    u: UpstreamHost,
    r: HttpRequest,
    method: string,
    uri: string,
    h: Header,
    body: Readable | undefined,
    dialError: (m: string) => Error,
  ): Promise<FastcgiResponse> {
    const env = this.buildEnv(r, method, uri, h);
    return new Promise((resolve, reject) => {
      const sock = u.dial.startsWith('unix/') ? net.connect(u.dial.slice(5)) : net.connect(u.port, u.host);
      let connected = false;
      let settled = false; // resolved with a response, or rejected
      let done = false; // failed, or the response ended
      const out = new PassThrough();
      // Whoever reads the response body sees its errors through its own listener; one that stopped reading
      // (handle_response routes that ignore the body) must not turn them into an uncaught 'error' event.
      out.on('error', () => {});
      let head = Buffer.alloc(0);
      let buf = Buffer.alloc(0);
      // Exactly one outcome: a rejection before the response, or an error on its body after; later failures
      // (a dial timer firing after a refused dial, a close after an error) are ignored.
      const fail = (e: Error) => {
        clearTimeout(dialTimer);
        sock.destroy();
        if (done) return;
        done = true;
        if (!settled) {
          settled = true;
          reject(e);
        } else out.destroy(e);
      };
      const dialTimer: NodeJS.Timeout = setTimeout(() => {
        if (!connected) fail(dialError('dial timeout'));
      }, this.dialTimeoutMs);
      // A request body that fails (the client went away, request_body's limit) ends the exchange at once,
      // also before the connection is up: the application would otherwise wait for the rest of stdin forever.
      if (body) {
        finished(body, (e) => {
          if (e) fail(e instanceof HandlerError ? e : new HandlerError(400, `reading the request body: ${e.message}`));
        });
      }
      if (this.readTimeoutMs > 0)
        sock.setTimeout(this.readTimeoutMs, () => fail(new HandlerError(504, 'fastcgi read timeout')));
      sock.on('error', (e) => fail(connected ? new HandlerError(502, e.message) : dialError(e.message)));
      sock.on('connect', () => {
        connected = true;
        clearTimeout(dialTimer);
        // Whatever goes wrong while writing the request ends this exchange, never the process (this runs
        // from a socket event, outside any handler's try).
        try {
          const begin = Buffer.alloc(8);
          begin.writeUInt16BE(1, 0); // role: responder; flags: close the connection after
          sock.write(record(FCGI_BEGIN, begin));
          for (const rec of encodeParams(env)) sock.write(rec);
          if (!body) {
            sock.write(record(FCGI_STDIN, Buffer.alloc(0)));
            return;
          }
          body.on('data', (c: Buffer) => {
            for (let i = 0; i < c.length; i += MAX_RECORD)
              sock.write(record(FCGI_STDIN, c.subarray(i, i + MAX_RECORD)));
          });
          body.on('end', () => sock.write(record(FCGI_STDIN, Buffer.alloc(0))));
        } catch (e) {
          fail(new HandlerError(502, `writing the FastCGI request: ${(e as Error).message}`));
        }
      });
      const onStdout = (data: Buffer) => {
        if (done) return;
        if (settled) {
          out.write(data);
          return;
        }
        head = Buffer.concat([head, data]);
        let end = head.indexOf('\r\n\r\n');
        let sepLen = 4;
        if (end < 0) {
          end = head.indexOf('\n\n');
          sepLen = 2;
        }
        if (end < 0) {
          if (head.length > 1 << 20) fail(new HandlerError(502, 'fastcgi response headers too large'));
          return;
        }
        const headers: Record<string, string | string[]> = {};
        let status = 200;
        let statusMessage = '';
        let sawStatus = false;
        for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
          const i = line.indexOf(':');
          if (i <= 0) continue;
          const k = line.slice(0, i).trim();
          const v = line.slice(i + 1).trim();
          // The first CGI Status sets the code; like Caddy, the field itself also stays in the response header.
          if (k.toLowerCase() === 'status' && !sawStatus) {
            sawStatus = true;
            status = Number(v.split(' ')[0]) || 200;
            statusMessage = v.split(' ').slice(1).join(' ');
          }
          const prev = headers[k.toLowerCase()];
          headers[k.toLowerCase()] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
        settled = true;
        resolve({ statusCode: status, statusMessage, headers, body: out });
        const rest = head.subarray(end + sepLen);
        if (rest.length) out.write(rest);
      };
      sock.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        while (buf.length >= 8) {
          const type = buf[1]!;
          const len = buf.readUInt16BE(4);
          const pad = buf[6]!;
          if (buf.length < 8 + len + pad) break;
          const content = buf.subarray(8, 8 + len);
          buf = buf.subarray(8 + len + pad);
          if (type === FCGI_STDOUT && len) onStdout(content);
          else if (type === FCGI_STDERR && len) this.log.warn({ stderr: content.toString() }, 'fastcgi stderr');
          else if (type === FCGI_END) {
            if (!settled) fail(new HandlerError(502, 'fastcgi application sent no response'));
            else if (!done) {
              done = true;
              out.end();
            }
            sock.end();
          }
        }
      });
      sock.on('close', () => {
        if (!settled)
          fail(connected ? new HandlerError(502, 'fastcgi connection closed') : dialError('connection closed'));
        else if (!done) {
          done = true;
          out.end();
        }
      });
    });
  }
}
