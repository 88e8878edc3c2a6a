/** Selection policies pick what Caddy picks: round_robin increments first, hashing is fnv32a rendezvous over the dial. */
import { describe, expect, it } from 'vitest';
import { Header } from '../src/http/header.js';
import type { HttpRequest } from '../src/http/request.js';
import type { ResponseWriter } from '../src/http/response.js';
import { compileSelection, fnv32a } from '../src/http/handlers/reverse-proxy/selection.js';
import { UpstreamHost } from '../src/http/handlers/reverse-proxy/upstream.js';

const pool = [new UpstreamHost('127.0.0.1:9001', 0, 80), new UpstreamHost('127.0.0.1:9002', 0, 80)];

function req(o: { uri?: string; headers?: Record<string, string>; scheme?: 'http' | 'https' } = {}): HttpRequest {
  const headers = new Header();
  for (const [k, v] of Object.entries(o.headers ?? {})) headers.set(k, v);
  return {
    uri: o.uri ?? '/',
    headers,
    hostport: 'front.test',
    scheme: o.scheme ?? 'http',
    queryParams: new URLSearchParams(o.uri?.split('?')[1] ?? ''),
    conn: { remoteAddress: '127.0.0.1' },
    vars: new Map(),
  } as unknown as HttpRequest;
}

/** The upstream Caddy's hostByHashing picks for a key: highest fnv32a(key + dial). */
const expected = (key: string): string =>
  fnv32a(key + pool[0]!.dial) >= fnv32a(key + pool[1]!.dial) ? pool[0]!.dial : pool[1]!.dial;

describe('selection policies', () => {
  it('fnv32a matches Go hash/fnv', () => {
    expect(fnv32a('')).toBe(0x811c9dc5);
    expect(fnv32a('a')).toBe(0xe40c292c);
    expect(fnv32a('foobar')).toBe(0xbf9cf968);
  });

  it('round_robin starts with the second upstream, as Caddy increments before picking', () => {
    const sel = compileSelection({ policy: 'round_robin' }, 'p');
    expect([1, 2, 3].map(() => sel(pool, req())?.dial)).toEqual(['127.0.0.1:9002', '127.0.0.1:9001', '127.0.0.1:9002']);
  });

  it('uri_hash and header hash by fnv32a(key + dial)', () => {
    const uri = compileSelection({ policy: 'uri_hash' }, 'p');
    const hdr = compileSelection({ policy: 'header', field: 'X-User' }, 'p');
    const seen = new Set<string>();
    for (const k of ['/alpha', '/beta', '/gamma', '/delta', '/epsilon', '/theta', '/iota']) {
      expect(uri(pool, req({ uri: k }))?.dial).toBe(expected(k));
      expect(hdr(pool, req({ headers: { 'X-User': k } }))?.dial).toBe(expected(k));
      seen.add(expected(k));
    }
    expect(seen.size).toBe(2);
  });

  it('header Host hashes the request host', () => {
    const hdr = compileSelection({ policy: 'header', field: 'host' }, 'p');
    expect(hdr(pool, req())?.dial).toBe(expected('front.test'));
  });

  it('cookie sets an HMAC of the chosen dial and follows it back', () => {
    const sel = compileSelection({ policy: 'cookie', name: 'lb', secret: 's3', fallback: { policy: 'first' } }, 'p');
    const header = new Header();
    const w = { header } as unknown as ResponseWriter;
    expect(sel(pool, req(), w)?.dial).toBe('127.0.0.1:9001');
    const set = header.get('set-cookie') ?? '';
    expect(set).toMatch(/^lb=[0-9a-f]{64}; Path=\/$/);
    // A cookie naming the second upstream picks it without setting a new one.
    const sel2 = compileSelection({ policy: 'cookie', name: 'lb', secret: 's3', fallback: { policy: 'first' } }, 'p');
    const second = new UpstreamHost('127.0.0.1:9002', 0, 80);
    const w1 = { header: new Header() } as unknown as ResponseWriter;
    sel2([second], req(), w1);
    const cookie = (w1.header.get('set-cookie') ?? '').split(';')[0]!;
    const w2 = { header: new Header() } as unknown as ResponseWriter;
    expect(sel2(pool, req({ headers: { Cookie: `other=1; ${cookie}` } }), w2)?.dial).toBe('127.0.0.1:9002');
    expect(w2.header.get('set-cookie')).toBeUndefined();
  });

  it('cookie over HTTPS is Secure and SameSite=None', () => {
    const sel = compileSelection({ policy: 'cookie', max_age: '1h' }, 'p');
    const w = { header: new Header() } as unknown as ResponseWriter;
    sel(pool, req({ scheme: 'https' }), w);
    expect(w.header.get('set-cookie')).toMatch(/^lb=[0-9a-f]{64}; Path=\/; Max-Age=3600; Secure; SameSite=None$/);
  });
});

describe('round_robin with an upstream down', () => {
  it('walks the whole list and steps over the unavailable one, as Caddy', () => {
    const all = [new UpstreamHost('h:1', 0, 80), new UpstreamHost('h:2', 0, 80), new UpstreamHost('h:3', 0, 80)];
    const sel = compileSelection({ policy: 'round_robin' }, 'p');
    expect(sel(all, req(), undefined, all)?.dial).toBe('h:2');
    // h:2 goes down: robin 2 -> h:3, 3 -> h:1, 4 -> h:2 (down) so 5 -> h:3
    const up = [all[0]!, all[2]!];
    expect([1, 2, 3].map(() => sel(up, req(), undefined, all)?.dial)).toEqual(['h:3', 'h:1', 'h:3']);
  });
});
