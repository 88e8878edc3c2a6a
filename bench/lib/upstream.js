/**
 * @module bench/lib/upstream: the upstreams (a child process of the harness): `source` sends bytes as fast as the
 * reader takes them, `greet` says "hi\n" and then idles; both over TCP and over TLS. Prints its ports as JSON.
 * Usage: node upstream.js CERT KEY
 */
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

const [cert, key] = process.argv.slice(2);
const chunk = Buffer.alloc(256 * 1024, 'x');

/** Writes chunk after chunk, waiting for 'drain' (bounded by the peer: it stops when the socket closes). */
function source(sock) {
  sock.on('error', () => {});
  const pump = () => {
    while (!sock.destroyed && sock.write(chunk));
    if (!sock.destroyed) sock.once('drain', pump);
  };
  pump();
}
function greet(sock) {
  sock.on('error', () => {});
  sock.on('data', () => {});
  sock.write('hi\n');
}

const opts = { cert: readFileSync(cert), key: readFileSync(key) };
const servers = {
  source: net.createServer(source),
  greet: net.createServer(greet),
  tlsSource: tls.createServer(opts, source),
  tlsGreet: tls.createServer(opts, greet),
};
const ports = {};
await Promise.all(
  Object.entries(servers).map(
    ([name, s]) =>
      new Promise((resolve) => {
        s.on('tlsClientError', () => {});
        s.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
          ports[name] = s.address().port;
          resolve();
        });
      }),
  ),
);
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
