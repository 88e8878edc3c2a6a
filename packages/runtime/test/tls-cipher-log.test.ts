import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

/** Handshakes, sends one request, and returns the negotiated suite (IANA name) once the response came. */
function handshake(
  port: number,
  ca: string,
  opts: { ciphers: string; maxVersion: tls.SecureVersion },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect(
      { host: '127.0.0.1', port, servername: 'cipher.localhost', ca, ALPNProtocols: ['http/1.1'], ...opts },
      () => {
        const suite = sock.getCipher().standardName;
        sock.write('GET / HTTP/1.1\r\nHost: cipher.localhost\r\nConnection: close\r\n\r\n');
        sock.on('data', () => {});
        sock.on('end', () => resolve(suite));
      },
    );
    sock.setTimeout(5000, () => sock.destroy(new Error('timeout')));
    sock.on('error', reject);
  });
}

describe('TLS suite choice and its access log fields, as Go and Caddy', () => {
  let s: Started;
  let ca: string;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              logs: {},
              routes: [
                { match: [{ host: ['cipher.localhost'] }], handle: [{ handler: 'static_response', body: 'ok' }] },
              ],
              tls_connection_policies: [{}],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
      },
    });
    ca = await s.inst.rootCertificate();
  });
  afterAll(() => s.close());

  it("picks by Go's preference, not the client's, and logs version and suite as numbers", async () => {
    // Offered AES-256 first, as curl does: Go answers with AES-128.
    expect(
      await handshake(s.port(), ca, {
        maxVersion: 'TLSv1.3',
        ciphers: 'TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256',
      }),
    ).toBe('TLS_AES_128_GCM_SHA256');
    expect(
      await handshake(s.port(), ca, {
        maxVersion: 'TLSv1.2',
        ciphers:
          'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256',
      }),
    ).toMatch(/^TLS_ECDHE_(ECDSA|RSA)_WITH_AES_128_GCM_SHA256$/);
    const entries = s.logs
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e['msg'] === 'handled request');
    expect(entries.length).toBe(2);
    // zap's key order: level, ts, logger, msg, then the fields.
    expect(Object.keys(entries[0]!)).toEqual([
      'level',
      'ts',
      'logger',
      'msg',
      'request',
      'bytes_read',
      'user_id',
      'duration',
      'size',
      'status',
      'resp_headers',
    ]);
    const req13 = entries[0]!['request'] as Record<string, unknown>;
    // Go keeps Host out of the request's fields.
    expect(Object.keys(req13['headers'] as object)).not.toContain('Host');
    const t13 = req13['tls'];
    expect(t13).toEqual({
      resumed: false,
      version: 772,
      cipher_suite: 4865,
      proto: 'http/1.1',
      server_name: 'cipher.localhost',
    });
    expect(Object.keys(t13 as object)).toEqual(['resumed', 'version', 'cipher_suite', 'proto', 'server_name']);
    // Seconds with sub-millisecond precision (Date.now() differences only give whole milliseconds).
    const durations = entries.map((e) => e['duration'] as number);
    expect(durations.every((d) => d > 0 && d < 60)).toBe(true);
    expect(durations.some((d) => Math.round(d * 1e6) % 1000 !== 0)).toBe(true);
    const t12 = (entries[1]!['request'] as Record<string, unknown>)['tls'] as Record<string, unknown>;
    expect(t12['version']).toBe(771);
    expect([49195, 49199]).toContain(t12['cipher_suite']);
  });

  it("keeps Go's order for a configured list too", async () => {
    const s2 = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                { match: [{ host: ['cipher.localhost'] }], handle: [{ handler: 'static_response', body: 'ok' }] },
              ],
              tls_connection_policies: [
                {
                  cipher_suites: [
                    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
                    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
                    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
                  ],
                },
              ],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
      },
    });
    try {
      const ca2 = await s2.inst.rootCertificate();
      expect(
        await handshake(s2.port(), ca2, {
          maxVersion: 'TLSv1.2',
          ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256',
        }),
      ).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    } finally {
      await s2.close();
    }
  });
});
