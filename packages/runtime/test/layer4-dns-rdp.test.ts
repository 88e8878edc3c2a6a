/** @module layer4-dns-rdp: layer4 dns, rdp and wireguard matchers with real packets. */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App, type Layer4AppHandle } from '@proxy/runtime';
import { connect, readBytes, taggedEcho, testLogger } from './layer4-support.js';

type Echo = { port: number; close(): Promise<void> };
let A: Echo;
let B: Echo;
beforeAll(async () => {
  A = await taggedEcho('A');
  B = await taggedEcho('B');
});
afterAll(async () => {
  await A.close();
  await B.close();
});
const to = (e: Echo) => ({ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${e.port}`] }] });

async function withApp(servers: Record<string, unknown>, fn: (app: Layer4AppHandle) => Promise<void>): Promise<void> {
  const app = await startLayer4App({ servers }, { logger: testLogger });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

async function tagOf(port: number, bytes: Buffer): Promise<string> {
  const s = await connect(port);
  s.write(bytes);
  const got = await readBytes(s, 2, 5000);
  s.destroy();
  return got.subarray(0, 1).toString();
}

function query(name: string, type: number, response = false): Buffer {
  const head = Buffer.from([0x12, 0x34, response ? 0x81 : 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  const labels = name
    .split('.')
    .filter(Boolean)
    .flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([head, ...labels, Buffer.from([0]), tail]);
}
const overTcp = (msg: Buffer): Buffer => Buffer.concat([Buffer.from([msg.length >> 8, msg.length & 0xff]), msg]);

describe('dns matcher', () => {
  const routes = () => [
    {
      match: [
        {
          dns: { allow: [{ name: 'example.com.', type: 'A' }, { name_regexp: '\\.internal\\.$' }], default_deny: true },
        },
      ],
      handle: [to(A)],
    },
    { handle: [to(B)] },
  ];

  it('matches allowed questions over TCP, rejects others and responses', async () => {
    await withApp({ s: { listen: ['127.0.0.1:0'], routes: routes() } }, async (app) => {
      const port = app.addresses['s']![0]!.port;
      expect(await tagOf(port, overTcp(query('Example.com', 1)))).toBe('A');
      expect(await tagOf(port, overTcp(query('db.internal', 28)))).toBe('A');
      expect(await tagOf(port, overTcp(query('example.com', 28)))).toBe('B');
      expect(await tagOf(port, overTcp(query('example.com', 1, true)))).toBe('B');
    });
  });

  it('matches over UDP', async () => {
    const up = dgram.createSocket('udp4');
    up.on('message', (m, r) => up.send(Buffer.concat([Buffer.from('U'), m]), r.port, r.address));
    await new Promise<void>((r) => up.bind(0, '127.0.0.1', r));
    await withApp(
      {
        u: {
          listen: ['udp/127.0.0.1:0'],
          routes: [
            {
              match: [{ dns: { deny: [{ type: 'ANY' }] } }],
              handle: [{ handler: 'proxy', upstreams: [{ dial: [`udp/127.0.0.1:${up.address().port}`] }] }],
            },
          ],
        },
      },
      async (app) => {
        const port = app.addresses['u']![0]!.port;
        const c = dgram.createSocket('udp4');
        const got = new Promise<Buffer>((r) => c.once('message', r));
        c.send(query('example.com', 1), port, '127.0.0.1');
        expect((await got)[0]).toBe('U'.charCodeAt(0));
        c.close();
      },
    );
    up.close();
  });
});

function rdpRequest(line: string | undefined): Buffer {
  const neg = Buffer.from([1, 0, 8, 0, 3, 0, 0, 0]);
  const body = Buffer.concat([
    Buffer.from([0, 0xe0, 0, 0, 0, 0, 0]),
    line === undefined ? Buffer.alloc(0) : Buffer.from(`${line}\r\n`),
    neg,
  ]);
  body[0] = body.length - 1;
  const tpkt = Buffer.from([3, 0, 0, 0]);
  tpkt.writeUInt16BE(4 + body.length, 2);
  return Buffer.concat([tpkt, body]);
}

describe('rdp matcher', () => {
  it('routes by mstshash cookie, routing token and custom info', async () => {
    await withApp(
      {
        s: {
          listen: ['127.0.0.1:0'],
          routes: [
            {
              match: [{ rdp: { cookie_hash: 'jacob' } }, { rdp: { custom_info_regexp: '^(.*)jacob$' } }],
              handle: [to(A)],
            },
            { match: [{ rdp: { cookie_ips: ['172.31.249.216/32'], cookie_ports: [3389] } }], handle: [to(A)] },
            { match: [{ rdp: {} }], handle: [to(B)] },
          ],
        },
      },
      async (app) => {
        const port = app.addresses['s']![0]!.port;
        expect(await tagOf(port, rdpRequest('Cookie: mstshash=jacob'))).toBe('A');
        expect(await tagOf(port, rdpRequest('hello jacob'))).toBe('A');
        expect(await tagOf(port, rdpRequest('Cookie: msts=3640205228.15629.0000'))).toBe('A');
        expect(await tagOf(port, rdpRequest('Cookie: mstshash=sarah'))).toBe('B');
        expect(await tagOf(port, rdpRequest(undefined))).toBe('B');
        expect(await tagOf(port, Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBe('');
      },
    );
  });
});

describe('wireguard matcher', () => {
  it('matches a 148-byte handshake initiation datagram, with custom reserved bytes', async () => {
    const up = dgram.createSocket('udp4');
    up.on('message', (m, r) => up.send(Buffer.from(`U${m.length}`), r.port, r.address));
    await new Promise<void>((r) => up.bind(0, '127.0.0.1', r));
    const proxy = { handler: 'proxy', upstreams: [{ dial: [`udp/127.0.0.1:${up.address().port}`] }] };
    await withApp(
      {
        u: {
          listen: ['udp/127.0.0.1:0'],
          routes: [
            { match: [{ wireguard: { zero: 0xff770000 } }], handle: [proxy] },
            { match: [{ wireguard: {} }], handle: [{ handler: 'echo' }] },
          ],
        },
      },
      async (app) => {
        const port = app.addresses['u']![0]!.port;
        const send = async (first: number[]): Promise<string> => {
          const c = dgram.createSocket('udp4');
          const msg = Buffer.alloc(148);
          Buffer.from(first).copy(msg);
          const got = new Promise<string>((r) => {
            const t = setTimeout(() => r(''), 1000);
            c.once('message', (m) => {
              clearTimeout(t);
              r(m.length === 148 ? 'echo' : m.toString());
            });
          });
          c.send(msg, port, '127.0.0.1');
          const reply = await got;
          c.close();
          return reply;
        };
        expect(await send([1, 0, 0x77, 0xff])).toBe('U148');
        expect(await send([1, 0, 0, 0])).toBe('echo');
        expect(await send([2, 0, 0, 0])).toBe('');
      },
    );
    up.close();
  });
});
