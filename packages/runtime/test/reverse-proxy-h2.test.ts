import { execFileSync } from 'node:child_process';
import http2 from 'node:http2';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, get, start } from './helpers.js';

function handler(label: string) {
  return (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      res.setHeader('X-Proto', req.httpVersion);
      res.end(`${label} ${req.method} ${req.url} ${req.headers[':authority']} ${body}`);
    });
  };
}

describe('reverse_proxy over HTTP/2 to the upstream', () => {
  it('speaks h2c and h2 (TLS) when versions ask for HTTP/2 only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proxy-h2up-'));
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
        'k.pem',
        '-out',
        'c.pem',
        '-subj',
        '/CN=up.test',
        '-addext',
        'subjectAltName=DNS:up.test',
        '-days',
        '2',
      ],
      { cwd: dir, stdio: 'pipe' },
    );
    const h2c = http2.createServer(handler('h2c'));
    const h2s = http2.createSecureServer(
      { cert: readFileSync(path.join(dir, 'c.pem')), key: readFileSync(path.join(dir, 'k.pem')) },
      handler('h2'),
    );
    await new Promise<void>((r) => h2c.listen(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) => h2s.listen(0, '127.0.0.1', () => r()));
    const dead = await freePort();
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/c/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${(h2c.address() as AddressInfo).port}` }],
                      transport: { protocol: 'http', versions: ['h2c', '2'] },
                    },
                  ],
                },
                {
                  match: [{ path: ['/s/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${(h2s.address() as AddressInfo).port}` }],
                      transport: {
                        protocol: 'http',
                        versions: ['2'],
                        tls: { root_ca_pem_files: [path.join(dir, 'c.pem')], server_name: 'up.test' },
                      },
                    },
                  ],
                },
                {
                  match: [{ path: ['/dead/*'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${dead}` }],
                      transport: { protocol: 'http', versions: ['h2c'] },
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
      const c = await get(s.port(), '/c/x?q=1', { host: 'front.test' });
      expect(c.body).toBe('h2c GET /c/x?q=1 front.test ');
      expect(c.headers['x-proto']).toBe('2.0');
      const p = await get(s.port(), '/s/y', { method: 'POST', body: 'data', host: 'front.test' });
      expect(p.body).toBe('h2 POST /s/y front.test data');
      expect((await get(s.port(), '/dead/z')).status).toBe(502);
    } finally {
      await s.close();
      h2c.close();
      h2s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
