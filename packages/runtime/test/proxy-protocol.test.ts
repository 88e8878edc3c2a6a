import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Started } from './helpers.js';

function send(port: number, data: Buffer | string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(data));
    let out = '';
    c.on('data', (d) => {
      out += d.toString();
    });
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(out));
    c.setTimeout(3000, () => c.destroy());
  });
}

const req = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

describe('proxy_protocol listener wrapper', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({
      apps: {
        http: {
          servers: {
            trusted: {
              listen: ['127.0.0.1:0'],
              listener_wrappers: [{ wrapper: 'proxy_protocol', allow: ['127.0.0.0/8'] }],
              routes: [
                {
                  handle: [
                    {
                      handler: 'static_response',
                      body: 'client {http.request.remote.host}:{http.request.remote.port}',
                    },
                  ],
                },
              ],
            },
            untrusted: {
              listen: ['127.0.0.1:0'],
              listener_wrappers: [{ wrapper: 'proxy_protocol', allow: ['10.0.0.0/8'], fallback_policy: 'ignore' }],
              routes: [{ handle: [{ handler: 'static_response', body: 'client {http.request.remote.host}' }] }],
            },
          },
        },
      },
    });
  });
  afterAll(() => s.close());

  it('uses the v1 and v2 header source from allowed peers', async () => {
    expect(await send(s.port('trusted'), `PROXY TCP4 203.0.113.7 10.0.0.1 51234 443\r\n${req}`)).toContain(
      'client 203.0.113.7:51234',
    );
    const v2 = Buffer.concat([
      Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c]),
      Buffer.from([198, 51, 100, 9, 10, 0, 0, 1]),
      Buffer.from([0x1f, 0x90, 0x01, 0xbb]),
      Buffer.from(req),
    ]);
    expect(await send(s.port('trusted'), v2)).toContain('client 198.51.100.9:8080');
    expect(await send(s.port('trusted'), req)).toContain('client 127.0.0.1:');
  });

  it('strips but ignores the header from peers that are not allowed', async () => {
    expect(await send(s.port('untrusted'), `PROXY TCP4 203.0.113.7 10.0.0.1 51234 443\r\n${req}`)).toContain(
      'client 127.0.0.1',
    );
  });
});
