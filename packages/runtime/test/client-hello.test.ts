/** The one ClientHello parser (util/client-hello) as the tls app and layer4 use it: rows are Go's clientHelloMsg.unmarshal. */
import { describe, expect, it } from 'vitest';
import { parseClientHello as layer4Hello } from '../src/layer4/tls/client-hello.js';
import { parseClientHello as tlsHello } from '../src/tls/client-hello.js';

const u16 = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
const vec8 = (b: Buffer): Buffer => Buffer.concat([Buffer.from([b.length]), b]);
const vec16 = (b: Buffer): Buffer => Buffer.concat([u16(b.length), b]);
const ext = (type: number, data: Buffer): Buffer => Buffer.concat([u16(type), vec16(data)]);
const sni = (...names: [number, string][]): Buffer =>
  ext(
    0,
    vec16(Buffer.concat(names.map(([t, n]) => Buffer.concat([Buffer.from([t]), vec16(Buffer.from(n, 'latin1'))])))),
  );
const alpn = (...protos: string[]): Buffer => ext(16, vec16(Buffer.concat(protos.map((p) => vec8(Buffer.from(p))))));

/** A ClientHello body: version, random, session id, suites, compression, then `tail` (the extensions block). */
function body(tail: Buffer | undefined, suites = u16(0x1301)): Buffer {
  const head = Buffer.concat([
    u16(0x0303),
    Buffer.alloc(32, 7),
    vec8(Buffer.alloc(0)),
    vec16(suites),
    vec8(Buffer.from([0])),
  ]);
  return tail === undefined ? head : Buffer.concat([head, tail]);
}
const exts = (...e: Buffer[]): Buffer => vec16(Buffer.concat(e));

/** The handshake message in TLS records of at most `chunk` bytes each. */
function records(b: Buffer, chunk = 16384): Buffer {
  const hs = Buffer.concat([Buffer.from([1, b.length >> 16, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
  const out: Buffer[] = [];
  for (let i = 0; i < hs.length; i += chunk) {
    const part = hs.subarray(i, i + chunk);
    out.push(Buffer.from([0x16, 3, 1]), u16(part.length), part);
  }
  return Buffer.concat(out);
}

type Want = { serverName: string; alpn: string[]; versions?: number[] } | null;
const rows: [string, Buffer, Want][] = [
  ['no extensions at all', records(body(undefined)), { serverName: '', alpn: [] }],
  ['server name, lower-cased', records(body(exts(sni([0, 'Example.COM'])))), { serverName: 'example.com', alpn: [] }],
  ['server name with a trailing dot', records(body(exts(sni([0, 'example.com.'])))), null],
  ['empty server name', records(body(exts(sni([0, ''])))), null],
  ['empty server name list', records(body(exts(ext(0, vec16(Buffer.alloc(0)))))), null],
  ['two host names', records(body(exts(sni([0, 'a.example'], [0, 'b.example'])))), null],
  [
    'another name type is skipped',
    records(body(exts(sni([1, 'x'], [0, 'b.example'])))),
    { serverName: 'b.example', alpn: [] },
  ],
  ['ALPN list', records(body(exts(alpn('h2', 'http/1.1')))), { serverName: '', alpn: ['h2', 'http/1.1'] }],
  ['empty ALPN list', records(body(exts(ext(16, vec16(Buffer.alloc(0)))))), null],
  ['empty ALPN protocol', records(body(exts(alpn('h2', '')))), null],
  ['the same extension twice', records(body(exts(alpn('h2'), alpn('h2')))), null],
  [
    'an unknown extension is skipped',
    records(body(exts(ext(0xfafa, Buffer.from('x')), alpn('h2')))),
    { serverName: '', alpn: ['h2'] },
  ],
  ['extension longer than the block', records(body(Buffer.concat([u16(6), u16(16), u16(9), Buffer.from('ab')]))), null],
  ['bytes after the extensions block', records(body(Buffer.concat([exts(alpn('h2')), Buffer.from([0])]))), null],
  ['odd cipher suites length', records(body(undefined, Buffer.from([0x13]))), null],
  [
    'supported_versions',
    records(body(exts(ext(43, vec8(Buffer.concat([u16(0x0304), u16(0x0303)])))))),
    { serverName: '', alpn: [], versions: [0x0304, 0x0303] },
  ],
  ['empty supported_versions', records(body(exts(ext(43, vec8(Buffer.alloc(0)))))), null],
  [
    'split over one-byte records',
    records(body(exts(sni([0, 'split.example']))), 1),
    { serverName: 'split.example', alpn: [] },
  ],
];

describe('ClientHello (util/client-hello)', () => {
  it.each(rows)('%s', (_name, bytes, want) => {
    const l4 = layer4Hello(bytes);
    const tls = tlsHello(bytes);
    if (want === null) {
      expect(l4).toBe(null);
      expect(tls).toBe(undefined);
      return;
    }
    expect(l4).toMatchObject({
      serverName: want.serverName,
      alpn: want.alpn,
      recordBytes: bytes.length,
      ...(want.versions ? { versions: want.versions } : {}),
    });
    expect(tls).toEqual({ serverName: want.serverName || undefined, alpn: want.alpn });
  });

  it("layer4 stops at caddy-l4's 16 KiB; the tls app reads up to Go's maxHandshake (64 KiB)", () => {
    const big = records(body(exts(ext(0xfafa, Buffer.alloc(20_000)), sni([0, 'big.example']))));
    expect(layer4Hello(big)).toBe(null);
    expect(tlsHello(big)).toEqual({ serverName: 'big.example', alpn: [] });
    const huge = records(body(exts(ext(0xfafa, Buffer.alloc(65_000)), ext(0xfafb, Buffer.alloc(1000)))));
    expect(tlsHello(huge)).toBe(undefined);
  });

  it('asks for more on a prefix', () => {
    const bytes = records(body(exts(sni([0, 'a.example']))));
    for (let n = 0; n < bytes.length; n++) expect(layer4Hello(Buffer.from(bytes.subarray(0, n)))).toBe('more');
  });
});
