/** @module layer4-vars: layer4 placeholders, vars, clock/socks/xmpp/remote_ip_list matchers, upstream dialling options. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App } from '@proxy/runtime';
import {
  connect,
  makeCert,
  readBytes,
  taggedEcho,
  tcpServer,
  testLogger,
  type TestCert,
  removeTempDirs,
} from './layer4-support.js';

type Echo = { port: number; close(): Promise<void> };
let A: Echo;
let B: Echo;
let cert: TestCert;
beforeAll(async () => {
  A = await taggedEcho('A');
  B = await taggedEcho('B');
  cert = makeCert(['alpha.example.com', 'beta.example.com']);
});
afterAll(async () => {
  removeTempDirs();
  await A.close();
  await B.close();
});

async function withApp(routes: unknown[], fn: (port: number) => Promise<void>): Promise<void> {
  const app = await startLayer4App(
    { servers: { s: { listen: ['127.0.0.1:0'], routes } } },
    { logger: testLogger, secureContextFor: () => cert.context },
  );
  try {
    await fn(app.addresses['s']![0]!.port);
  } finally {
    await app.close();
  }
}

async function tlsAsk(port: number, servername: string, msg: string): Promise<string> {
  const c = tls.connect({ port, host: '127.0.0.1', servername, ca: cert.cert });
  await new Promise((r) => c.once('secureConnect', r));
  c.write(msg);
  const got = await readBytes(c, 2 + msg.length);
  c.destroy();
  return got.toString();
}

async function plainAsk(port: number, bytes: Buffer | string): Promise<string> {
  const s = await connect(port);
  s.write(bytes);
  const got = await readBytes(s, 2);
  s.destroy();
  return got.subarray(0, 1).toString();
}

describe('vars and placeholders', () => {
  it('vars handler + vars_regexp on a TLS placeholder, dial address from a placeholder', async () => {
    await withApp(
      [
        {
          handle: [
            { handler: 'tls' },
            { handler: 'vars', backend: '{l4.tls.server_name}', a_port: String(A.port) },
            {
              handler: 'subroute',
              routes: [
                {
                  match: [{ vars_regexp: { backend: { name: 'n', pattern: '^(?P<svc>alpha)\\.example\\.com$' } } }],
                  handle: [{ handler: 'proxy', upstreams: [{ dial: ['127.0.0.1:{l4.vars.a_port}'] }] }],
                },
                {
                  match: [{ vars: { '{l4.tls.server_name}': ['beta.example.com'] } }],
                  handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${B.port}`] }] }],
                },
              ],
            },
          ],
        },
      ],
      async (port) => {
        expect(await tlsAsk(port, 'alpha.example.com', 'x')).toBe('A:x');
        expect(await tlsAsk(port, 'beta.example.com', 'y')).toBe('B:y');
      },
    );
  });

  it('vars_regexp on the negotiated cipher suite', async () => {
    await withApp(
      [
        { handle: [{ handler: 'tls' }], match: [{ tls: {} }] },
        {
          match: [{ vars_regexp: { '{l4.tls.cipher_suite}': { pattern: '^TLS_(AES|CHACHA20)_' } } }],
          handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${A.port}`] }] }],
        },
      ],
      async (port) => expect(await tlsAsk(port, 'alpha.example.com', 'z')).toBe('A:z'),
    );
  });
});

describe('more matchers', () => {
  const to = (e: Echo) => ({ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${e.port}`] }] });

  it('http not / remote_ip', async () => {
    await withApp(
      [
        {
          match: [{ http: [{ not: [{ path: ['/index.html'] }], remote_ip: { ranges: ['127.0.0.1/32'] } }] }],
          handle: [to(A)],
        },
        { handle: [to(B)] },
      ],
      async (port) => {
        expect(await plainAsk(port, 'GET /other HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('A');
        expect(await plainAsk(port, 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n')).toBe('B');
      },
    );
  });

  it('clock: a whole-day range matches, an hour that is not now does not', async () => {
    const h = (new Date().getUTCHours() + 2) % 24;
    const pad = (n: number): string => `${String(n).padStart(2, '0')}:00:00`;
    await withApp(
      [
        {
          match: [{ clock: { after: pad(h), before: h === 23 ? '00:00:00' : pad(h + 1), timezone: 'UTC' } }],
          handle: [to(B)],
        },
        { match: [{ clock: { after: '00:00:00', timezone: 'Europe/Paris' } }], handle: [to(A)] },
      ],
      async (port) => expect(await plainAsk(port, 'x')).toBe('A'),
    );
    await expect(
      startLayer4App(
        { servers: { s: { routes: [{ match: [{ clock: { timezone: 'Mars/Base' } }] }] } } },
        { logger: testLogger },
      ),
    ).rejects.toThrow('routes[0].match[0].clock.timezone: unknown time zone');
  });

  it('socks4, socks5 and xmpp greetings', async () => {
    const routes = [
      { match: [{ socks4: { commands: ['CONNECT'], ports: [443] } }], handle: [to(A)] },
      { match: [{ socks5: { auth_methods: [0] } }], handle: [to(B)] },
      { match: [{ xmpp: {} }], handle: [to(A)] },
    ];
    await withApp(routes, async (port) => {
      expect(await plainAsk(port, Buffer.from([4, 1, 1, 187, 10, 0, 0, 1, 0]))).toBe('A');
      expect(await plainAsk(port, Buffer.from([5, 1, 0]))).toBe('B');
      expect(await plainAsk(port, Buffer.concat([Buffer.from([4, 2, 1, 187, 10, 0, 0, 1]), Buffer.alloc(50)]))).toBe(
        '',
      ); // BIND not allowed, not xmpp either: closed
      expect(await plainAsk(port, `<?xml version='1.0'?><stream:stream xmlns='jabber:client' to='x'>`)).toBe('A');
    });
  });

  it('remote_ip_list reads its file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'l4-ips-'));
    const file = path.join(dir, 'ips');
    fs.writeFileSync(file, '# loopback\n10.0.0.0/8\n127.0.0.1\n');
    await withApp([{ match: [{ remote_ip_list: { remote_ip_file: file } }], handle: [to(A)] }], async (port) =>
      expect(await plainAsk(port, 'x')).toBe('A'),
    );
    fs.writeFileSync(file, 'not-an-ip\n');
    await expect(
      startLayer4App(
        { servers: { s: { routes: [{ match: [{ remote_ip_list: { remote_ip_file: file } }] }] } } },
        { logger: testLogger },
      ),
    ).rejects.toThrow('invalid IP range "not-an-ip"');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('upstream dialling options', () => {
  it('local_address and resolver_preference', async () => {
    let seen = '';
    const recorder = await tcpServer((s) => {
      seen = s.remoteAddress ?? '';
      s.end('R:');
    });
    try {
      await withApp(
        [
          {
            handle: [
              {
                handler: 'proxy',
                upstreams: [
                  {
                    dial: [`localhost:${recorder.port}`],
                    local_address: ['127.0.0.2'],
                    resolver_preference: 'ipv4_only',
                  },
                ],
              },
            ],
          },
        ],
        async (port) => {
          expect(await plainAsk(port, 'x')).toBe('R');
          expect(seen).toBe('127.0.0.2');
        },
      );
      // no local address of the remote's family: the dial fails and the client is closed
      await withApp(
        [
          {
            handle: [
              { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${recorder.port}`], local_address: ['::1'] }] },
            ],
          },
        ],
        async (port) => expect(await plainAsk(port, 'x')).toBe(''),
      );
    } finally {
      await recorder.close();
    }
  });
});
