/**
 * @module traefik-acme-http-e2e: Traefik HTTP routers whose certificates come from certificate resolvers, served by
 * `proxy run --adapter traefik` against Debian's `pebble`: an HTTPS router gets its Host name over tls-alpn-01 (the
 * HTTP server's own handshake answers it), another its `tls.domains` over http-01 answered on an entry point that
 * otherwise only redirects to the HTTPS one; and the redirection leads to the router, verified with pebble's root.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, type Server, until } from './cli-support.js';
import { hasCommand, type Pebble } from './pebble-support.js';
import { startTraefikWithPebble } from './traefik-pebble-support.js';

describe.runIf(hasCommand('pebble') && hasCommand('pebble-challtestsrv') && hasCommand('curl'))(
  'HTTP routers with pebble certificates',
  () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traefik-acme-http-'));
    let pebble: Pebble;
    let server: Server;
    let upstream: http.Server;
    let webPort = 0;
    let securePort = 0;
    /** pebble's root, fetched once the CA is up (it is generated at each start). */
    const rootFile = path.join(dir, 'pebble-root.pem');

    beforeAll(async () => {
      upstream = http.createServer((req, res) => res.end(`upstream ${req.headers.host} ${req.url}`));
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      const upstreamPort = (upstream.address() as net.AddressInfo).port;
      ({ server, pebble, webPort, securePort } = await startTraefikWithPebble(
        dir,
        `http:
  routers:
    app:
      entryPoints: [websecure]
      rule: "Host(\`app.pebble.test\`)"
      service: up
      tls:
        certResolver: alpn
    by-domains:
      entryPoints: [websecure]
      rule: "HostRegexp(\`^.+\\\\.http\\\\.test$\`)"
      service: up
      tls:
        certResolver: http
        domains:
          - main: a.http.test
  services:
    up:
      loadBalancer:
        servers: [{url: "http://127.0.0.1:${upstreamPort}"}]
`,
      ));
      const root = await until(
        async () => {
          const r = await exec('curl', ['-sSk', '--fail', `https://127.0.0.1:${pebble.mgmtPort}/roots/0`], {
            timeoutMs: 10_000,
          });
          if (!r.stdout.includes('BEGIN CERTIFICATE')) throw new Error(`no pebble root yet: ${r.stderr}`);
          return r.stdout;
        },
        50,
        200,
      );
      fs.writeFileSync(rootFile, root);
    }, 60_000);

    afterAll(async () => {
      await server?.stop();
      pebble?.stop();
      upstream?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** curl over HTTPS to `host` on the websecure port, trusting pebble's root only. */
    function curlTls(host: string, extra: string[] = []) {
      return exec(
        'curl',
        [
          '-sS',
          '--cacert',
          rootFile,
          '--resolve',
          `${host}:${securePort}:127.0.0.1`,
          '--resolve',
          `${host}:${webPort}:127.0.0.1`,
          '-D',
          '-',
          ...extra,
        ],
        { timeoutMs: 15_000 },
      );
    }

    /** Waits (bounded) until `host` is served with a certificate that verifies against pebble's root. */
    async function verified(host: string): Promise<string> {
      return until(
        async () => {
          const r = await curlTls(host, [`https://${host}:${securePort}/hello?x=1`]);
          if (r.code !== 0) throw new Error(`not verified yet: ${r.stderr}`);
          return r.stdout;
        },
        150,
        200,
      ).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}\n${server.output()}\n${pebble.log()}`);
      });
    }

    it('an HTTPS router with a tlsChallenge resolver serves its Host name with a certificate pebble issued', async () => {
      const out = await verified('app.pebble.test');
      expect(out).toMatch(/^HTTP\/(1\.1|2) 200/);
      expect(out).toContain(`upstream app.pebble.test:${securePort} /hello?x=1`);
      const s = await exec(
        'openssl',
        ['s_client', '-connect', `127.0.0.1:${securePort}`, '-servername', 'app.pebble.test'],
        { input: '', timeoutMs: 15_000 },
      );
      expect(s.stdout).toMatch(/issuer=.*Pebble/);
      expect(s.stdout).toMatch(/subject=CN ?= ?app\.pebble\.test/);
      expect(s.stdout).toMatch(/prime256v1|P-256|256 bit/);
      // answered by the HTTPS server's handshake (pebble validates tls-alpn-01 on the websecure port only)
      expect(server.output()).toMatch(/served key authentication certificate/);
      expect(server.output()).not.toMatch(/layer4 tls: served/);
    }, 60_000);

    it('a router with tls.domains gets them over http-01, answered on the entry point that redirects', async () => {
      const out = await verified('a.http.test');
      expect(out).toContain(`upstream a.http.test:${securePort} /hello?x=1`);
      expect(pebble.log()).toMatch(/validate w\/ HTTP: http:\/\/a\.http\.test:/);
    }, 60_000);

    it('the web entry point redirects to websecure, where the router answers over the verified certificate', async () => {
      await verified('app.pebble.test');
      const direct = await curlTls('app.pebble.test', [`http://app.pebble.test:${webPort}/p?q=1`]);
      expect(direct.stdout).toMatch(/^HTTP\/1\.1 301/);
      expect(direct.stdout).toMatch(new RegExp(`Location: https://app\\.pebble\\.test:${securePort}/p\\?q=1`, 'i'));
      const followed = await curlTls('app.pebble.test', ['-L', `http://app.pebble.test:${webPort}/p?q=1`]);
      expect(followed.code).toBe(0);
      expect(followed.stdout).toMatch(/^HTTP\/1\.1 301[\s\S]*HTTP\/(1\.1|2) 200/);
      expect(followed.stdout).toContain(`upstream app.pebble.test:${securePort} /p?q=1`);
      // A name no router takes gets Traefik's 404 over the default certificate, not a redirect loop.
      const other = await exec('curl', [
        '-sSk',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        `https://127.0.0.1:${securePort}/`,
      ]);
      expect(other.stdout).toBe('404');
    }, 60_000);
  },
);
