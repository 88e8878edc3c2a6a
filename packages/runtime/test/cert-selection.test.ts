/**
 * A connection policy's `certificate_selection` picks among loaded certificates by serial number, subject
 * organization, public key algorithm and tags (Caddy's CustomCertSelectionPolicy); a name no certificate has makes
 * every certificate a choice, and a policy that leaves none fails the handshake.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, start, type Started } from './helpers.js';

/** A self-signed certificate for sel.localhost with this key, organization and serial. */
function makeCert(
  dir: string,
  name: string,
  key: string[],
  org: string,
  serial: string,
): { cert: string; key: string } {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      ...key,
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-subj',
      `/CN=sel.localhost/O=${org}`,
      '-addext',
      'subjectAltName=DNS:sel.localhost',
      '-set_serial',
      serial,
      '-days',
      '2',
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  return {
    cert: readFileSync(path.join(dir, `${name}.crt`), 'utf8'),
    key: readFileSync(path.join(dir, `${name}.key`), 'utf8'),
  };
}

/** SNI -> the selection of the policy that matches it. */
const POLICIES: Record<string, Record<string, unknown>> = {
  'tag-a.test': { any_tag: ['a', 'nope'] },
  'all-bx.test': { all_tags: ['b', 'x'] },
  'all-ax.test': { all_tags: ['a', 'x'] },
  'org-beta.test': { subject_organization: ['Beta'] },
  'serial.test': { serial_number: ['1001'] },
  'ecdsa.test': { public_key_algorithm: 'ecdsa' },
  'rsa.test': { public_key_algorithm: 'rsa' },
  'ecdsa-number.test': { public_key_algorithm: 3 },
  'sel.localhost': { subject_organization: ['Alpha'] },
};

describe('certificate_selection', () => {
  let dir: string;
  let s: Started;
  let certs: { certificate: string; key: string; tags: string[] }[];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-certsel-'));
    const a = makeCert(dir, 'a', ['rsa:2048'], 'Alpha', '1001');
    const b = makeCert(dir, 'b', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'Beta', '2002');
    certs = [
      { certificate: a.cert, key: a.key, tags: ['a'] },
      { certificate: b.cert, key: b.key, tags: ['b', 'x'] },
    ];
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [{ handle: [{ handler: 'static_response', body: 'ok' }] }],
              tls_connection_policies: Object.entries(POLICIES).map(([sni, sel]) => ({
                match: { sni: [sni] },
                certificate_selection: sel,
              })),
            },
          },
        },
        tls: {
          certificates: { load_pem: certs },
        },
      },
    });
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The organization of the certificate served for `servername`, or the handshake error. */
  const served = (servername: string) =>
    new Promise<string>((resolve) => {
      const c = tls.connect({ host: '127.0.0.1', port: s.port(), servername, rejectUnauthorized: false }, () => {
        resolve(c.getPeerX509Certificate()?.subject.match(/^O=(.*)$/m)?.[1] ?? '?');
        c.end();
      });
      c.on('error', (e) => resolve(`error: ${e.message}`));
    });

  it('selects by tags', async () => {
    expect(await served('tag-a.test')).toBe('Alpha');
    expect(await served('all-bx.test')).toBe('Beta');
    expect(await served('all-ax.test')).toMatch(/^error/);
  });

  it('selects by subject organization and serial number', async () => {
    expect(await served('org-beta.test')).toBe('Beta');
    expect(await served('serial.test')).toBe('Alpha');
  });

  it('selects by public key algorithm, by name or Go enum number', async () => {
    expect(await served('ecdsa.test')).toBe('Beta');
    expect(await served('rsa.test')).toBe('Alpha');
    expect(await served('ecdsa-number.test')).toBe('Beta');
  });

  it('selects among the certificates for the server name when some have it', async () => {
    // Without a selection the later manual certificate (Beta) would serve sel.localhost.
    expect(await served('sel.localhost')).toBe('Alpha');
  });

  it('picks the certificate of a layer4 tls handler among the tls app certificates', async () => {
    const port = await freePort();
    const l4 = await start({
      apps: {
        tls: { certificates: { load_pem: certs } },
        layer4: {
          servers: {
            s: {
              listen: [`127.0.0.1:${port}`],
              routes: [
                {
                  match: [{ tls: { sni: ['l4-alpha.test'] } }],
                  handle: [
                    { handler: 'tls', connection_policies: [{ certificate_selection: { serial_number: ['1001'] } }] },
                    { handler: 'echo' },
                  ],
                },
                {
                  handle: [
                    { handler: 'tls', connection_policies: [{ certificate_selection: { all_tags: ['b', 'x'] } }] },
                    { handler: 'echo' },
                  ],
                },
              ],
            },
          },
        },
      },
    });
    const org = (servername: string) =>
      new Promise<string>((resolve) => {
        const c = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
          resolve(c.getPeerX509Certificate()?.subject.match(/^O=(.*)$/m)?.[1] ?? '?');
          c.end();
        });
        c.on('error', (e) => resolve(`error: ${e.message}`));
      });
    try {
      expect(await org('l4-alpha.test')).toBe('Alpha');
      expect(await org('sel.localhost')).toBe('Beta');
    } finally {
      await l4.close();
    }
  });

  it('refuses an unknown key algorithm and a bad serial by path', async () => {
    const bad = (sel: Record<string, unknown>) =>
      start({
        apps: {
          http: {
            servers: {
              srv0: { listen: ['127.0.0.1:0'], tls_connection_policies: [{ certificate_selection: sel }] },
            },
          },
        },
      });
    await expect(bad({ public_key_algorithm: 'rot13' })).rejects.toThrow(/unrecognized public key algorithm: rot13/);
    await expect(bad({ serial_number: ['12ab'] })).rejects.toThrow(/not a valid big integer/);
  });
});
