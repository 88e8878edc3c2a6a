/**
 * PostgreSQL protocol 3.2 (PostgreSQL 18) cancel keys: BackendKeyData carries a secret of up to 256 bytes, and the
 * CancelRequest is 12 bytes plus that secret. The parsers take both lengths, and a proxied session's long key
 * routes a later CancelRequest, byte for byte, to the backend that issued it.
 */
import { randomBytes } from 'node:crypto';
import type net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startLayer4App } from '@proxy/runtime';
import { backendKeyScanner } from '../src/layer4/postgres/key-tap.js';
import { cancelRequest } from '../src/layer4/postgres/cancel.js';
import { parseFirstMessage } from '../src/layer4/postgres/messages.js';
import { connect, readBytes, removeTempDirs, tcpServer, testLogger } from './layer4-support.js';

afterAll(removeTempDirs);

/** A CancelRequest with this pid and key. */
function cancelBytes(pid: number, key: Buffer): Buffer {
  const b = Buffer.alloc(12 + key.length);
  b.writeUInt32BE(b.length, 0);
  b.writeUInt32BE(80877102, 4);
  b.writeUInt32BE(pid, 8);
  key.copy(b, 12);
  return b;
}

/** A backend message: type byte, int32 length, body. */
function msg(type: string, body: Buffer): Buffer {
  const h = Buffer.alloc(5);
  h.write(type, 0, 'latin1');
  h.writeUInt32BE(4 + body.length, 1);
  return Buffer.concat([h, body]);
}

function backendKeyData(pid: number, key: Buffer): Buffer {
  const body = Buffer.alloc(4 + key.length);
  body.writeUInt32BE(pid, 0);
  key.copy(body, 4);
  return msg('K', body);
}

/** A protocol 3.2 StartupMessage. */
function startup32(): Buffer {
  const params = Buffer.from('user\0alice\0database\0db\0\0', 'latin1');
  const h = Buffer.alloc(8);
  h.writeUInt32BE(8 + params.length, 0);
  h.writeUInt32BE((3 << 16) | 2, 4);
  return Buffer.concat([h, params]);
}

describe('PostgreSQL 3.2 cancel keys', () => {
  it('parses CancelRequests with 4- to 256-byte keys and refuses longer or shorter ones', () => {
    for (const n of [4, 32, 256]) {
      const key = randomBytes(n);
      const b = cancelBytes(77, key);
      const m = parseFirstMessage(b);
      expect(m).toEqual({ kind: 'cancel', length: 12 + n, processId: 77, secretKey: key });
      expect(parseFirstMessage(b.subarray(0, b.length - 1))).toBe('more');
      expect(cancelRequest(77, key)).toEqual(b);
    }
    expect(parseFirstMessage(cancelBytes(1, randomBytes(257)))).toBe(null);
    const short = Buffer.from([0, 0, 0, 15, 4, 210, 22, 46, 0, 0, 0, 1, 9, 9, 9]);
    expect(parseFirstMessage(short)).toBe(null);
  });

  it('finds a 32-byte BackendKeyData in the backend stream, split anywhere', () => {
    const key = randomBytes(32);
    const stream = Buffer.concat([
      msg('R', Buffer.from([0, 0, 0, 0])),
      msg('S', Buffer.from('server_version\x0018\0', 'latin1')),
      backendKeyData(4242, key),
      msg('Z', Buffer.from('I')),
    ]);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const seen: Array<[number, Buffer]> = [];
      const scan = backendKeyScanner((pid, secret) => seen.push([pid, secret]));
      scan(stream.subarray(0, cut));
      scan(stream.subarray(cut));
      expect(seen).toEqual([[4242, key]]);
    }
  });

  it('routes a CancelRequest with a long key to the backend that issued it', async () => {
    const key = randomBytes(32);
    const received: Buffer[] = [];
    let gotCancel!: () => void;
    const cancelled = new Promise<void>((r) => {
      gotCancel = r;
    });
    const backend = await tcpServer((s: net.Socket) => {
      const chunks: Buffer[] = [];
      s.on('data', (c: Buffer) => {
        chunks.push(c);
        const all = Buffer.concat(chunks);
        if (all.length >= 8 && all.readUInt32BE(4) === 80877102 && all.length >= all.readUInt32BE(0)) {
          received.push(all);
          gotCancel();
          s.end();
        } else if (all.length >= 8 && all.readUInt32BE(4) === ((3 << 16) | 2) && all.length >= all.readUInt32BE(0)) {
          s.write(
            Buffer.concat([msg('R', Buffer.from([0, 0, 0, 0])), backendKeyData(4242, key), msg('Z', Buffer.from('I'))]),
          );
        }
      });
    });
    const app = await startLayer4App(
      {
        servers: {
          s: {
            listen: ['127.0.0.1:0'],
            routes: [
              {
                match: [{ postgres: {} }],
                handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${backend.port}`] }] }],
              },
            ],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      const port = app.addresses['s']![0]!.port;
      const session = await connect(port);
      session.write(startup32());
      // AuthenticationOk (9) + BackendKeyData (5 + 4 + 32) + ReadyForQuery (6): the key went by the tap.
      await readBytes(session, 9 + 41 + 6);
      const canceller = await connect(port);
      canceller.write(cancelBytes(4242, key));
      await cancelled;
      expect(received).toEqual([cancelBytes(4242, key)]);
      canceller.destroy();
      session.destroy();
    } finally {
      await app.close();
      await backend.close();
    }
  });
});
