import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, start, type Started } from './helpers.js';

function hasPebble(): boolean {
  try { execFileSync('sh', ['-c', 'command -v pebble'], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe.runIf(hasPebble())('ACME issuer against pebble (http-01)', () => {
  let dir: string;
  let pebble: ChildProcess;
  let s: Started;
  let httpsPort: number;
  let pebbleLog = '';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-acme-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '2'], { cwd: dir, stdio: 'pipe' });
    const [acmePort, mgmtPort, httpPort, tlsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    httpsPort = await freePort();
    writeFileSync(path.join(dir, 'pebble.json'), JSON.stringify({ pebble: {
      listenAddress: `127.0.0.1:${acmePort}`, managementListenAddress: `127.0.0.1:${mgmtPort}`,
      certificate: path.join(dir, 'cert.pem'), privateKey: path.join(dir, 'key.pem'),
      httpPort, tlsPort, ocspResponderURL: '', externalAccountBindingRequired: false,
    } }));
    pebble = spawn('pebble', ['-config', path.join(dir, 'pebble.json')], { env: { ...process.env, PEBBLE_VA_NOSLEEP: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    pebble.stdout!.on('data', (d: Buffer) => { pebbleLog += d.toString(); });
    pebble.stderr!.on('data', (d: Buffer) => { pebbleLog += d.toString(); });
    for (let i = 0; i < 100 && !pebbleLog.includes('Listening on'); i++) await new Promise((r) => setTimeout(r, 100));
    s = await start({ apps: {
      http: { http_port: httpPort, https_port: httpsPort, servers: { srv0: { listen: [`127.0.0.1:${httpsPort}`], routes: [{ match: [{ host: ['localhost'] }], handle: [{ handler: 'static_response', body: 'acme ok' }] }] } } },
      tls: { automation: { policies: [{ issuers: [{ module: 'acme', ca: `https://127.0.0.1:${acmePort}/dir`, email: 'test@example.org', trusted_roots_pem_files: [path.join(dir, 'cert.pem')] }] }] } },
    } });
  });
  afterAll(async () => { await s?.close(); pebble?.kill(); rmSync(dir, { recursive: true, force: true }); });

  it('obtains a certificate with a validated http-01 challenge and serves it', async () => {
    let issuer: string | undefined;
    for (let i = 0; i < 100 && !issuer; i++) {
      await new Promise((r) => setTimeout(r, 200));
      issuer = await new Promise<string | undefined>((resolve) => {
        const c = tls.connect({ host: '127.0.0.1', port: httpsPort, servername: 'localhost', rejectUnauthorized: false }, () => { const cert = c.getPeerX509Certificate(); c.end(); resolve(cert?.issuer); });
        c.on('error', () => resolve(undefined));
      });
    }
    expect(issuer).toMatch(/Pebble/);
    expect(pebbleLog).toContain('Attempting to validate w/ HTTP');
    expect(s.logs.join('')).toContain('certificate obtained successfully');
  });
});
