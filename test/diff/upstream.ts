/**
 * @module diff/upstream: the upstreams both servers proxy to. Each echo server answers with JSON describing
 * what it received (method, target, version, headers, body), so a difference in what caddy and proxy forward
 * shows up as a body difference. A few paths steer the answer:
 *   /status/NNN      answers with status NNN
 *   ?set=Name:Value  adds a response header (repeatable)
 *   /health          200 on healthy upstreams, 503 on the sick one
 *   Upgrade: ...     101, then echoes the tunnelled bytes
 * `Connection: keep-alive` is not echoed: it restates HTTP/1.1's default.
 * Accept-Encoding is echoed only with ?show-ae: Go's transport (so caddy) adds `Accept-Encoding: gzip` when the
 * client sent none (and decompresses the answer itself); that one difference is shown by the requests that ask
 * for it instead of by every proxied body.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export interface Upstream {
  name: string;
  hostport: string;
  close(): Promise<void>;
}

export async function startEcho(name: string, healthy = true): Promise<Upstream> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://upstream');
      const showAe = url.searchParams.has('show-ae');
      const headers: Record<string, string> = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const k = (req.rawHeaders[i] ?? '').toLowerCase();
        const v = req.rawHeaders[i + 1] ?? '';
        // The HTTP/1.1 default said out loud (Node's agent does, Go's transport does not) is no difference.
        if (k === 'connection' && v.toLowerCase() === 'keep-alive') continue;
        if (k === 'accept-encoding' && !showAe) continue;
        headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
      }
      let status = 200;
      const m = /^\/status\/(\d{3})/.exec(url.pathname);
      if (m) status = Number(m[1]);
      if (url.pathname === '/health') status = healthy ? 200 : 503;
      for (const s of url.searchParams.getAll('set')) {
        const i = s.indexOf(':');
        if (i > 0) res.appendHeader(s.slice(0, i), s.slice(i + 1));
      }
      const sorted = Object.fromEntries(Object.entries(headers).sort(([a], [b]) => a.localeCompare(b)));
      const body = JSON.stringify({
        up: name,
        method: req.method,
        url: req.url,
        version: req.httpVersion,
        headers: sorted,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(status, { 'Content-Type': 'application/json', 'X-Upstream': name });
      res.end(status === 204 || status === 304 ? undefined : `${body}\n`);
    });
  });
  // Upgrades (websocket handshakes): 101, then every byte the client sends comes back prefixed with "echo:".
  const tunnels = new Set<Duplex>();
  server.on('upgrade', (req, socket, head) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade ?? ''}\r\nConnection: Upgrade\r\nX-Upstream: ${name}\r\n\r\n`,
    );
    const echo = (d: Buffer): void => {
      socket.write(Buffer.concat([Buffer.from('echo:'), d]));
    };
    if (head.length) echo(head);
    socket.on('data', echo);
  });
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    hostport: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of tunnels) t.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
