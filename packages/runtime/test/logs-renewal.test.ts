import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { get, start } from './helpers.js';

describe('access logs', () => {
  it('writes Caddy-shaped entries with redacted credentials', async () => {
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: {},
              routes: [{ handle: [{ handler: 'static_response', body: 'logged', status_code: 201 }] }],
            },
          },
        },
      },
    });
    try {
      await get(s.port(), '/x?y=1', { host: 'log.test', headers: { Authorization: 'Basic abc', 'X-Other': 'v' } });
      await s.inst.stop();
      const entries = s.logs
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const access = entries.find((e) => e['logger'] === 'http.log.access')!;
      expect(access).toBeDefined();
      expect(access['level']).toBe('info');
      expect(typeof access['ts']).toBe('number');
      expect(access['msg']).toBe('handled request');
      expect(access['status']).toBe(201);
      expect(access['size']).toBe(6);
      const req = access['request'] as Record<string, unknown>;
      expect(req['method']).toBe('GET');
      expect(req['uri']).toBe('/x?y=1');
      expect(req['host']).toBe('log.test');
      expect(req['remote_ip']).toBe('127.0.0.1');
      const headers = req['headers'] as Record<string, string[]>;
      expect(headers['Authorization']).toEqual(['REDACTED']);
      expect(headers['X-Other']).toEqual(['v']);
      expect(entries.some((e) => e['logger'] === 'http' && e['msg'] === 'server running')).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('skips requests that log_skip marked (vars log_skip: true)', async () => {
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: {},
              routes: [
                { match: [{ path: ['/health'] }], handle: [{ handler: 'vars', log_skip: true }] },
                { handle: [{ handler: 'static_response', body: 'r' }] },
              ],
            },
          },
        },
      },
    });
    try {
      await get(s.port(), '/health');
      await get(s.port(), '/counted');
      await s.inst.stop();
      const access = s.logs
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((e) => e['logger'] === 'http.log.access');
      expect(access.map((e) => (e['request'] as Record<string, unknown>)['uri'])).toEqual(['/counted']);
    } finally {
      await s.close();
    }
  });
});

describe('custom logs', () => {
  it('routes access logs to a file log (console encoder, filtered) and keeps them out of the default log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-logs-'));
    const file = path.join(dir, 'access.log');
    const s = await start({
      logging: {
        logs: {
          default: { exclude: ['http.log.access.log0'] },
          log0: {
            writer: { output: 'file', filename: file },
            encoder: {
              format: 'filter',
              wrap: { format: 'json' },
              fields: {
                'request>remote_ip': { filter: 'ip_mask', ipv4_cidr: 24 },
                'request>headers': { filter: 'delete' },
              },
            },
            include: ['http.log.access.log0'],
          },
        },
      },
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: { logger_names: { 'site.test': ['log0'] } },
              routes: [{ handle: [{ handler: 'static_response', body: 'x' }] }],
            },
          },
        },
      },
    });
    try {
      await get(s.port(), '/a', { host: 'site.test' });
      await s.inst.stop();
      let text = '';
      for (let i = 0; i < 50 && !text; i++) {
        await new Promise((r) => setTimeout(r, 20));
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          /* not yet */
        }
      }
      const entry = JSON.parse(text.trim().split('\n')[0]!) as { logger: string; request: Record<string, unknown> };
      expect(entry.logger).toBe('http.log.access.log0');
      expect(entry.request['remote_ip']).toBe('127.0.0.0');
      expect(entry.request['headers']).toBeUndefined();
      expect(s.logs.join('')).not.toContain('http.log.access');
      expect(s.logs.join('')).toContain('server running');
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('append and filter encoders: query, cookie, regexp and hash filters', async () => {
    const s = await start({
      logging: {
        logs: {
          default: {
            encoder: {
              format: 'append',
              fields: { env: 'from-{env.PROXY_LOG_TEST}' },
              wrap: {
                format: 'filter',
                wrap: { format: 'json' },
                fields: {
                  'request>uri': {
                    filter: 'query',
                    actions: [
                      { type: 'replace', parameter: 'token', value: 'REDACTED' },
                      { type: 'delete', parameter: 'drop' },
                      { type: 'hash', parameter: 'h' },
                    ],
                  },
                  'request>headers>Cookie': {
                    filter: 'cookie',
                    actions: [{ type: 'replace', name: 'sess', value: 'X' }],
                  },
                  'request>headers>Authorization': { filter: 'delete' },
                  'request>host': { filter: 'regexp', regexp: '^(\\w+)\\.test$', value: 'host-${1}' },
                  'request>remote_ip': { filter: 'hash' },
                },
              },
            },
          },
        },
      },
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: { should_log_credentials: true },
              routes: [{ handle: [{ handler: 'static_response', body: 'x' }] }],
            },
          },
        },
      },
    });
    try {
      await get(s.port(), '/p?token=secret&drop=1&h=abc&keep=2', {
        host: 'site.test',
        headers: { Cookie: 'sess=abc; other=1' },
      });
      await s.inst.stop();
      const entry = s.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((e) => e['logger'] === 'http.log.access')!;
      const req = entry['request'] as Record<string, unknown>;
      expect(req['uri']).toBe('/p?token=REDACTED&h=ba7816bf&keep=2');
      expect((req['headers'] as Record<string, string[]>)['Cookie']).toEqual(['sess=X; other=1']);
      expect(req['host']).toBe('host-site');
      expect(req['remote_ip']).toMatch(/^[0-9a-f]{8}$/);
      expect(entry['env']).toBe('from-');
    } finally {
      await s.close();
    }
  });

  it('rejects unknown encoders and writers with their JSON path', async () => {
    const { validateConfig } = await import('@proxy/runtime');
    const errs = await validateConfig({ logging: { logs: { a: { encoder: { format: 'xml' } } } } });
    expect(errs).toEqual([
      { path: 'logging.logs.a.encoder.format', message: expect.stringContaining('not supported yet') },
    ]);
  });
});

describe('certificate renewal', () => {
  it('renews internal certificates before they expire', async () => {
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                { match: [{ host: ['renew.localhost'] }], handle: [{ handler: 'static_response', body: 'ok' }] },
              ],
            },
          },
        },
        tls: {
          automation: { renew_interval: '1s', policies: [{ issuers: [{ module: 'internal', lifetime: '3s' }] }] },
        },
      },
    });
    try {
      const ca = await s.inst.rootCertificate();
      const once = () =>
        new Promise<string>((resolve, reject) => {
          const c = tls.connect({ host: '127.0.0.1', port: s.port(), servername: 'renew.localhost', ca }, () => {
            const sn = c.getPeerX509Certificate()!.serialNumber;
            c.end();
            resolve(sn);
          });
          c.on('error', reject);
        });
      // A handshake can race a certificate swap on a loaded machine; retry a few times, and say why if it keeps failing.
      const serial = async () => {
        let last: unknown;
        for (let i = 0; i < 5; i++) {
          try {
            return await once();
          } catch (e) {
            last = e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        throw new Error(`handshake failed: ${String(last)}\n${s.logs.join('')}`);
      };
      const first = await serial();
      let next = first;
      for (let i = 0; i < 60 && next === first; i++) {
        await new Promise((r) => setTimeout(r, 200));
        next = await serial();
      }
      expect(next).not.toBe(first);
    } finally {
      await s.close();
    }
  });
});

describe('internal CA intermediate renewal', () => {
  it('issues from a fresh intermediate once the old one is in its renewal window', async () => {
    const s = await start({
      apps: {
        pki: { certificate_authorities: { local: { intermediate_lifetime: '61s', renewal_window_ratio: 0.99 } } },
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                { match: [{ host: ['inter.localhost'] }], handle: [{ handler: 'static_response', body: 'ok' }] },
              ],
            },
          },
        },
        tls: {
          automation: { renew_interval: '1s', policies: [{ issuers: [{ module: 'internal', lifetime: '3s' }] }] },
        },
      },
    });
    try {
      const ca = await s.inst.rootCertificate();
      const issuerSerial = () =>
        new Promise<string>((resolve, reject) => {
          const c = tls.connect({ host: '127.0.0.1', port: s.port(), servername: 'inter.localhost', ca }, () => {
            const chain = c.getPeerCertificate(true);
            resolve(chain.issuerCertificate.serialNumber);
            c.end();
          });
          c.on('error', reject);
        });
      const first = await issuerSerial();
      let next = first;
      for (let i = 0; i < 60 && next === first; i++) {
        await new Promise((r) => setTimeout(r, 200));
        try {
          next = await issuerSerial();
        } catch {
          /* swapping */
        }
      }
      expect(next).not.toBe(first);
    } finally {
      await s.close();
    }
  });
});

describe('reverse_proxy over TLS to the upstream', () => {
  it('verifies the upstream against root_ca_pem_files and sends SNI', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-up-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-keyout',
          'up.key',
          '-out',
          'up.crt',
          '-subj',
          '/CN=upstream.test',
          '-addext',
          'subjectAltName=DNS:upstream.test',
          '-days',
          '2',
        ],
        { cwd: dir, stdio: 'pipe' },
      );
      const up = https.createServer(
        { cert: readFileSync(path.join(dir, 'up.crt')), key: readFileSync(path.join(dir, 'up.key')) },
        (req, res) => {
          res.end(`tls upstream ${(req.socket as tls.TLSSocket).servername} ${req.url}`);
        },
      );
      await new Promise<void>((r) => up.listen(0, '127.0.0.1', () => r()));
      const upPort = (up.address() as AddressInfo).port;
      const plain = http.createServer((_q, r) => r.end('x'));
      const s = await start({
        apps: {
          http: {
            servers: {
              srv0: {
                listen: ['127.0.0.1:0'],
                routes: [
                  {
                    match: [{ path: ['/ok'] }],
                    handle: [
                      {
                        handler: 'reverse_proxy',
                        upstreams: [{ dial: `127.0.0.1:${upPort}` }],
                        transport: {
                          protocol: 'http',
                          tls: { root_ca_pem_files: [path.join(dir, 'up.crt')], server_name: 'upstream.test' },
                        },
                      },
                    ],
                  },
                  {
                    match: [{ path: ['/untrusted'] }],
                    handle: [
                      {
                        handler: 'reverse_proxy',
                        upstreams: [{ dial: `127.0.0.1:${upPort}` }],
                        transport: { protocol: 'http', tls: { server_name: 'upstream.test' } },
                      },
                    ],
                  },
                ],
              },
            },
          },
        },
      });
      try {
        const r = await get(s.port(), '/ok');
        expect(r.status).toBe(200);
        expect(r.body).toBe('tls upstream upstream.test /ok');
        expect((await get(s.port(), '/untrusted')).status).toBe(502);
      } finally {
        await s.close();
        up.close();
        plain.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
