/**
 * The parser's placeholder catalogue and the runtime agree: every placeholder the catalogue lists resolves in
 * the runtime (a `respond` body leaves an unknown one as written), live where a request can give it a value, and
 * by its name in the runtime's sources where a handler outside this test sets it; every shorthand expands to a
 * catalogued placeholder, except the known gaps below.
 */
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupPlaceholder, placeholders, type PlaceholderDoc } from '@proxy/parser';
import { get, startServer, type Started } from '../packages/runtime/test/helpers.js';

/** Shorthand expansions (Caddy master's escaped and prefixed forms) the runtime does not answer yet. */
const GAPS: string[] = [];

/** What each family's `*` is filled with to ask the runtime. */
const dir = mkdtempSync(path.join(tmpdir(), 'placeholders-'));
writeFileSync(path.join(dir, 'b.txt'), 'file contents\n');
const SAMPLES: Record<string, string> = {
  '{env.*}': 'PATH',
  '{file.*}': path.join(dir, 'b.txt'),
  '{http.request.host.labels.*}': '0',
  '{http.request.remote.host/*}': '24,64',
  '{http.request.uri.path.*}': '0',
  '{http.request.uri.path.file.*}': 'base',
  '{http.request.uri.query.*}': 'x',
  '{http.request.header.*}': 'x',
  '{http.request.cookie.*}': 'x',
  '{http.response.header.*}': 'x',
  '{http.vars.*}': 'x',
  '{http.regexp.*}': 're.0',
  '{http.reverse_proxy.header.*}': 'x',
};
const sample = (p: PlaceholderDoc) => (SAMPLES[p.name] ? p.name.replace('*', SAMPLES[p.name]!) : p.name);

/** Contexts this test sets up: the placeholders that need them are asked for live too. */
const LIVE_CONTEXTS = new Set(['a regexp matcher', 'the file matcher', 'handle_errors', 'reverse_proxy']);

const all = placeholders().filter((p) => p.kind === 'placeholder');
const http_ = all.filter((p) => p.app !== 'layer4');
const plain = http_.filter((p) => p.setBy === undefined);
const byContext = (ctx: string) => http_.filter((p) => p.setBy === ctx);
const body = (list: PlaceholderDoc[]) => list.map((p) => `${p.name.slice(1, -1)}=${sample(p)}`).join('\n');
const respond = (list: PlaceholderDoc[]) => ({ handler: 'static_response', body: body(list) });

/** The lines of a response whose value is still the placeholder as written (unknown to the runtime). */
function unresolved(text: string): string[] {
  return text.split('\n').filter((line) => /^\{[^}]*\}$/.test(line.slice(line.indexOf('=') + 1)));
}

let s: Started;
let upstream: http.Server;
beforeAll(async () => {
  upstream = http.createServer((_, res) => res.writeHead(200, { x: '1' }).end('up'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const up = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  s = await startServer({
    routes: [
      {
        match: [{ path: ['/err'] }],
        handle: [{ handler: 'error', status_code: 500, error: 'boom' }],
      },
      {
        match: [{ path: ['/rp'] }],
        handle: [
          {
            handler: 'reverse_proxy',
            upstreams: [{ dial: up }],
            handle_response: [{ routes: [{ handle: [respond(byContext('reverse_proxy'))] }] }],
          },
        ],
      },
      {
        match: [{ path_regexp: { name: 're', pattern: '.*' }, file: { root: dir, try_files: ['/b.txt'] } }],
        handle: [
          { handler: 'vars', x: '1' },
          respond([...plain, ...byContext('a regexp matcher'), ...byContext('the file matcher')]),
        ],
      },
    ],
    errors: { routes: [{ handle: [respond(byContext('handle_errors'))] }] },
  });
});
afterAll(async () => {
  await s?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('placeholder catalogue vs runtime', () => {
  it('every placeholder a request gives a value resolves', async () => {
    const r = await get(s.port(), '/a/b.txt?x=1', { headers: { x: '1', cookie: 'x=1' } });
    expect(r.status).toBe(200);
    expect(r.body.split('\n').length).toBe(
      plain.length + byContext('a regexp matcher').length + byContext('the file matcher').length,
    );
    expect(unresolved(r.body)).toEqual([]);
  });

  it('the error placeholders resolve in error routes', async () => {
    const r = await get(s.port(), '/err');
    expect(r.body).toContain('http.error.message=boom');
    expect(unresolved(r.body)).toEqual([]);
  });

  it('the reverse_proxy placeholders resolve in handle_response routes', async () => {
    const r = await get(s.port(), '/rp');
    expect(r.body).toContain('http.reverse_proxy.status_code=200');
    expect(unresolved(r.body)).toEqual([]);
  });

  it('the runtime sources name every layer4 placeholder and every one a handler elsewhere sets', () => {
    const sources = runtimeSources();
    const missing = all
      .filter((p) => p.app === 'layer4' || (p.setBy !== undefined && !LIVE_CONTEXTS.has(p.setBy)))
      .filter((p) => {
        // The last segment (a family's prefix up to its `*`) as a string in the code that sets or answers it.
        const key = p.name.slice(1, -1);
        const last = key.endsWith('*') ? /[^.]*\.\*$/.exec(key)![0].slice(0, -1) : key.slice(key.lastIndexOf('.') + 1);
        return !sources.includes(key.endsWith('*') ? last : `${last}'`);
      });
    expect(missing.map((p) => p.name)).toEqual([]);
  });

  it('every shorthand expands to a catalogued placeholder, but for the known gaps', () => {
    const gaps = placeholders()
      .filter((p) => p.kind === 'shorthand')
      .filter((p) => {
        const target = lookupPlaceholder(p.expands!);
        if (target?.kind === 'placeholder') return false;
        // A family of fixed names ({rp.*}): some catalogued placeholder starts with its prefix.
        const prefix = p.expands!.slice(0, -2);
        return !(p.expands!.endsWith('*}') && all.some((q) => q.name.startsWith(prefix)));
      })
      .map((p) => p.expands);
    expect(gaps).toEqual(GAPS);
  });
});

function runtimeSources(root = path.join(import.meta.dirname, '../packages/runtime/src')): string {
  return readdirSync(root)
    .map((name) => path.join(root, name))
    .map((p) => (statSync(p).isDirectory() ? runtimeSources(p) : p.endsWith('.ts') ? readFileSync(p, 'utf8') : ''))
    .join('\n');
}
