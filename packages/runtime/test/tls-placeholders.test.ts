/** {http.request.tls.*} with Caddy's values: Go's version and suite names, client certificate fields. */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, getTls, start, type Started } from './helpers.js';

const FIELDS = [
  'version',
  'cipher_suite',
  'resumed',
  'proto',
  'proto_mutual',
  'server_name',
  'VERSION',
  'client.subject',
  'client.issuer',
  'client.serial',
  'client.fingerprint',
  'client.public_key',
  'client.san.dns_names',
  'client.san.dns_names.1',
  'client.san.dns_names.5',
  'client.san.ips',
  'client.san.ips.1',
  'client.san.emails.0',
  'client.san.uris.0',
  'client.san.bad',
  'client.certificate_der_base64',
  'zz',
];

describe('TLS placeholders', () => {
  let dir: string;
  let s: Started;
  const file = (f: string): string => readFileSync(path.join(dir, f), 'utf8');
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-tls-ph-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-subj',
      '/CN=Test CA',
      '-days',
      '2',
    );
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'srv.key',
      '-out',
      'srv.csr',
      '-subj',
      '/CN=one.test',
    );
    writeFileSync(path.join(dir, 'srv.ext'), 'subjectAltName=DNS:one.test\n');
    openssl(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.crt',
      '-days',
      '2',
      '-extfile',
      'srv.ext',
    );
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-384',
      '-nodes',
      '-keyout',
      'client.key',
      '-out',
      'client.csr',
      '-subj',
      '/C=US/ST=Cal/L=SF/O=Acme, Inc./OU=Eng/OU=Ops/CN=client one/emailAddress=a@b.c',
    );
    writeFileSync(
      path.join(dir, 'client.ext'),
      'subjectAltName=DNS:c1.test,DNS:c2.test,IP:127.0.0.1,IP:::1,email:x@y.z,URI:spiffe://a/b\n',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'client.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'client.crt',
      '-days',
      '2',
      '-extfile',
      'client.ext',
    );
    const caDer = file('ca.crt')
      .replace(/-----[^-]+-----/g, '')
      .replace(/\s+/g, '');
    s = await start({
      apps: {
        tls: {
          certificates: { load_files: [{ certificate: path.join(dir, 'srv.crt'), key: path.join(dir, 'srv.key') }] },
        },
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              tls_connection_policies: [
                { client_authentication: { trusted_ca_certs: [caDer], mode: 'verify_if_given' } },
              ],
              routes: [
                {
                  // CEL sees Go's types: the names as a list, resumed as a bool; no certificate gives null.
                  match: [
                    {
                      expression:
                        'path("/cel") && ({http.request.tls.client.san.dns_names} == null || ' +
                        '{http.request.tls.client.san.dns_names}[1] == "c2.test") && {http.request.tls.resumed} == false',
                    },
                  ],
                  handle: [
                    {
                      handler: 'static_response',
                      body: 'cel {http.request.tls.client.san.dns_names.0}',
                    },
                  ],
                  terminal: true,
                },
                {
                  handle: [
                    { handler: 'static_response', body: FIELDS.map((f) => `${f}={http.request.tls.${f}}`).join('\n') },
                  ],
                },
              ],
            },
            srv1: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              routes: [
                {
                  handle: [
                    {
                      handler: 'static_response',
                      body: '[{http.request.tls.version}]',
                      headers: { 'X-Tls': ['[{http.request.tls.version}]'] },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fields = (body: string): Record<string, string> =>
    Object.fromEntries(body.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  it("version, cipher suite and connection facts use Go's names", async () => {
    const f = fields((await getTls(s.port(), '/', { servername: 'one.test', ca: file('ca.crt') })).body);
    expect(f['version']).toBe('tls1.3');
    expect(f['VERSION']).toBe('tls1.3');
    expect(f['cipher_suite']).toMatch(/^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
    expect(f['resumed']).toBe('false');
    // node's https client offers no ALPN, so none was negotiated.
    expect(f['proto']).toBe('');
    expect(f['proto_mutual']).toBe('true');
    expect(f['server_name']).toBe('one.test');
    // Without a client certificate, client.* placeholders are unknown.
    expect(f['client.subject']).toBe('{http.request.tls.client.subject}');
    expect(f['zz']).toBe('{http.request.tls.zz}');
  });

  it('gives CEL expressions typed values: a list of names, a bool', async () => {
    const opts = { servername: 'one.test', ca: file('ca.crt') };
    expect((await getTls(s.port(), '/cel', opts)).body).toBe('cel {http.request.tls.client.san.dns_names.0}');
    const withCert = { ...opts, cert: file('client.crt'), key: file('client.key') };
    expect((await getTls(s.port(), '/cel', withCert)).body).toBe('cel c1.test');
  });

  it("client certificate fields print as Go's x509 types do", async () => {
    const f = fields(
      (
        await getTls(s.port(), '/', {
          servername: 'one.test',
          ca: file('ca.crt'),
          cert: file('client.crt'),
          key: file('client.key'),
        })
      ).body,
    );
    const cert = new X509Certificate(file('client.crt'));
    expect(f['client.subject']).toBe(
      'CN=client one,OU=Eng+OU=Ops,O=Acme\\, Inc.,L=SF,ST=Cal,C=US,1.2.840.113549.1.9.1=#0c056140622e63',
    );
    expect(f['client.issuer']).toBe('CN=Test CA');
    expect(f['client.serial']).toBe(BigInt(`0x${cert.serialNumber}`).toString());
    expect(f['client.fingerprint']).toBe(createHash('sha256').update(cert.raw).digest('hex'));
    expect(f['client.public_key']).toMatch(/^04[0-9a-f]{192}$/);
    expect(f['client.san.dns_names']).toBe('[c1.test c2.test]');
    expect(f['client.san.dns_names.1']).toBe('c2.test');
    expect(f['client.san.dns_names.5']).toBe('');
    expect(f['client.san.ips']).toBe('[127.0.0.1 ::1]');
    expect(f['client.san.ips.1']).toBe('::1');
    expect(f['client.san.emails.0']).toBe('x@y.z');
    expect(f['client.san.uris.0']).toBe('spiffe://a/b');
    expect(f['client.san.bad']).toBe('{http.request.tls.client.san.bad}');
    expect(f['client.certificate_der_base64']).toBe(cert.raw.toString('base64'));
  });

  it('on cleartext they are unknown: kept in a body, empty in a header', async () => {
    const r = await get(s.port('srv1'), '/');
    expect(r.body).toBe('[{http.request.tls.version}]');
    expect(r.headers['x-tls']).toBe('[]');
  });
});
