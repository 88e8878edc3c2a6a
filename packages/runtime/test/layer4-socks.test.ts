/** @module layer4-socks: layer4 socks5 handler with a raw SOCKS5 client. */
import dgram from 'node:dgram';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App, type Layer4AppHandle } from '@proxy/runtime';
import { connect, readAll, readBytes, taggedEcho, testLogger } from './layer4-support.js';

let echo: { port: number; close(): Promise<void> };
let app: Layer4AppHandle;
let port: number;

beforeAll(async () => {
  echo = await taggedEcho('E');
  app = await startLayer4App(
    {
      servers: {
        s: {
          listen: ['127.0.0.1:0'],
          routes: [
            {
              match: [{ socks5: {} }],
              handle: [{ handler: 'socks5', commands: ['CONNECT', 'ASSOCIATE'], credentials: { alice: 'secret' } }],
            },
          ],
        },
      },
    },
    { logger: testLogger },
  );
  port = app.addresses['s']![0]!.port;
});
afterAll(async () => {
  await app.close();
  await echo.close();
});

/** Greets with user/password auth; resolves with the socket after a successful login (or the auth reply). */
async function login(user: string, pass: string): Promise<{ s: net.Socket; ok: boolean }> {
  const s = await connect(port);
  s.write(Buffer.from([5, 1, 2]));
  expect([...(await readBytes(s, 2))]).toEqual([5, 2]);
  s.write(
    Buffer.concat([Buffer.from([1, user.length]), Buffer.from(user), Buffer.from([pass.length]), Buffer.from(pass)]),
  );
  const r = await readBytes(s, 2);
  return { s, ok: r[1] === 0 };
}

describe('socks5 handler', () => {
  it('CONNECT by IPv4 and by name after user/password auth', async () => {
    for (const addr of [
      Buffer.from([1, 127, 0, 0, 1]),
      Buffer.concat([Buffer.from([3, 9]), Buffer.from('localhost')]),
    ]) {
      const { s, ok } = await login('alice', 'secret');
      expect(ok).toBe(true);
      const p = Buffer.alloc(2);
      p.writeUInt16BE(echo.port);
      s.write(Buffer.concat([Buffer.from([5, 1, 0]), addr, p, Buffer.from('hi')])); // data pipelined after the request
      const r = await readBytes(s, 10 + 4);
      expect(r[1]).toBe(0);
      expect(r.subarray(10).toString()).toBe('E:hi');
      s.destroy();
    }
  });

  it('refuses bad passwords, clients without auth, and dead targets', async () => {
    const { s, ok } = await login('alice', 'wrong');
    expect(ok).toBe(false);
    expect((await readAll(s)).length).toBe(0);
    const noAuth = await connect(port);
    noAuth.write(Buffer.from([5, 1, 0]));
    expect([...(await readAll(noAuth))]).toEqual([5, 0xff]);
    const dead = await login('alice', 'secret');
    dead.s.write(Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, 0, 1])); // port 1: refused
    const r = await readAll(dead.s);
    expect(r[1]).toBe(5);
  });

  it('UDP ASSOCIATE relays datagrams', async () => {
    const target = dgram.createSocket('udp4');
    target.on('message', (m, ri) => target.send(Buffer.concat([Buffer.from('U:'), m]), ri.port, ri.address));
    await new Promise<void>((r) => target.bind(0, '127.0.0.1', r));
    const { s } = await login('alice', 'secret');
    s.write(Buffer.from([5, 3, 0, 1, 0, 0, 0, 0, 0, 0]));
    const r = await readBytes(s, 10);
    expect(r[1]).toBe(0);
    const relayPort = r.readUInt16BE(8);
    const client = dgram.createSocket('udp4');
    await new Promise<void>((res) => client.bind(0, '127.0.0.1', res));
    const got = new Promise<Buffer>((res) => client.once('message', res));
    const head = Buffer.from([0, 0, 0, 1, 127, 0, 0, 1, 0, 0]);
    head.writeUInt16BE(target.address().port, 8);
    client.send(Buffer.concat([head, Buffer.from('ping')]), relayPort, '127.0.0.1');
    const answer = await got;
    expect(answer.subarray(10).toString()).toBe('U:ping');
    expect(answer.readUInt16BE(8)).toBe(target.address().port);
    client.close();
    target.close();
    s.destroy();
  });
});
