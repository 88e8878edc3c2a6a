/**
 * @module diff/compare: turns two observed responses into a list of human-readable differences.
 *
 * What is compared, and what deliberately is not:
 * - status, number of responses, and whether the connection failed without a response;
 * - every response header except those that differ for reasons a client cannot rely on:
 *   Date and Server (per instance), Alt-Svc (caddy advertises HTTP/3, which proxy does not speak over UDP here),
 *   Keep-Alive and `Connection: keep-alive` (the HTTP/1.1 default said out loud; `Connection: close` still
 *   compares), Transfer-Encoding (framing; the decoded body compares), Content-Length when the two sides frame
 *   the body differently or the body is content-encoded (compressors differ byte for byte), and the ETag's form
 *   (only its presence, weakness and an encoding suffix inside the quotes such as `-gzip"` compare: each server
 *   derives its own validator, but encode's suffix is behaviour);
 * - header values with several lines are joined with ", " (equivalent per RFC 9110 except Set-Cookie, which no
 *   scenario repeats);
 * - bodies after undoing Content-Encoding (gzip, br, zstd, deflate), exactly unless the request says otherwise;
 * - each server's own port numbers are rewritten to {{PORT}}/{{PORT2}} in header values and bodies first.
 */
import { brotliDecompressSync, gunzipSync, inflateSync, zstdDecompressSync } from 'node:zlib';
import type { Expect, Observed, Req, Resp, Scenario } from './types.js';

const IGNORED = new Set(['date', 'server', 'alt-svc', 'keep-alive', 'transfer-encoding']);

export interface PortMap {
  PORT: number;
  PORT2: number;
}

function portNormalize(s: string, ports: PortMap): string {
  // Whole numbers only: a port's digits inside a longer number (a coordinate in an SVG icon) are content.
  const port = (p: number) => new RegExp(`(?<![\\d.])${p}(?!\\d)`, 'g');
  return s.replace(port(ports.PORT), '{{PORT}}').replace(port(ports.PORT2), '{{PORT2}}');
}

function decode(r: Resp): { body: string; note?: string } {
  const enc = (r.headers.get('content-encoding') ?? []).join(',').trim().toLowerCase();
  try {
    let b = r.body;
    if (r.body.length > 0) {
      if (enc === 'gzip') b = gunzipSync(r.body);
      else if (enc === 'br') b = brotliDecompressSync(r.body);
      else if (enc === 'zstd') b = zstdDecompressSync(r.body);
      else if (enc === 'deflate') b = inflateSync(r.body);
    }
    return { body: b.toString('utf8') };
  } catch (e) {
    return { body: r.body.toString('latin1'), note: `undecodable ${enc} body: ${(e as Error).message}` };
  }
}

export interface Normalized {
  status: number;
  headers: Map<string, string>;
  body: string;
  framing: Resp['framing'];
}

export function normalize(r: Resp, ports: PortMap, sc: Scenario): Normalized {
  const fix = (s: string): string => {
    let out = portNormalize(s, ports);
    for (const [re, to] of sc.normalize ?? []) out = out.replace(re, to);
    return out;
  };
  const headers = new Map<string, string>();
  for (const [k, vs] of r.headers) {
    if (IGNORED.has(k)) continue;
    let v = vs.join(', ');
    if (k === 'connection' && v.toLowerCase() === 'keep-alive') continue;
    if (k === 'etag') {
      const enc = /-(gzip|zstd|br)"$/.exec(v);
      v = v.startsWith('W/') ? '<weak etag>' : enc ? `<etag>-${enc[1]}` : '<etag>';
    }
    headers.set(k, fix(v));
  }
  const { body, note } = decode(r);
  return { status: r.status, headers, body: note ? `${note}\n${fix(body)}` : fix(body), framing: r.framing };
}

/**
 * An HTML page with its formatting taken out: whitespace runs become one space, and go entirely next to
 * `< > { } ; : , ( ) = /`, where they are layout in markup and CSS (indentation, line breaks, `" />`).
 */
export function layoutFree(html: string): string {
  return html
    .replace(/\s+/g, ' ')
    .replace(/ ?([<>{};:,()=/]) ?/g, '$1')
    .trim();
}

const show = (s: string | undefined): string =>
  s === undefined ? '(absent)' : JSON.stringify(s.length > 300 ? `${s.slice(0, 300)}…` : s);

/** Leaf paths of a JSON value (the echo upstream's answers), for naming exactly which fields differ. */
function flatten(v: unknown, pre: string, out: Map<string, string>): Map<string, string> {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, pre ? `${pre}.${k}` : k, out);
  } else {
    out.set(pre, JSON.stringify(v));
  }
  return out;
}

function jsonDiff(a: string, b: string): string | undefined {
  let ja: unknown;
  let jb: unknown;
  try {
    ja = JSON.parse(a);
    jb = JSON.parse(b);
  } catch {
    return undefined;
  }
  if (ja === null || jb === null || typeof ja !== 'object' || typeof jb !== 'object') return undefined;
  const fa = flatten(ja, '', new Map());
  const fb = flatten(jb, '', new Map());
  const diffs: string[] = [];
  for (const k of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    if (fa.get(k) !== fb.get(k))
      diffs.push(`${k}: caddy ${fa.get(k) ?? '(absent)'} | proxy ${fb.get(k) ?? '(absent)'}`);
  }
  return `(JSON) ${diffs.slice(0, 10).join('; ')}`;
}

function firstDiff(a: string, b: string): string {
  const json = jsonDiff(a, b);
  if (json !== undefined) return json;
  const al = a.split('\n');
  const bl = b.split('\n');
  if (al.length > 2 && bl.length > 2) {
    // Line-oriented bodies (placeholder lists, PHP's $_SERVER dump): name each differing line.
    const lines: string[] = [];
    for (let i = 0; i < Math.max(al.length, bl.length) && lines.length < 8; i++) {
      if (al[i] !== bl[i]) lines.push(`line ${i + 1}: caddy ${show(al[i])} | proxy ${show(bl[i])}`);
    }
    return lines.join('; ');
  }
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 40);
  return `at ${i}: caddy ${show(a.slice(from, i + 160))} | proxy ${show(b.slice(from, i + 160))}`;
}

/** Differences between the expected (caddy, or caddy adjusted to master) and proxy's answer. */
export function diffObserved(req: Req, expected: Normalized[] | string, got: Normalized[] | string): string[] {
  const out: string[] = [];
  if (typeof expected === 'string' || typeof got === 'string') {
    const e = typeof expected === 'string' ? expected : `${expected.length} response(s), first ${expected[0]?.status}`;
    const g = typeof got === 'string' ? got : `${got.length} response(s), first ${got[0]?.status}`;
    if (e !== g) out.push(`outcome: caddy ${e} | proxy ${g}`);
    return out;
  }
  if (expected.length !== got.length)
    out.push(
      `responses: caddy ${expected.length} (${expected.map((r) => r.status).join(',')}) | proxy ${got.length} (${got.map((r) => r.status).join(',')})`,
    );
  const n = Math.min(expected.length, got.length);
  const ignore = new Set(req.ignoreHeaders ?? []);
  for (let i = 0; i < n; i++) {
    const e = expected[i]!;
    const g = got[i]!;
    const pre = n > 1 ? `#${i + 1} ` : '';
    if (e.status !== g.status) out.push(`${pre}status: caddy ${e.status} | proxy ${g.status}`);
    const encoded = e.headers.has('content-encoding') || g.headers.has('content-encoding');
    const sameFraming = e.framing === g.framing;
    for (const k of new Set([...e.headers.keys(), ...g.headers.keys()])) {
      if (ignore.has(k)) continue;
      if (k === 'content-length' && (encoded || !sameFraming)) continue;
      const ev = e.headers.get(k);
      const gv = g.headers.get(k);
      if (ev !== gv) out.push(`${pre}header ${k}: caddy ${show(ev)} | proxy ${show(gv)}`);
    }
    const mode = req.body_ ?? 'exact';
    if (mode === 'exact' && e.body !== g.body) out.push(`${pre}body ${firstDiff(e.body, g.body)}`);
    if (mode === 'html' && layoutFree(e.body) !== layoutFree(g.body))
      out.push(`${pre}body (layout ignored) ${firstDiff(layoutFree(e.body), layoutFree(g.body))}`);
    if (mode === 'length' && e.body.length !== g.body.length)
      out.push(`${pre}body length: caddy ${e.body.length} | proxy ${g.body.length}`);
  }
  return out;
}

/** An observation as the comparison sees it: normalised responses, or the failure when no response came. */
export function view(o: Observed, ports: PortMap, sc: Scenario, want: number): Normalized[] | string {
  if (o.error && o.responses.length === 0) return o.error === 'timeout' ? 'timeout' : 'no response (connection closed)';
  const rs = o.responses.map((r) => normalize(r, ports, sc));
  if (o.error && o.responses.length < want) return rs.length ? rs : o.error;
  return rs;
}

/** True when an observation satisfies a pinned expectation. */
export function satisfies(v: Normalized[] | string, ex: Expect): boolean {
  if (typeof v === 'string') return false;
  const r = v[0];
  if (!r) return false;
  if (ex.status !== undefined && r.status !== ex.status) return false;
  for (const [k, val] of Object.entries(ex.headers ?? {})) {
    if ((r.headers.get(k.toLowerCase()) ?? null) !== val) return false;
  }
  if (ex.body !== undefined && r.body !== ex.body) return false;
  return true;
}

/** Caddy's answer rewritten to what current Caddy answers, per a pinned expectation. */
export function applyExpect(v: Normalized[] | string, ex: Expect): Normalized[] | string {
  if (typeof v === 'string' || !v[0]) return v;
  const r: Normalized = { ...v[0], headers: new Map(v[0].headers) };
  if (ex.status !== undefined) r.status = ex.status;
  for (const [k, val] of Object.entries(ex.headers ?? {})) {
    if (val === null) r.headers.delete(k.toLowerCase());
    else r.headers.set(k.toLowerCase(), val);
  }
  if (ex.body !== undefined) r.body = ex.body;
  return [r, ...v.slice(1)];
}

/** The key paths of one access-log line; header maps contribute their header names (minus per-server ones). */
export function logKeys(line: string): string[] {
  const keys: string[] = [];
  const walk = (o: unknown, pre: string): void => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      const p = pre ? `${pre}.${k}` : k;
      if (k === 'headers' || k === 'resp_headers') {
        keys.push(p);
        for (const h of Object.keys(v as object)) {
          if (!['server', 'date', 'content-length', 'connection', 'keep-alive', 'alt-svc'].includes(h.toLowerCase()))
            keys.push(`${p}[${h}]`);
        }
        continue;
      }
      keys.push(p);
      walk(v, p);
    }
  };
  walk(JSON.parse(line), '');
  return keys.sort();
}
