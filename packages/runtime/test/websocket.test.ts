import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { get, start } from './helpers.js';

describe('reverse_proxy upgrades (WebSocket-style)', () => {
  it('relays a 101 Switching Protocols connection both ways', async () => {
    const up = http.createServer((_req, res) => res.end('plain'));
    up.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: ${req.headers.upgrade}\r\nConnection: Upgrade\r\nX-Path: ${req.url}\r\n\r\n`,
      );
      socket.on('data', (d: Buffer) => socket.write(`echo:${d.toString()}`));
    });
    await new Promise<void>((r) => up.listen(0, '127.0.0.1', () => r()));
    const s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/ws'] }],
                  handle: [
                    {
                      handler: 'reverse_proxy',
                      upstreams: [{ dial: `127.0.0.1:${(up.address() as AddressInfo).port}` }],
                    },
                  ],
                },
                { handle: [{ handler: 'static_response', body: 'no upgrade here', status_code: 400 }] },
              ],
            },
          },
        },
      },
    });
    try {
      const echoed = await new Promise<{ status: number; path: string; data: string }>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: s.port(),
          path: '/ws',
          headers: { Connection: 'Upgrade', Upgrade: 'echo' },
        });
        req.on('upgrade', (res, socket) => {
          socket.write('hello');
          socket.once('data', (d: Buffer) => {
            socket.destroy();
            resolve({ status: res.statusCode ?? 0, path: String(res.headers['x-path']), data: d.toString() });
          });
        });
        req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
        req.on('error', reject);
        req.setTimeout(5000, () => req.destroy(new Error('timeout')));
        req.end();
      });
      expect(echoed).toEqual({ status: 101, path: '/ws', data: 'echo:hello' });
      // an Upgrade request that a non-proxy handler answers gets a normal, closed response
      const other = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: s.port(),
          path: '/other',
          headers: { Connection: 'Upgrade', Upgrade: 'echo' },
        });
        req.on('response', (res) => {
          let b = '';
          res.on('data', (d: Buffer) => {
            b += d.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(other).toEqual({ status: 400, body: 'no upgrade here' });
      expect((await get(s.port(), '/ws')).body).toBe('plain');
    } finally {
      await s.close();
      up.close();
    }
  });
});
