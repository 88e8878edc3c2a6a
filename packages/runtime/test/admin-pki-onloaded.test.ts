/**
 * @module admin-pki-onloaded.test: what `proxy trust` and `run --resume` rely on: GET /pki/ca/<id> answers the CA's
 * root certificate, and LoadOptions.onLoaded sees every config that starts serving (first load and admin reloads).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index.js';
import { freePort } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'admin-pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function admin(port: number, method: string, p: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p, method, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          text += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body ?? '');
  });
}

describe('admin API: GET /pki/ca/<id>, and onLoaded', () => {
  it('answers the root of the local CA and of configured CAs, 404 for others; onLoaded sees each loaded config', async () => {
    const adminPort = await freePort();
    const cfg = (label: string) => ({
      admin: { listen: `127.0.0.1:${adminPort}` },
      storage: { module: 'file_system', root: dir },
      // The CA's name tells the configs apart.
      apps: { pki: { certificate_authorities: { corp: { name: `Corp CA ${label}` } } } },
    });
    const seen: unknown[] = [];
    const inst = await loadConfig(cfg('one'), {
      onLoaded: (json) => {
        seen.push((json as ReturnType<typeof cfg>).apps.pki.certificate_authorities.corp.name);
      },
      logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
    });
    try {
      expect(seen).toEqual(['Corp CA one']);
      const local = await admin(adminPort, 'GET', '/pki/ca/local');
      expect(local.status).toBe(200);
      const parsed = JSON.parse(local.body) as { id: string; root_certificate: string };
      expect(parsed.id).toBe('local');
      expect(parsed.root_certificate).toBe(await inst.rootCertificate('local'));
      expect(parsed.root_certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const corp = JSON.parse((await admin(adminPort, 'GET', '/pki/ca/corp')).body) as { root_certificate: string };
      expect(corp.root_certificate).toBe(await inst.rootCertificate('corp'));
      expect(corp.root_certificate).not.toBe(parsed.root_certificate);
      const none = await admin(adminPort, 'GET', '/pki/ca/nope');
      expect(none.status).toBe(404);
      expect(JSON.parse(none.body)).toEqual({ error: 'no certificate authority configured with id: nope' });

      expect((await admin(adminPort, 'POST', '/load', JSON.stringify(cfg('two')))).status).toBe(200);
      expect(seen).toEqual(['Corp CA one', 'Corp CA two']);
      // A config that fails to load is not reported.
      const bad = { ...cfg('three'), apps: { http: { servers: { s: { listen: ['127.0.0.1:x'] } } } } };
      expect((await admin(adminPort, 'POST', '/load', JSON.stringify(bad))).status).toBe(400);
      expect(seen).toEqual(['Corp CA one', 'Corp CA two']);
    } finally {
      await inst.stop();
    }
  });
});
