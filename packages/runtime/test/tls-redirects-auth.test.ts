import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, get, getTls, start, startWithPorts, type Started } from './helpers.js';

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('automatic HTTPS with the internal CA, redirects, basic auth', () => {
  let s: Started;
  let httpsPort: number;
  let httpPort: number;
  let ca: string;
  beforeAll(async () => {
    const hash = bcrypt.hashSync('s3cret', 4);
    ({
      s,
      ports: [httpsPort, httpPort],
    } = await startWithPorts(
      async () => [await freePort(), await freePort()] as [number, number],
      (httpsPort, httpPort) => ({
        apps: {
          http: {
            http_port: httpPort,
            https_port: httpsPort,
            servers: {
              srv0: {
                listen: [`127.0.0.1:${httpsPort}`],
                routes: [
                  {
                    match: [{ host: ['app.localhost'] }],
                    handle: [
                      {
                        handler: 'subroute',
                        routes: [
                          {
                            match: [{ path: ['/private*'] }],
                            handle: [
                              {
                                handler: 'authentication',
                                providers: {
                                  http_basic: {
                                    accounts: [{ username: 'bob', password: Buffer.from(hash).toString('base64') }],
                                    hash: { algorithm: 'bcrypt' },
                                  },
                                },
                              },
                              { handler: 'static_response', body: 'hello {http.auth.user.id}' },
                            ],
                          },
                          { handle: [{ handler: 'static_response', body: 'app over {http.request.proto}' }] },
                        ],
                      },
                    ],
                    terminal: true,
                  },
                  {
                    match: [{ host: ['*.wild.localhost'] }],
                    handle: [{ handler: 'static_response', body: 'wild {http.request.host}' }],
                    terminal: true,
                  },
                ],
              },
            },
          },
        },
      }),
    ));
    ca = await s.inst.rootCertificate();
  });
  afterAll(() => s.close());

  it('persists the local CA root under pki/authorities/local', () => {
    expect(existsSync(path.join(s.dataDir, 'pki/authorities/local/root.crt'))).toBe(true);
    expect(existsSync(path.join(s.dataDir, 'pki/authorities/local/intermediate.crt'))).toBe(true);
    expect(existsSync(path.join(s.dataDir, 'certificates/local/app.localhost/app.localhost.crt'))).toBe(true);
  });

  it('serves the host names over HTTPS, wildcard certificates included', async () => {
    expect((await getTls(httpsPort, '/', { servername: 'app.localhost', ca })).body).toBe('app over HTTP/1.1');
    expect((await getTls(httpsPort, '/', { servername: 'x.wild.localhost', ca })).body).toBe('wild x.wild.localhost');
  });

  it('redirects HTTP to HTTPS on the http_port, leaving out the https_port like Caddy', async () => {
    // Caddy treats https_port as internal (the outside sees 443), so a site on it redirects without a port.
    const r = await get(httpPort, '/path?q=1', { host: 'app.localhost' });
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe('https://app.localhost/path?q=1');
    expect(r.headers['connection']).toBe('close');
  });

  it('redirects unknown hosts too (the catch-all redirect route)', async () => {
    const r = await get(httpPort, '/u', { host: 'other.example' });
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe('https://other.example/u');
  });

  it('requires basic auth with a bcrypt hash', async () => {
    const no = await getTls(httpsPort, '/private', { servername: 'app.localhost', ca });
    expect(no.status).toBe(401);
    expect(no.headers['www-authenticate']).toBe('Basic realm="restricted"');
    const bad = await getTls(httpsPort, '/private', {
      servername: 'app.localhost',
      ca,
      headers: { Authorization: `Basic ${Buffer.from('bob:nope').toString('base64')}` },
    });
    expect(bad.status).toBe(401);
    const ok = await getTls(httpsPort, '/private', {
      servername: 'app.localhost',
      ca,
      headers: { Authorization: `Basic ${Buffer.from('bob:s3cret').toString('base64')}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('hello bob');
  });

  it.runIf(hasCurl())('works with curl --cacert --resolve, over HTTP/1.1 and HTTP/2', async () => {
    // curl runs asynchronously: the server under test lives in this process.
    const curl = async (...args: string[]) => (await promisify(execFile)('curl', args)).stdout;
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-curl-'));
    try {
      const caFile = path.join(dir, 'root.crt');
      writeFileSync(caFile, ca);
      const url = `https://app.localhost:${httpsPort}/`;
      const resolve = `app.localhost:${httpsPort}:127.0.0.1`;
      const h1 = await curl('-sS', '--max-time', '10', '--http1.1', '--cacert', caFile, '--resolve', resolve, url);
      expect(h1).toBe('app over HTTP/1.1');
      const features = execFileSync('curl', ['--version']).toString();
      if (/HTTP2/.test(features)) {
        const h2 = await curl('-sS', '--max-time', '10', '--http2', '--cacert', caFile, '--resolve', resolve, url);
        expect(h2).toBe('app over HTTP/2.0');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('certificates from files and PEM, SNI selection, client authentication', () => {
  let dir: string;
  let s: Started;
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-certs-'));
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
    for (const n of ['one', 'two']) {
      openssl(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${n}.key`,
        '-out',
        `${n}.csr`,
        '-subj',
        `/CN=${n}.test`,
      );
      writeFileSync(path.join(dir, `${n}.ext`), `subjectAltName=DNS:${n}.test\n`);
      openssl(
        'x509',
        '-req',
        '-in',
        `${n}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${n}.crt`,
        '-days',
        '2',
        '-extfile',
        `${n}.ext`,
      );
    }
    openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'client.key',
      '-out',
      'client.csr',
      '-subj',
      '/CN=client',
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
    );
    const read = (f: string) => execFileSync('cat', [path.join(dir, f)]).toString();
    const caDer = read('ca.crt')
      .replace(/-----[^-]+-----/g, '')
      .replace(/\s+/g, '');
    s = await start({
      apps: {
        tls: {
          certificates: {
            load_files: [{ certificate: path.join(dir, 'one.crt'), key: path.join(dir, 'one.key') }],
            load_pem: [{ certificate: read('two.crt'), key: read('two.key') }],
          },
        },
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              tls_connection_policies: [
                { match: { sni: ['two.test'] }, client_authentication: { trusted_ca_certs: [caDer] } },
                { protocol_min: 'tls1.3' },
              ],
              routes: [
                {
                  handle: [
                    { handler: 'static_response', body: '{http.request.tls.server_name} {http.request.tls.version}' },
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
  const file = (f: string) => execFileSync('cat', [path.join(dir, f)]).toString();

  it('selects the certificate by SNI (load_files)', async () => {
    const r = await getTls(s.port(), '/', { servername: 'one.test', ca: file('ca.crt') });
    expect(r.body).toBe('one.test tls1.3');
  });

  it('requires a client certificate for the policy matching two.test (load_pem)', async () => {
    await expect(getTls(s.port(), '/', { servername: 'two.test', ca: file('ca.crt') })).rejects.toThrow();
    const r = await getTls(s.port(), '/', {
      servername: 'two.test',
      ca: file('ca.crt'),
      cert: file('client.crt'),
      key: file('client.key'),
    });
    expect(r.body).toMatch(/^two\.test tls1\.[23]$/);
  });
});

describe('pki app: a configured root key pair', () => {
  it('issues from the configured root (with a generated intermediate)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-pki-'));
    try {
      execFileSync(
        'openssl',
        ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'root.key'],
        { cwd: dir, stdio: 'pipe' },
      );
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-key',
          'root.key',
          '-out',
          'root.crt',
          '-subj',
          '/CN=My Own Root',
          '-days',
          '30',
          '-addext',
          'basicConstraints=critical,CA:TRUE',
          '-addext',
          'keyUsage=critical,keyCertSign,cRLSign',
        ],
        { cwd: dir, stdio: 'pipe' },
      );
      const s = await start({
        apps: {
          pki: {
            certificate_authorities: {
              local: { root: { certificate: path.join(dir, 'root.crt'), private_key: path.join(dir, 'root.key') } },
            },
          },
          http: {
            servers: {
              srv0: {
                listen: ['127.0.0.1:0'],
                routes: [
                  { match: [{ host: ['own.localhost'] }], handle: [{ handler: 'static_response', body: 'own root' }] },
                ],
              },
            },
          },
        },
      });
      try {
        const root = execFileSync('cat', [path.join(dir, 'root.crt')]).toString();
        expect((await s.inst.rootCertificate()).trim()).toBe(root.trim());
        expect((await getTls(s.port(), '/', { servername: 'own.localhost', ca: root })).body).toBe('own root');
      } finally {
        await s.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('automatic HTTPS redirect for a site on a port other than https_port', () => {
  let s: Started;
  let sitePort: number;
  let httpPort: number;
  beforeAll(async () => {
    ({
      s,
      ports: [sitePort, httpPort],
    } = await startWithPorts(
      async () => [await freePort(), await freePort()] as [number, number],
      (sitePort, httpPort) => ({
        apps: {
          http: {
            http_port: httpPort,
            servers: {
              srv0: {
                listen: [`127.0.0.1:${sitePort}`],
                routes: [
                  {
                    match: [{ host: ['localhost'] }],
                    handle: [{ handler: 'static_response', body: 'secure' }],
                    terminal: true,
                  },
                ],
              },
            },
          },
        },
      }),
    ));
  });
  afterAll(() => s.close());

  it("keeps the site's port in Location and closes the connection", async () => {
    const r = await get(httpPort, '/x?y=1', { host: 'localhost' });
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe(`https://localhost:${sitePort}/x?y=1`);
    expect(r.headers['connection']).toBe('close');
  });

  it('answers HEAD the same way', async () => {
    const r = await get(httpPort, '/h', { host: 'localhost', method: 'HEAD' });
    expect(r.status).toBe(308);
    expect(r.headers['location']).toBe(`https://localhost:${sitePort}/h`);
    expect(r.headers['connection']).toBe('close');
  });
});
