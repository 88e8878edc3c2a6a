import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, getH2, getTls, start, type Started } from './helpers.js';

function raw(port: number, data: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(data));
    let out = '';
    c.on('data', (d) => {
      out += d.toString('latin1');
    });
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(out));
    c.setTimeout(1500, () => c.destroy());
  });
}

describe('bad clients do not affect others', () => {
  let s: Started;
  let ca: string;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            plain: {
              listen: ['127.0.0.1:0'],
              routes: [{ handle: [{ handler: 'static_response', body: 'plain ok' }] }],
            },
            tls: {
              listen: ['127.0.0.1:0'],
              routes: [
                { match: [{ host: ['bad.localhost'] }], handle: [{ handler: 'static_response', body: 'tls ok' }] },
              ],
            },
          },
        },
        tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
      },
    });
    ca = await s.inst.rootCertificate();
  });
  afterAll(() => s.close());

  it('survives garbage, truncated handshakes, bad HTTP/2 prefaces and oversized headers', async () => {
    const results = await Promise.all([
      raw(s.port('plain'), 'NOT HTTP AT ALL\r\n\r\n'),
      raw(s.port('plain'), `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(1_200_000)}\r\n\r\n`),
      raw(s.port('tls'), Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00])),
      raw(s.port('tls'), Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01])),
      raw(s.port('tls'), 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
    ]);
    expect(results[0]).toMatch(/^HTTP\/1\.1 400/);
    expect(results[1]).toMatch(/^HTTP\/1\.1 431/);
    expect((await get(s.port('plain'), '/')).body).toBe('plain ok');
    expect((await getTls(s.port('tls'), '/', { servername: 'bad.localhost', ca })).body).toBe('tls ok');
    expect((await getH2(s.port('tls'), '/', { servername: 'bad.localhost', ca })).body).toBe('tls ok');
  });
});
