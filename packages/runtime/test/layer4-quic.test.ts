/** @module layer4-quic: the quic matcher against client Initial packets sealed here (RFC 9001 packet protection). */
import { createCipheriv, createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { startLayer4App } from '@proxy/runtime';
import { captureClientHello, testLogger } from './layer4-support.js';

function expandLabel(secret: Buffer, label: string, len: number): Buffer {
  const l = Buffer.from(`tls13 ${label}`);
  return createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from([0, len, l.length]), l, Buffer.from([0, 1])]))
    .digest()
    .subarray(0, len);
}

/** RFC 9001 §5.2 / A.1: client Initial keys (checked against the RFC's example values below). */
function keys(dcid: Buffer): { key: Buffer; iv: Buffer; hp: Buffer } {
  const initial = createHmac('sha256', Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'))
    .update(dcid)
    .digest();
  const client = expandLabel(initial, 'client in', 32);
  return {
    key: expandLabel(client, 'quic key', 16),
    iv: expandLabel(client, 'quic iv', 12),
    hp: expandLabel(client, 'quic hp', 16),
  };
}

/** One 1200-byte datagram holding a protected v1 Initial with a CRYPTO frame at `offset`. */
function sealInitial(dcid: Buffer, offset: number, data: Buffer, pn: number): Buffer {
  const k = keys(dcid);
  const frame = Buffer.concat([
    Buffer.from([0x06, 0x40 | (offset >> 8), offset & 0xff, 0x40 | (data.length >> 8), data.length & 0xff]),
    data,
  ]);
  const headerLen = 1 + 4 + 1 + dcid.length + 1 + 1 + 2 + 2;
  const payload = Buffer.concat([frame, Buffer.alloc(1200 - headerLen - frame.length - 16)]); // PADDING frames
  const length = 2 + payload.length + 16;
  const header = Buffer.concat([
    Buffer.from([0xc1, 0, 0, 0, 1, dcid.length]),
    dcid,
    Buffer.from([0, 0, 0x40 | (length >> 8), length & 0xff, pn >> 8, pn & 0xff]),
  ]);
  const nonce = Buffer.from(k.iv);
  nonce[10]! ^= pn >> 8;
  nonce[11]! ^= pn & 0xff;
  const c = createCipheriv('aes-128-gcm', k.key, nonce);
  c.setAAD(header);
  const sealed = Buffer.concat([c.update(payload), c.final(), c.getAuthTag()]);
  const pnOffset = header.length - 2;
  const mask = createCipheriv('aes-128-ecb', k.hp, null).update(sealed.subarray(2, 18));
  const out = Buffer.concat([header, sealed]);
  out[0]! ^= mask[0]! & 0x0f;
  out[pnOffset]! ^= mask[1]!;
  out[pnOffset + 1]! ^= mask[2]!;
  return out;
}

describe('quic matcher', () => {
  it('derives RFC 9001 A.1 keys', () => {
    const k = keys(Buffer.from('8394c8f03e515708', 'hex'));
    expect([k.key, k.iv, k.hp].map((b) => b.toString('hex'))).toEqual([
      '1f369613dd76d5467730efcbe3b1a22d',
      'fa044b2f42a3fd3b46fb255c',
      '9f50449e04a0e810283a1e9933adedd2',
    ]);
  });

  it('matches SNI/ALPN of a ClientHello spread over two Initial datagrams, replaying both', async () => {
    const app = await startLayer4App(
      {
        servers: {
          u: {
            listen: ['udp/127.0.0.1:0'],
            routes: [{ match: [{ quic: { sni: ['quic.example.com'], alpn: ['h3'] } }], handle: [{ handler: 'echo' }] }],
          },
        },
      },
      { logger: testLogger },
    );
    try {
      const port = app.addresses['u']![0]!.port;
      const send = async (servername: string): Promise<number[]> => {
        const record = await captureClientHello({ servername, ALPNProtocols: ['h3'] });
        const hello = record.subarray(5);
        const dcid = Buffer.from('8394c8f03e515708', 'hex');
        const half = Math.floor(hello.length / 2);
        const c = dgram.createSocket('udp4');
        const sizes: number[] = [];
        const done = new Promise<void>((r) => {
          const t = setTimeout(r, 1500);
          c.on('message', (m) => {
            sizes.push(m.length);
            if (sizes.length === 2) {
              clearTimeout(t);
              r();
            }
          });
        });
        c.send(sealInitial(dcid, 0, hello.subarray(0, half), 0), port, '127.0.0.1');
        await new Promise((r) => setTimeout(r, 20));
        c.send(sealInitial(dcid, half, hello.subarray(half), 1), port, '127.0.0.1');
        await done;
        c.close();
        return sizes;
      };
      expect(await send('quic.example.com')).toEqual([1200, 1200]);
      expect(await send('other.example.com')).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
