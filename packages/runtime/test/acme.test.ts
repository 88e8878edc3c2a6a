import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand, type Pebble, startPebble } from '../../../test/pebble-support.js';
import { freePort, start, type Started } from './helpers.js';

/** Pebble on loopback plus the proxy with an ACME issuer for localhost; `tlsAlpn` points pebble's tls-alpn-01 port at the proxy's HTTPS port. */
function pebbleAndProxy(opts: { tlsAlpn: boolean }) {
  const ctx = {
    dir: '',
    pebble: undefined as Pebble | undefined,
    s: undefined as Started | undefined,
    httpsPort: 0,
  };
  beforeAll(async () => {
    ctx.dir = mkdtempSync(path.join(tmpdir(), 'proxy-acme-'));
    const dir = ctx.dir;
    const [httpPort, tlsPort] = [await freePort(), await freePort()];
    ctx.httpsPort = opts.tlsAlpn ? tlsPort : await freePort();
    ctx.pebble = await startPebble(dir, { httpPort, tlsPort });
    const issuer = {
      module: 'acme',
      ca: ctx.pebble.directory,
      email: 'test@example.org',
      trusted_roots_pem_files: [ctx.pebble.caCert],
      ...(opts.tlsAlpn ? { challenges: { http: { disabled: true } } } : {}),
    };
    ctx.s = await start({
      apps: {
        // With tls-alpn-01 the proxy's HTTP port is not pebble's, so http-01 could not succeed even if it were tried.
        http: {
          http_port: opts.tlsAlpn ? await freePort() : httpPort,
          https_port: ctx.httpsPort,
          servers: {
            srv0: {
              listen: [`127.0.0.1:${ctx.httpsPort}`],
              routes: [{ match: [{ host: ['localhost'] }], handle: [{ handler: 'static_response', body: 'acme ok' }] }],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [issuer] }] } },
      },
    });
  });
  afterAll(async () => {
    await ctx.s?.close();
    ctx.pebble?.stop();
    rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

/** The issuer of the certificate served for localhost, once it is no longer the placeholder (bounded wait). */
async function servedIssuer(port: number): Promise<string | undefined> {
  let issuer: string | undefined;
  for (let i = 0; i < 100 && !/Pebble/.test(issuer ?? ''); i++) {
    await new Promise((r) => setTimeout(r, 200));
    issuer = await new Promise<string | undefined>((resolve) => {
      const c = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
        const cert = c.getPeerX509Certificate();
        c.end();
        resolve(cert?.issuer);
      });
      c.on('error', () => resolve(undefined));
    });
  }
  return issuer;
}

describe.runIf(hasCommand('pebble'))('ACME issuer against pebble (http-01)', () => {
  const ctx = pebbleAndProxy({ tlsAlpn: false });
  it('obtains a certificate with a validated http-01 challenge and serves it', async () => {
    expect(await servedIssuer(ctx.httpsPort)).toMatch(/Pebble/);
    expect(ctx.pebble!.log()).toContain('Attempting to validate w/ HTTP');
    expect(ctx.s!.logs.join('')).toContain('certificate obtained successfully');
  });
});

describe.runIf(hasCommand('pebble'))('ACME issuer against pebble (tls-alpn-01)', () => {
  const ctx = pebbleAndProxy({ tlsAlpn: true });
  it('with http-01 disabled, answers the tls-alpn-01 challenge on the HTTPS port and serves the certificate', async () => {
    expect(await servedIssuer(ctx.httpsPort)).toMatch(/Pebble/);
    // Pebble logs only its HTTP attempts by type; the proxy logs each tls-alpn-01 handshake it answers (as certmagic does).
    expect(ctx.pebble!.log()).toMatch(/set VALID by completed challenge/);
    expect(ctx.pebble!.log()).not.toContain('Attempting to validate w/ HTTP');
    const served = ctx
      .s!.logs.map((l) => JSON.parse(l) as { msg?: string; challenge?: string; server_name?: string })
      .filter((l) => l.msg === 'served key authentication certificate');
    expect(served.length).toBeGreaterThan(0);
    expect(served[0]).toMatchObject({ challenge: 'tls-alpn-01', server_name: 'localhost' });
    expect(ctx.s!.logs.join('')).toContain('certificate obtained successfully');
  });
});
