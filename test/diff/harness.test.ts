/**
 * The differential suite's own logic (no servers): response parsing, normalisation, and the honesty rules of
 * the pinned table and the known-defect list. Runs with `pnpm test`; the suite itself runs with `pnpm test:diff`.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { parseResponses } from './client.js';
import { diffObserved, normalize, type Normalized } from './compare.js';
import type { ScenarioResult } from './run.js';
import type { Resp, Scenario } from './types.js';

const sc: Scenario = { name: 's', caddyfile: '', requests: [{ label: 'r' }] };
const ports = { PORT: 20001, PORT2: 20002 };
const resp = (
  status: number,
  headers: Record<string, string>,
  body = '',
  framing: Resp['framing'] = 'length',
): Resp => ({
  status,
  headers: new Map(Object.entries(headers).map(([k, v]) => [k, [v]])),
  body: Buffer.from(body),
  framing,
});
const result = (caddy: Normalized[] | string, proxy: Normalized[] | string): ScenarioResult => ({
  requests: [{ label: 'r', req: {}, caddy, proxy }],
});
const n = (r: Resp): Normalized[] => [normalize(r, ports, sc)];

describe('diff harness', () => {
  it('parses length, chunked, close-framed and pipelined responses', () => {
    const wire = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.0 404 NF\r\n\r\ntail',
    );
    const open = parseResponses(wire, false, false);
    expect(open.responses.map((r) => [r.status, r.body.toString(), r.framing])).toEqual([
      [200, 'hi', 'length'],
      [201, 'abc', 'chunked'],
    ]);
    expect(open.partial).toBe(true);
    expect(parseResponses(wire, false, true).responses[2]).toMatchObject({ status: 404, framing: 'close' });
    expect(
      parseResponses(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n'), true, false).responses[0]?.body
        .length,
    ).toBe(0);
  });

  it('ignores per-instance headers and ports, decodes bodies, keeps real differences', () => {
    const a = resp(
      200,
      {
        date: 'x',
        server: 'Caddy',
        'content-encoding': 'gzip',
        'content-length': '99',
        location: 'http://h:20001/x',
        connection: 'keep-alive',
      },
      '',
    );
    a.body = gzipSync('same');
    const b = resp(
      200,
      { 'content-encoding': 'gzip', 'keep-alive': 'timeout=5', location: 'http://h:20001/x' },
      '',
      'chunked',
    );
    b.body = gzipSync('same');
    expect(diffObserved({}, n(a), n(b))).toEqual([]);
    const c = resp(200, { location: 'http://h:20001/y', connection: 'close' }, 'other');
    expect(diffObserved({}, n(a), n(c))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('header location'),
        expect.stringContaining('header connection'),
        expect.stringContaining('body'),
      ]),
    );
  });

  it('compares an ETag by weakness and encoding suffix only', () => {
    const e = (etag: string) => n(resp(200, { etag }));
    expect(diffObserved({}, e('"abc"'), e('"xyz"'))).toEqual([]);
    expect(diffObserved({}, e('"abc-gzip"'), e('"xyz-gzip"'))).toEqual([]);
    expect(diffObserved({}, e('"abc"'), e('"abc-gzip"'))).toEqual([expect.stringContaining('header etag')]);
    expect(diffObserved({}, e('"abc"'), e('W/"abc"'))).toEqual([expect.stringContaining('header etag')]);
  });

  it("body_ 'html' ignores layout but not content", () => {
    const page = (body: string) => n(resp(200, {}, body));
    const a =
      '<html>\n  <style>\n    a {\n      color: red;\n    }\n  </style>\n  <p>two  words</p>\n  <img src="x" />\n</html>';
    const b = '<html>\n\t<style>a { color: red; }</style>\n\t<p>two words</p><img src="x"/>\n</html>';
    expect(diffObserved({ body_: 'html' }, page(a), page(b))).toEqual([]);
    expect(diffObserved({}, page(a), page(b))).toHaveLength(1);
    expect(diffObserved({ body_: 'html' }, page(a), page(b.replace('two words', 'twowords')))).toHaveLength(1);
    expect(diffObserved({ body_: 'html' }, page(a), page(b.replace('red', 'blue')))).toHaveLength(1);
  });

  it('a known defect that no longer differs fails, so the list stays honest', () => {
    const same = n(resp(200, {}, 'a'));
    const v = classify(sc, result(same, same), [], [{ defect: 1, scenario: 's', request: 'r', note: '' }]);
    expect(v.unexpectedPasses).toHaveLength(1);
    const differs = classify(
      sc,
      result(same, n(resp(500, {}, 'a'))),
      [],
      [{ defect: 1, scenario: 's', request: 'r', note: '' }],
    );
    expect(differs).toMatchObject({ failures: [], unexpectedPasses: [] });
    expect(differs.known).toHaveLength(1);
    expect(classify(sc, result(same, n(resp(500, {}, 'a'))), [], []).failures).toHaveLength(1);
  });

  it('a pinned difference compares proxy with master and fails when 2.6.2 stopped doing what the table says', () => {
    const pin = {
      scenario: 's',
      request: 'r',
      caddy262: { status: 200 },
      master: { status: 405, headers: { allow: 'GET, HEAD' }, body: '' },
      what: '',
      why: '',
      ref: '',
    };
    const caddy = n(resp(200, {}, 'file'));
    expect(classify(sc, result(caddy, n(resp(405, { allow: 'GET, HEAD' }))), [pin], [])).toMatchObject({
      failures: [],
      pinnedUsed: 1,
    });
    expect(classify(sc, result(caddy, caddy), [pin], []).failures).toHaveLength(1);
    expect(
      classify(sc, result(n(resp(404, {})), n(resp(405, { allow: 'GET, HEAD' }))), [pin], []).failures[0],
    ).toContain('stale');
  });
});
