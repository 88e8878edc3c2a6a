/**
 * The acme_server handler: an ACME CA on the proxy, exercised by real clients: certbot (http-01, revocation),
 * the proxy's own ACME issuer (tls-alpn-01) and a small jose-based client (dns-01 through configured resolvers,
 * wildcards, policy, nonces and routing).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { exportJWK, generateKeyPair, importPKCS8 } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAcmeClient } from './acme-server-client.js';
import { startDnsStub, type DnsStub } from './dns-stub.js';
import { freePort, get, start, type Started } from './helpers.js';

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => p.kill(), 120_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const LIFETIME_MS = 3600_000;

/** Whether `port` serves localhost a certificate that verifies against `ca`, polled (bounded). */
async function servesVerified(port: number, ca: string): Promise<boolean> {
  for (let i = 0; i < 150; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca }, () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('acme_server', () => {
  let s: Started;
  let dnsStub: DnsStub;
  let httpsPort: number;
  let certbotPort: number;
  let issuerPort: number;
  let root: string;
  let dir: string;
  const saved = { http: process.env['PROXY_ACME_SERVER_HTTP_PORT'], tls: process.env['PROXY_ACME_SERVER_TLS_PORT'] };
  const directoryUrl = () => `https://localhost:${httpsPort}/acme/local/directory`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-acme-server-'));
    dnsStub = await startDnsStub();
    [httpsPort, certbotPort, issuerPort] = [await freePort(), await freePort(), await freePort()];
    // Challenges are validated on these ports instead of 80 and 443.
    process.env['PROXY_ACME_SERVER_HTTP_PORT'] = String(certbotPort);
    process.env['PROXY_ACME_SERVER_TLS_PORT'] = String(issuerPort);
    s = await start({
      apps: {
        http: {
          https_port: httpsPort,
          servers: {
            srv0: {
              listen: [`127.0.0.1:${httpsPort}`],
              routes: [
                {
                  match: [{ host: ['localhost'] }],
                  handle: [
                    {
                      handler: 'acme_server',
                      lifetime: '1h',
                      resolvers: [dnsStub.address],
                      policy: { allow_wildcard_names: true, deny: { domains: ['denied.localhost', '*.denied.test'] } },
                    },
                    { handler: 'static_response', body: 'not acme' },
                  ],
                },
              ],
            },
          },
        },
        tls: { automation: { policies: [{ subjects: ['localhost'], issuers: [{ module: 'internal' }] }] } },
      },
    });
    root = readFileSync(path.join(s.dataDir, 'pki/authorities/local/root.crt'), 'utf8');
  });

  afterAll(async () => {
    await s?.close();
    await dnsStub?.close();
    rmSync(dir, { recursive: true, force: true });
    for (const [k, v] of [
      ['PROXY_ACME_SERVER_HTTP_PORT', saved.http],
      ['PROXY_ACME_SERVER_TLS_PORT', saved.tls],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it.runIf(has('certbot'))('issues a certificate to certbot over http-01 and lets it revoke it', async () => {
    const cb = path.join(dir, 'certbot');
    const common = ['--config-dir', `${cb}/config`, '--work-dir', `${cb}/work`, '--logs-dir', `${cb}/logs`];
    const env = { ...process.env, REQUESTS_CA_BUNDLE: path.join(s.dataDir, 'pki/authorities/local/root.crt') };
    const got = await run(
      'certbot',
      [
        'certonly',
        '--standalone',
        '--http-01-port',
        String(certbotPort),
        '--http-01-address',
        '127.0.0.1',
        '--server',
        directoryUrl(),
        '-d',
        'localhost',
        '--register-unsafely-without-email',
        '--agree-tos',
        '--non-interactive',
        ...common,
      ],
      env,
    );
    expect(got.out).toContain('Successfully received certificate');
    expect(got.code).toBe(0);
    const live = `${cb}/config/live/localhost`;
    const leaf = new X509Certificate(readFileSync(`${live}/cert.pem`));
    const [, chainPem] = readFileSync(`${live}/fullchain.pem`, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/);
    const intermediate = new X509Certificate(chainPem!);
    expect(leaf.subjectAltName).toBe('DNS:localhost');
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(new X509Certificate(root).publicKey)).toBe(true);
    // `lifetime` 1h (the notBefore is backdated by a minute).
    expect(Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)).toBe(LIFETIME_MS + 60_000);
    expect(s.logs.join('')).toMatch(/"names":\["localhost"\],"serial":"[0-9a-f]+","msg":"certificate issued"/);

    const revoked = await run(
      'certbot',
      [
        'revoke',
        '--cert-path',
        `${live}/cert.pem`,
        '--server',
        directoryUrl(),
        '--non-interactive',
        '--no-delete-after-revoke',
        ...common,
      ],
      env,
    );
    expect(revoked.out).toContain('Congratulations! You have successfully revoked the certificate');
    expect(s.logs.join('')).toContain('"msg":"certificate revoked"');
  });

  it("issues to the proxy's own ACME issuer over tls-alpn-01", async () => {
    const b = await start({
      apps: {
        http: {
          https_port: issuerPort,
          servers: {
            srv0: {
              listen: [`127.0.0.1:${issuerPort}`],
              routes: [{ match: [{ host: ['localhost'] }], handle: [{ handler: 'static_response', body: 'b' }] }],
            },
          },
        },
        tls: {
          automation: {
            policies: [
              {
                subjects: ['localhost'],
                issuers: [
                  {
                    module: 'acme',
                    ca: directoryUrl(),
                    trusted_roots_pem_files: [path.join(s.dataDir, 'pki/authorities/local/root.crt')],
                    challenges: { http: { disabled: true } },
                  },
                ],
              },
            ],
          },
        },
      },
    });
    try {
      // Served once issued: a certificate that verifies against the ACME server's root.
      expect(await servesVerified(issuerPort, root)).toBe(true);
      const served = b.logs
        .map((l) => JSON.parse(l) as { msg?: string; challenge?: string })
        .filter((l) => l.msg === 'served key authentication certificate');
      expect(served[0]).toMatchObject({ challenge: 'tls-alpn-01' });
    } finally {
      await b.close();
    }
  });

  it.runIf(has('caddy'))("issues to Caddy's ACME client (2.6.2) over http-01", async () => {
    const cdir = path.join(dir, 'caddy');
    mkdirSync(cdir);
    const httpsPort = await freePort();
    writeFileSync(
      path.join(cdir, 'Caddyfile'),
      `{
	admin off
	skip_install_trust
	http_port ${certbotPort}
	https_port ${httpsPort}
}
localhost:${httpsPort} {
	bind 127.0.0.1
	tls {
		issuer acme {
			dir ${directoryUrl()}
			trusted_roots ${path.join(s.dataDir, 'pki/authorities/local/root.crt')}
			disable_tlsalpn_challenge
		}
	}
	respond "caddy"
}
`,
    );
    const caddy = spawn('caddy', ['run', '--config', path.join(cdir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: { ...process.env, XDG_DATA_HOME: cdir, XDG_CONFIG_HOME: cdir, HOME: cdir },
      stdio: 'ignore',
    });
    const issued = () => s.logs.filter((l) => l.includes('"msg":"certificate issued"')).length;
    const before = issued();
    try {
      expect(await servesVerified(httpsPort, root)).toBe(true);
      expect(issued()).toBe(before + 1);
    } finally {
      const exited = new Promise((r) => caddy.once('exit', r));
      caddy.kill();
      await exited;
    }
  });

  it('validates dns-01 through the configured resolvers and issues a wildcard', async () => {
    const c = new TestAcmeClient(directoryUrl(), root);
    await c.init();
    expect((await c.register()).status).toBe(201);
    const order = await c.post(c.directory['newOrder']!, { identifiers: [{ type: 'dns', value: '*.example.test' }] });
    expect(order.status).toBe(201);
    expect(order.json['status']).toBe('pending');
    const authzUrl = (order.json['authorizations'] as string[])[0]!;
    const authz = (await c.post(authzUrl, undefined)).json as {
      identifier: { value: string };
      wildcard?: boolean;
      challenges: Array<{ type: string; url: string; token: string }>;
    };
    expect(authz.identifier.value).toBe('example.test');
    expect(authz.wildcard).toBe(true);
    // Only dns-01 can prove a wildcard.
    expect(authz.challenges.map((ch) => ch.type)).toEqual(['dns-01']);
    const ch = authz.challenges[0]!;
    dnsStub.txt.set(
      '_acme-challenge.example.test',
      createHash('sha256')
        .update(`${ch.token}.${await c.thumbprint}`)
        .digest('base64url'),
    );
    const started = await c.post(ch.url, {});
    expect(started.json['status']).toBe('processing');
    expect(started.headers['link']).toContain(`<${authzUrl}>;rel="up"`);
    expect((await c.poll(authzUrl, (j) => j['status'] !== 'pending'))['status']).toBe('valid');
    const orderUrl = String(order.headers['location']);
    expect((await c.post(orderUrl, undefined)).json['status']).toBe('ready');

    execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path.join(dir, 'k.pem')]);
    const csr = execFileSync('openssl', [
      'req',
      '-new',
      '-key',
      path.join(dir, 'k.pem'),
      '-subj',
      '/CN=*.example.test',
      '-addext',
      'subjectAltName=DNS:*.example.test',
      '-outform',
      'DER',
    ]);
    const wrong = execFileSync('openssl', [
      'req',
      '-new',
      '-key',
      path.join(dir, 'k.pem'),
      '-subj',
      '/CN=other.test',
      '-outform',
      'DER',
    ]);
    const finalizeUrl = String(order.json['finalize']);
    const bad = await c.post(finalizeUrl, { csr: wrong.toString('base64url') });
    expect(bad.status).toBe(400);
    expect(bad.json['type']).toBe('urn:ietf:params:acme:error:badCSR');
    const fin = await c.post(finalizeUrl, { csr: csr.toString('base64url') });
    expect(fin.status).toBe(200);
    expect(fin.json['status']).toBe('valid');
    const pem = await c.post(String(fin.json['certificate']), undefined);
    expect(pem.headers['content-type']).toBe('application/pem-certificate-chain');
    expect(new X509Certificate(pem.body).subjectAltName).toBe('DNS:*.example.test');

    // Revocation signed with the certificate's own key (no account): another key is refused.
    const der = new X509Certificate(pem.body).raw.toString('base64url');
    const pkcs8 = execFileSync('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', path.join(dir, 'k.pem')]).toString();
    const certKey = await importPKCS8(pkcs8, 'ES256', { extractable: true });
    const certJwk = await exportJWK(createPublicKey(pkcs8));
    const other = await generateKeyPair('ES256');
    const otherJwk = await exportJWK(other.publicKey);
    const revokeUrl = c.directory['revokeCert']!;
    const refused = await c.post(revokeUrl, { certificate: der }, { signer: { key: other.privateKey, jwk: otherJwk } });
    expect(refused.status).toBe(403);
    expect(refused.json['type']).toBe('urn:ietf:params:acme:error:unauthorized');
    const revoked = await c.post(revokeUrl, { certificate: der }, { signer: { key: certKey, jwk: certJwk } });
    expect(revoked.status).toBe(200);
    const again = await c.post(revokeUrl, { certificate: der });
    expect(again.json['type']).toBe('urn:ietf:params:acme:error:alreadyRevoked');
  });

  it('refuses names by policy, replayed nonces and wrong URLs; passes other paths on', async () => {
    const c = new TestAcmeClient(directoryUrl(), root);
    await c.init();
    await c.register();
    const newOrder = c.directory['newOrder']!;
    for (const value of ['denied.localhost', 'x.denied.test']) {
      const r = await c.post(newOrder, { identifiers: [{ type: 'dns', value }] });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ type: 'urn:ietf:params:acme:error:rejectedIdentifier' });
    }
    // An IP address is offered the challenges that can prove one (no dns-01).
    const ipOrder = await c.post(newOrder, { identifiers: [{ type: 'ip', value: '127.0.0.1' }] });
    expect(ipOrder.status).toBe(201);
    const ipAuthz = await c.post((ipOrder.json['authorizations'] as string[])[0]!, undefined);
    expect(ipAuthz.json['identifier']).toEqual({ type: 'ip', value: '127.0.0.1' });
    expect((ipAuthz.json['challenges'] as Array<{ type: string }>).map((ch) => ch.type)).toEqual([
      'http-01',
      'tls-alpn-01',
    ]);
    const nonce = String((await c.request(c.directory['newNonce']!, 'HEAD')).headers['replay-nonce']);
    expect((await c.post(newOrder, { identifiers: [{ type: 'dns', value: 'a.test' }] }, { nonce })).status).toBe(201);
    const replay = await c.post(newOrder, { identifiers: [{ type: 'dns', value: 'a.test' }] }, { nonce });
    expect(replay.json['type']).toBe('urn:ietf:params:acme:error:badNonce');
    const wrongUrl = await c.post(c.directory['newOrder']!.replace('new-order', 'new-account'), {});
    expect(wrongUrl.json['type']).toBe('urn:ietf:params:acme:error:malformed'); // signed with kid, not jwk
    expect((await c.request(`https://localhost:${httpsPort}/acme/other/directory`, 'GET')).status).toBe(404);
    // Outside the path prefix the next handler answers.
    const other = await c.request(`https://localhost:${httpsPort}/elsewhere`, 'GET');
    expect(other.body).toBe('not acme');
  });

  it('rejects bad configuration clearly', async () => {
    const cfg = (h: Record<string, unknown>) => ({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              automatic_https: { disable: true },
              routes: [{ handle: [{ handler: 'acme_server', ...h }] }],
            },
          },
        },
      },
    });
    await expect(start(cfg({ ca: 'nope' }))).rejects.toThrow(/no certificate authority configured with id: nope/);
    await expect(start(cfg({ lifetime: '30d' }))).rejects.toThrow(
      /should be less than intermediate certificate lifetime/,
    );
    await expect(start(cfg({ challenges: ['http-02'] }))).rejects.toThrow(/ACME challenge "http-02" is not supported/);
    const plain = await start(cfg({}));
    try {
      expect((await get(plain.port(), '/acme/local/new-nonce', { method: 'HEAD' })).headers['replay-nonce']).toMatch(
        /^[\w-]{22}$/,
      );
    } finally {
      await plain.close();
    }
  });
});
