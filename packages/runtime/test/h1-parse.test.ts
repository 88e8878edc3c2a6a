/** The HTTP/1 engine's head parser and body decoders: split anywhere, fed garbage, they agree and never throw. */
import { describe, expect, it } from 'vitest';
import { findHeadEnd, parseHead } from '../src/http/h1/head.js';
import { ChunkedDecoder, LengthDecoder, type BodyDecoder } from '../src/http/h1/body.js';
import { ByteQueue } from '../src/http/h1/bytes.js';

/** A small deterministic PRNG (tests must not depend on luck). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Feeds the bytes to a decoder in the given pieces; returns the body, or the error. */
function decodeInPieces(
  dec: BodyDecoder,
  bytes: Buffer,
  cuts: number[],
): { body: string; done: boolean; error?: string; rest: number; trailers?: string[] } {
  const q = new ByteQueue();
  const out: Buffer[] = [];
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    q.append(bytes.subarray(prev, cut));
    prev = cut;
    const d = dec.push(q.bytes);
    q.skip(d.used);
    out.push(...d.data);
    if (d.error) return { body: Buffer.concat(out).toString('latin1'), done: false, error: d.error, rest: q.length };
    if (d.done) {
      q.append(bytes.subarray(prev));
      return {
        body: Buffer.concat(out).toString('latin1'),
        done: true,
        rest: q.length,
        ...(d.trailers ? { trailers: d.trailers } : {}),
      };
    }
  }
  return { body: Buffer.concat(out).toString('latin1'), done: false, rest: q.length };
}

describe('chunked decoding', () => {
  const wire = Buffer.from(
    '5\r\nhello\r\n1;name=value\r\n \r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: yes\r\n\r\nNEXT',
  );

  it('gives the same body and trailers wherever the input is split', () => {
    const whole = decodeInPieces(new ChunkedDecoder(4096), wire, []);
    expect(whole).toEqual({ body: 'hello 0123456789abcdef', done: true, rest: 4, trailers: ['X-Trailer', 'yes'] });
    for (let cut = 1; cut < wire.length; cut++)
      expect(decodeInPieces(new ChunkedDecoder(4096), wire, [cut])).toEqual(whole);
    const rnd = prng(7);
    for (let i = 0; i < 200; i++) {
      const cuts = [...new Set(Array.from({ length: 6 }, () => Math.floor(rnd() * wire.length)))].sort((a, b) => a - b);
      expect(decodeInPieces(new ChunkedDecoder(4096), wire, cuts)).toEqual(whole);
    }
  });

  it('refuses what current Go refuses', () => {
    const bad = [
      'zz\r\n',
      '\r\n',
      '11111111111111111\r\n',
      '3\nabc\r\n',
      '3\r\nabc\n',
      '3\r\nabcX\r\n',
      '3\r\nabc\r\n0\r\nbad trailer\r\n\r\n',
      `${'1'.repeat(5000)}\r\n`,
    ];
    for (const b of bad)
      expect(decodeInPieces(new ChunkedDecoder(4096), Buffer.from(b), []).error, b).toBeTypeOf('string');
  });

  it('reads a known length and leaves the rest', () => {
    expect(decodeInPieces(new LengthDecoder(5), Buffer.from('helloGET'), [2])).toEqual({
      body: 'hello',
      done: true,
      rest: 3,
    });
  });
});

describe('request heads', () => {
  const head = Buffer.from('POST /x?y HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX-Multi: 1\r\nX-Multi: 2\r\n\r\nabc');

  it('finds the end of a head however it arrives, and parses it', () => {
    const end = head.indexOf('abc');
    for (let cut = 1; cut <= head.length; cut++) {
      const first = head.subarray(0, cut);
      const found = findHeadEnd(first, 0, 0);
      if (cut < end) {
        expect(found).toBe(-1);
        expect(findHeadEnd(head, 0, Math.max(0, cut - 2))).toBe(end);
      } else {
        expect(found).toBe(end);
      }
    }
    const r = parseHead(head, 0, 1 << 20);
    expect(r).toMatchObject({
      kind: 'head',
      end,
      head: {
        method: 'POST',
        target: '/x?y',
        major: 1,
        minor: 1,
        body: { kind: 'length', length: 3 },
        rawHeaders: ['Host', 'a', 'Content-Length', '3', 'X-Multi', '1', 'X-Multi', '2'],
      },
    });
  });

  it('never throws on random bytes', () => {
    const rnd = prng(42);
    const alphabet = Buffer.from(
      'GET POST / HTTP/1.1\r\n\r\n: Host Content-Length Transfer-Encoding chunked 0123456789 \t\x00\x7f\xff',
    );
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(rnd() * 120);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++)
        b[j] = rnd() < 0.8 ? alphabet[Math.floor(rnd() * alphabet.length)]! : Math.floor(rnd() * 256);
      const end = findHeadEnd(b, 0, 0);
      if (end >= 0) expect(['head', 'refuse', 'more']).toContain(parseHead(b, 0, 1 << 20).kind);
      expect(decodeInPieces(new ChunkedDecoder(4096), b, [Math.floor(len / 2)])).toBeDefined();
    }
  });
});
