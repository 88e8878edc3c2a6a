/**
 * @module listen/http-redirect: the `http_redirect` listener wrapper (`caddy.listeners.http_redirect`): on a
 * TLS port, answers plaintext HTTP requests with a redirect to HTTPS instead of a failed handshake.
 */
import type { Duplex } from 'node:stream';
import type { ListenerWrapper } from '../listener-wrapper.js';

/** Reads until the end of the request head (bounded), without giving bytes back. */
function readHead(conn: Duplex, max: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let buf = '';
    const done = (v: string | undefined) => {
      clearTimeout(t);
      conn.off('data', onData);
      resolve(v);
    };
    const onData = (c: Buffer) => {
      buf += c.toString('latin1');
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) done(buf.slice(0, end));
      else if (buf.length > max) done(undefined);
    };
    const t = setTimeout(() => done(undefined), timeoutMs);
    conn.on('data', onData);
    conn.resume();
  });
}

/** Creates the wrapper. */
export function httpRedirectWrapper(json: Record<string, unknown>): ListenerWrapper {
  const max = typeof json['max_header_bytes'] === 'number' ? json['max_header_bytes'] : 1 << 20;
  return {
    name: 'http_redirect',
    async wrap(conn, info) {
      const first = await new Promise<Buffer | undefined>((resolve) => {
        conn.once('data', (c: Buffer) => {
          conn.pause();
          conn.unshift(c);
          resolve(c);
        });
        conn.once('end', () => resolve(undefined));
        conn.resume();
      });
      if (!first) {
        conn.destroy();
        return null;
      }
      if (first[0] === 0x16 || !/^[A-Z]+ /.test(first.subarray(0, 8).toString('latin1'))) return conn;
      const head = await readHead(conn, max, 10_000);
      const [requestLine = '', ...lines] = (head ?? '').split('\r\n');
      const target = requestLine.split(' ')[1] ?? '/';
      const hostLine = lines.find((l) => /^host:/i.test(l));
      let host = hostLine ? hostLine.slice(5).trim() : info.localAddress;
      if (!hostLine && host.includes(':')) host = `[${host}]`;
      const hostOnly = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
      const location = `https://${hostOnly}${info.localPort === 443 ? '' : `:${info.localPort}`}${target.startsWith('/') ? target : '/'}`;
      conn.end(
        `HTTP/1.1 308 Permanent Redirect\r\nLocation: ${location.replace(/[\r\n]/g, '')}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return null;
    },
  };
}
