/** @module layer4-parsers: layer4 wire parsers: ClientHello, PostgreSQL first message, PROXY headers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildProxyHeader,
  parseBufferedClientHello as parseClientHello,
  parsePostgresFirstMessage as parseFirstMessage,
  parseProxyHeader,
} from '@proxy/runtime';
import { captureClientHello } from './layer4-support.js';

describe('ClientHello parser', () => {
  it('reads SNI, ALPN and versions from a real ClientHello', async () => {
    const bytes = await captureClientHello({ servername: 'Pg.Example.com', ALPNProtocols: ['postgresql', 'h2'] });
    const hello = parseClientHello(bytes);
    expect(hello).not.toBe('more');
    expect(hello).not.toBe(null);
    if (hello === 'more' || hello === null) return;
    expect(hello.serverName).toBe('pg.example.com');
    expect(hello.alpn).toEqual(['postgresql', 'h2']);
    expect(hello.versions).toContain(0x0304);
    expect(hello.recordBytes).toBe(bytes.length);
  });

  it('asks for more on every strict prefix, and handles a handshake split over many records', async () => {
    const bytes = await captureClientHello({ servername: 'a.example.com' });
    for (let n = 0; n < bytes.length; n += 7) expect(parseClientHello(Buffer.from(bytes.subarray(0, n)))).toBe('more');
    const body = bytes.subarray(5);
    const records: Buffer[] = [];
    for (let i = 0; i < body.length; i += 3) {
      const part = body.subarray(i, i + 3);
      records.push(Buffer.from([0x16, 3, 1, 0, part.length]), part);
    }
    const fragmented = Buffer.concat(records);
    const hello = parseClientHello(fragmented);
    expect(hello !== 'more' && hello !== null && hello.serverName).toBe('a.example.com');
  });

  it('rejects non-TLS, non-handshake records and oversized lengths without waiting', () => {
    expect(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n'))).toBe(null);
    expect(parseClientHello(Buffer.from([0x17, 3, 3, 0, 5]))).toBe(null);
    expect(parseClientHello(Buffer.from([0x16, 3, 1, 0xff, 0xff]))).toBe(null);
    expect(parseClientHello(Buffer.from([0x16, 3, 1, 0, 4, 2, 0, 0, 0]))).toBe(null); // ServerHello
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (arr) => {
        const buf = Buffer.concat([Buffer.from([0x16, 3, 1]), Buffer.from(arr)]);
        const r = parseClientHello(buf);
        expect(r === 'more' || r === null || typeof r === 'object').toBe(true);
      }),
    );
  });
});

describe('PostgreSQL first message parser', () => {
  const startup = (params: string, version = 196608): Buffer => {
    const body = Buffer.from(params);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(8 + body.length, 0);
    head.writeUInt32BE(version, 4);
    return Buffer.concat([head, body]);
  };

  it('classifies SSLRequest, GSSENCRequest, CancelRequest and StartupMessage', () => {
    expect(parseFirstMessage(Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]))).toEqual({ kind: 'ssl', length: 8 });
    expect(parseFirstMessage(Buffer.from([0, 0, 0, 8, 4, 210, 22, 48]))).toEqual({ kind: 'gssenc', length: 8 });
    const cancel = parseFirstMessage(Buffer.from([0, 0, 0, 16, 4, 210, 22, 46, 0, 0, 1, 2, 9, 8, 7, 6]));
    expect(cancel).toMatchObject({ kind: 'cancel', processId: 258 });
    const s = parseFirstMessage(startup('user\0alice\0database\0db\0\0'));
    expect(s).toMatchObject({ kind: 'startup', major: 3, minor: 0 });
    if (s && s !== 'more' && s.kind === 'startup')
      expect([...s.params]).toEqual([
        ['user', 'alice'],
        ['database', 'db'],
      ]);
  });

  it('needs more for prefixes and rejects malformed messages', () => {
    const full = startup('user\0alice\0\0');
    for (let n = 0; n < full.length; n++) expect(parseFirstMessage(full.subarray(0, n))).toBe('more');
    expect(parseFirstMessage(Buffer.from([0x16, 3, 1, 0]))).toBe(null);
    expect(parseFirstMessage(Buffer.from([0, 0, 0, 9, 4, 210, 22, 47, 0]))).toBe(null); // SSLRequest with wrong length
    expect(parseFirstMessage(startup('user\0alice\0\0', 2 << 16))).toBe(null); // protocol 2.0
    expect(parseFirstMessage(startup('user\0alice\0'))).toBe(null); // missing terminator
    expect(parseFirstMessage(Buffer.from([0, 1, 0, 0, 0, 3, 0, 0]))).toBe(null); // too long
  });
});

describe('PROXY protocol headers', () => {
  it('round-trips v1 and v2 for IPv4 and IPv6', () => {
    const ip4 = { sourceAddress: '192.0.2.1', sourcePort: 5000, destAddress: '198.51.100.2', destPort: 443 };
    const ip6 = { sourceAddress: '2001:db8::1', sourcePort: 6000, destAddress: '2001:db8::2', destPort: 5432 };
    expect(buildProxyHeader('v1', ip4).toString()).toBe('PROXY TCP4 192.0.2.1 198.51.100.2 5000 443\r\n');
    for (const v of ['v1', 'v2'] as const) {
      for (const a of [ip4, ip6]) {
        const h = buildProxyHeader(v, a);
        const parsed = parseProxyHeader(Buffer.concat([h, Buffer.from('rest')]));
        expect(parsed).toEqual({ kind: 'proxy', length: h.length, addresses: a });
      }
    }
  });

  it('maps IPv4-mapped IPv6 to IPv4 and asks for more on prefixes', () => {
    const h = buildProxyHeader('v2', {
      sourceAddress: '::ffff:127.0.0.1',
      sourcePort: 1,
      destAddress: '127.0.0.1',
      destPort: 2,
    });
    expect(h.length).toBe(28);
    for (let n = 0; n < h.length; n++) expect(parseProxyHeader(h.subarray(0, n))).toBe('more');
    expect(parseProxyHeader(Buffer.from('GET /'))).toBe(null);
  });
});
