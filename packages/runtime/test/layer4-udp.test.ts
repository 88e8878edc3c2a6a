/** @module layer4-udp: layer4 over UDP: per-remote pseudo-connections and datagram proxying. */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App } from '@proxy/runtime';
import { testLogger } from './layer4-support.js';

let upstream: dgram.Socket;
let upstreamPort: number;

beforeAll(async () => {
  upstream = dgram.createSocket('udp4');
  upstream.on('message', (msg, rinfo) =>
    upstream.send(Buffer.concat([Buffer.from('U:'), msg]), rinfo.port, rinfo.address),
  );
  await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', r));
  upstreamPort = upstream.address().port;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

/** Sends datagrams from one client socket and collects `n` replies (bounded). */
async function exchange(port: number, msgs: string[], n: number): Promise<string[]> {
  const c = dgram.createSocket('udp4');
  const replies: string[] = [];
  const done = new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 5000);
    c.on('message', (m) => {
      replies.push(m.toString());
      if (replies.length === n) {
        clearTimeout(t);
        resolve();
      }
    });
  });
  await new Promise<void>((r) => c.bind(0, '127.0.0.1', r));
  for (const m of msgs) c.send(m, port, '127.0.0.1');
  await done;
  c.close();
  return replies;
}

describe('layer4 over UDP', () => {
  it('routes per remote address and proxies datagrams with their boundaries', async () => {
    const app = await startLayer4App(
      {
        servers: {
          u: {
            listen: ['udp/127.0.0.1:0'],
            idle_timeout: 2e9,
            routes: [
              { match: [{ regexp: { pattern: '^ECHO', count: 4 } }], handle: [{ handler: 'echo' }] },
              { handle: [{ handler: 'proxy', upstreams: [{ dial: [`udp/127.0.0.1:${upstreamPort}`] }] }] },
            ],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      const port = app.addresses['u']![0]!.port;
      expect(await exchange(port, ['ECHO one', 'two'], 2)).toEqual(['ECHO one', 'two']);
      expect((await exchange(port, ['a', 'bb', 'ccc'], 3)).sort()).toEqual(['U:a', 'U:bb', 'U:ccc']);
    } finally {
      await app.close();
    }
  });
});

describe('layer4 over UDP across reloads', () => {
  it('a second config on the same address shares the socket: new remotes go to it, and the port is freed with the last', async () => {
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const config = {
      servers: {
        u: {
          listen: [`udp/127.0.0.1:${port}`],
          routes: [{ handle: [{ handler: 'proxy', upstreams: [{ dial: [`udp/127.0.0.1:${upstreamPort}`] }] }] }],
        },
      },
    };
    const first = await startLayer4App(config, { logger: testLogger });
    // Binding the port again would fail with EADDRINUSE; sharing it does not.
    const second = await startLayer4App(config, { logger: testLogger });
    try {
      expect(second.addresses['u']![0]!.port).toBe(port);
      await first.close();
      expect(await exchange(port, ['after'], 1)).toEqual(['U:after']);
    } finally {
      await second.close();
    }
    // The last one closed the socket: the port can be bound again.
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((r) => again.close(() => r()));
  });
});
