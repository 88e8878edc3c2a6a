/**
 * @module traefik-static-e2e: Traefik's static configuration through `proxy run --adapter traefik`:
 * certificate resolvers against Debian's `pebble` (a TCP TLS router gets its certificate over tls-alpn-01, another
 * over http-01 answered on the `httpChallenge` entry point), that entry point's redirection, a UDP router, the
 * inFlightConn middleware, and `--watch` picking up a changed dynamic file.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, freePort, isolatedEnv, type Server, serveProxy, until } from './cli-support.js';
import { connectable, hasCommand, type Pebble } from './pebble-support.js';
import { startTraefikWithPebble } from './traefik-pebble-support.js';

const listen = (s: net.Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve((s.address() as net.AddressInfo).port)));

/** A TCP server answering each chunk with `tag:` + it, keeping the connection open (or closing it: `end`). */
async function tagged(tag: string, end = false): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    s.on('data', (d) => (end ? s.end(`${tag}:${d.toString()}`) : s.write(`${tag}:${d.toString()}`)));
  });
  const port = await listen(server);
  return {
    port,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe.runIf(hasCommand('pebble') && hasCommand('pebble-challtestsrv'))('certificate resolvers with pebble', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-acme-'));
  let pebble: Pebble;
  let server: Server;
  let webPort = 0;
  let securePort = 0;
  let echo: { port: number; close(): void };

  beforeAll(async () => {
    echo = await tagged('echo', true);
    ({ server, pebble, webPort, securePort } = await startTraefikWithPebble(
      dir,
      `tcp:
  routers:
    by-rule:
      entryPoints: [websecure]
      rule: "HostSNI(\`db.pebble.test\`)"
      service: echo
      tls:
        certResolver: alpn
    by-domains:
      entryPoints: [websecure]
      rule: "HostSNIRegexp(\`^.+\\\\.http\\\\.test$\`)"
      service: echo
      tls:
        certResolver: http
        domains:
          - main: a.http.test
  services:
    echo:
      loadBalancer:
        servers: [{address: "127.0.0.1:${echo.port}"}]
`,
    ));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    pebble?.stop();
    echo?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** openssl s_client with SNI, once pebble's certificate is served (bounded wait). */
  async function pebbleIssued(servername: string): Promise<string> {
    return until(
      async () => {
        const r = await exec(
          'openssl',
          ['s_client', '-connect', `127.0.0.1:${securePort}`, '-servername', servername, '-ign_eof'],
          { input: 'ping\n', timeoutMs: 15_000 },
        );
        if (!/issuer=.*Pebble/.test(r.stdout)) throw new Error(`not issued yet:\n${r.stdout}`);
        return r.stdout;
      },
      150,
      200,
    ).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}\n${server.output()}\n${pebble.log()}`);
    });
  }

  it('a TCP TLS router with a tlsChallenge resolver gets its HostSNI name from pebble over tls-alpn-01', async () => {
    const out = await pebbleIssued('db.pebble.test');
    expect(out).toMatch(/subject=CN ?= ?db\.pebble\.test/);
    // keyType EC256
    expect(out).toMatch(/prime256v1|P-256|256 bit/);
    // and the connection goes on to the service, decrypted
    expect(out).toContain('echo:ping');
    // answered by the layer4 tls handler (pebble validates on the websecure port only)
    expect(server.output()).toMatch(/layer4 tls: served key authentication certificate/);
  }, 60_000);

  it('a router with tls.domains gets its main domain over http-01, answered on the httpChallenge entry point', async () => {
    const out = await pebbleIssued('a.http.test');
    expect(out).toMatch(/subject=CN ?= ?a\.http\.test/);
    expect(out).toMatch(/secp384r1|P-384|384 bit/);
    expect(pebble.log()).toMatch(/validate w\/ HTTP: http:\/\/a\.http\.test:/);
  }, 60_000);

  it('keeps the certificates in the folder of the resolvers storage (Caddy layout)', async () => {
    await pebbleIssued('db.pebble.test');
    const found = fs.readdirSync(path.join(dir, 'acme'), { recursive: true }).map(String);
    expect(found.some((f) => f.endsWith(path.join('db.pebble.test', 'db.pebble.test.crt')))).toBe(true);
  }, 60_000);

  it('redirects the web entry point to websecure: 301 for GET, 308 for POST', async () => {
    const get = await exec('curl', ['-sS', '-o', '/dev/null', '-D', '-', `http://127.0.0.1:${webPort}/a/b?c=d`]);
    expect(get.stdout).toMatch(/^HTTP\/1\.1 301/);
    expect(get.stdout).toMatch(new RegExp(`Location: https://127\\.0\\.0\\.1:${securePort}/a/b\\?c=d`, 'i'));
    const post = await exec('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-D',
      '-',
      '-X',
      'POST',
      `http://127.0.0.1:${webPort}/`,
    ]);
    expect(post.stdout).toMatch(/^HTTP\/1\.1 308/);
  });
});

describe('UDP routers, inFlightConn and --watch', () => {
  let dir: string;
  let server: Server;
  let tcpPort: number;
  let udpPort: number;
  let webPort: number;
  let a: { port: number; close(): void };
  let b: { port: number; close(): void };
  let udpEcho: dgram.Socket;
  let dynamicFile: string;

  const dynamic = (service: number, amount: number): string => `tcp:
  routers:
    all:
      entryPoints: [tcp]
      rule: "HostSNI(\`*\`)"
      service: s
      middlewares: [limit]
  middlewares:
    limit:
      inFlightConn:
        amount: ${amount}
  services:
    s:
      loadBalancer:
        servers: [{address: "127.0.0.1:${service}"}]
udp:
  routers:
    u:
      service: u
  services:
    u:
      loadBalancer:
        servers: [{address: "127.0.0.1:${(udpEcho.address() as net.AddressInfo).port}"}]
`;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-udp-'));
    [a, b] = [await tagged('A'), await tagged('B')];
    udpEcho = dgram.createSocket('udp4');
    udpEcho.on('message', (m, r) => udpEcho.send(Buffer.concat([Buffer.from('udp:'), m]), r.port, r.address));
    await new Promise<void>((r) => udpEcho.bind(0, '127.0.0.1', r));
    [tcpPort, udpPort, webPort] = [await freePort(), await freePort(), await freePort()];
    const staticFile = path.join(dir, 'traefik.toml');
    fs.writeFileSync(
      staticFile,
      `[entryPoints.tcp]
  address = "127.0.0.1:${tcpPort}"
[entryPoints.udp]
  address = "127.0.0.1:${udpPort}/udp"
[entryPoints.web]
  address = "127.0.0.1:${webPort}"
  [entryPoints.web.proxyProtocol]
    trustedIPs = ["127.0.0.1"]
  [entryPoints.web.http.redirections.entryPoint]
    to = "tcp"
    scheme = "https"
    permanent = false
`,
    );
    dynamicFile = path.join(dir, 'dynamic.yml');
    fs.writeFileSync(dynamicFile, dynamic(a.port, 2));
    server = serveProxy(
      ['run', '--adapter', 'traefik', '--config', dynamicFile, '--static', staticFile, '--watch'],
      isolatedEnv(dir, { CADDY_ADMIN: `127.0.0.1:${await freePort()}` }),
    );
    await until(() => connectable(tcpPort), 150, 100);
  });

  afterAll(async () => {
    await server?.stop();
    a?.close();
    b?.close();
    udpEcho?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Connects, sends `data` and resolves with the first answer ('' if the proxy closes first). */
  function ask(data: string): Promise<{ socket: net.Socket; answer: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(tcpPort, '127.0.0.1', () => socket.write(data));
      socket.once('data', (d) => resolve({ socket, answer: d.toString() }));
      socket.once('close', () => resolve({ socket, answer: '' }));
      socket.on('error', () => undefined);
      socket.setTimeout(10_000, () => reject(new Error('timeout')));
    });
  }

  it('proxies UDP datagrams of a UDP entry point to the service', async () => {
    const client = dgram.createSocket('udp4');
    try {
      const answer = await until(
        () =>
          new Promise<string>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error('no answer')), 1000);
            client.once('message', (m) => {
              clearTimeout(t);
              resolve(m.toString());
            });
            client.send('hello', udpPort, '127.0.0.1');
          }),
        20,
        100,
      );
      expect(answer).toBe('udp:hello');
    } finally {
      client.close();
    }
  });

  it('an HTTP entry point with proxyProtocol takes a PROXY header before the request, and redirects (302: not permanent)', async () => {
    const response = await new Promise<string>((resolve, reject) => {
      const s = net.connect(webPort, '127.0.0.1', () =>
        s.write(
          'PROXY TCP4 10.9.8.7 127.0.0.1 4000 80\r\nGET /p?q=1 HTTP/1.1\r\nHost: h.example\r\nConnection: close\r\n\r\n',
        ),
      );
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
      s.on('error', reject);
      s.setTimeout(10_000, () => s.destroy(new Error('timeout')));
    });
    expect(response).toMatch(/^HTTP\/1\.1 302/);
    expect(response).toMatch(new RegExp(`location: https://h\\.example:${tcpPort}/p\\?q=1`, 'i'));
  });

  it('inFlightConn: the connection over the amount is closed, the others are served', async () => {
    const first = await ask('1');
    const second = await ask('2');
    expect([first.answer, second.answer]).toEqual(['A:1', 'A:2']);
    const third = await ask('3');
    expect(third.answer).toBe('');
    first.socket.destroy();
    second.socket.destroy();
    third.socket.destroy();
  });

  it('--watch: a changed dynamic file is served without a restart', async () => {
    fs.writeFileSync(dynamicFile, dynamic(b.port, 5));
    const answer = await until(
      async () => {
        const r = await ask('w');
        r.socket.destroy();
        if (r.answer !== 'B:w') throw new Error(`still ${r.answer}`);
        return r.answer;
      },
      100,
      100,
    );
    expect(answer).toBe('B:w');
    expect(server.output()).toMatch(/config reloaded/);
    // An editor saving through a rename replaces the file: the new one is watched too.
    const tmp = `${dynamicFile}.tmp`;
    fs.writeFileSync(tmp, dynamic(a.port, 5));
    fs.renameSync(tmp, dynamicFile);
    await until(
      async () => {
        const r = await ask('r');
        r.socket.destroy();
        if (r.answer !== 'A:r') throw new Error(`still ${r.answer}`);
      },
      100,
      100,
    );
    fs.writeFileSync(dynamicFile, dynamic(b.port, 5));
    await until(
      async () => {
        const r = await ask('s');
        r.socket.destroy();
        if (r.answer !== 'B:s') throw new Error(`still ${r.answer}`);
      },
      100,
      100,
    );
    // the UDP entry point survived the reloads (its socket is shared, not bound again)
    expect(server.output()).not.toMatch(/EADDRINUSE/);
  });
});
