/** @module layer4/matchers/http: `layer4.matchers.http` — an HTTP/1.x request, with Caddy host/path/method/header sets. */
import type { Layer4HttpRequestMatcherSet } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { IpRanges } from '../ip-ranges.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

interface Request {
  method: string;
  path: string;
  host: string;
  headers: Map<string, string[]>;
}

type RequestMatcher = (r: Request, cx: Connection) => boolean;

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/\d\.\d$/;
const cache = new WeakMap<Buffer, Request | 'more' | null>();

/** Parses the request head in `buf`: 'more' while incomplete, null when it is not HTTP/1.x. */
function parseRequest(buf: Buffer): Request | 'more' | null {
  let r = cache.get(buf);
  if (r === undefined) {
    r = parse(buf);
    cache.set(buf, r);
  }
  return r;
}

function parse(buf: Buffer): Request | 'more' | null {
  // Reject early on anything that cannot start a method token, so binary protocols are not kept waiting.
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === 0x20) {
      if (i === 0) return null;
      break;
    }
    if (c < 0x41 || c > 0x5a || i >= 20) return null;
  }
  const end = buf.indexOf('\r\n\r\n', 0, 'latin1');
  const lfEnd = end < 0 ? buf.indexOf('\n\n', 0, 'latin1') : -1;
  const lineEnd = buf.indexOf('\n', 0, 'latin1');
  if (lineEnd >= 0 && !REQUEST_LINE.test(buf.toString('latin1', 0, lineEnd).replace(/\r$/, ''))) return null;
  if (end < 0 && lfEnd < 0) return 'more';
  const lines = buf.toString('latin1', 0, end >= 0 ? end : lfEnd).split(/\r?\n/);
  const m = REQUEST_LINE.exec(lines[0]!)!;
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(name, list);
  }
  const target = m[2]!;
  let path = target;
  let host = headers.get('host')?.[0] ?? '';
  if (/^https?:\/\//i.test(target)) {
    const u = new URL(target);
    path = u.pathname;
    host = u.host;
  }
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  host = host.replace(/:\d+$/, '').toLowerCase();
  return { method: m[1]!, path, host, headers };
}

/** Caddy-style wildcard string: "*x" suffix, "x*" prefix, "*x*" contains, else exact. */
function wildcard(pattern: string, caseInsensitive: boolean): (s: string) => boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const norm = (s: string): string => (caseInsensitive ? s.toLowerCase() : s);
  if (p === '*') return () => true;
  if (p.length > 1 && p.startsWith('*') && p.endsWith('*')) return (s) => norm(s).includes(p.slice(1, -1));
  if (p.startsWith('*')) return (s) => norm(s).endsWith(p.slice(1));
  if (p.endsWith('*')) return (s) => norm(s).startsWith(p.slice(0, -1));
  return (s) => norm(s) === p;
}

function strings(v: unknown, path: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new Layer4ConfigError(path, 'expected an array of strings');
  return v as string[];
}

function compileSet(json: unknown, path: string): RequestMatcher {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected an object');
  const parts: RequestMatcher[] = [];
  for (const [name, cfg] of Object.entries(json as Layer4HttpRequestMatcherSet)) {
    const p = `${path}.${name}`;
    switch (name) {
      case 'host': {
        const hosts = strings(cfg, p).map((h) => {
          const lower = h.toLowerCase();
          return lower.startsWith('*.')
            ? (s: string) => s.endsWith(lower.slice(1)) && !s.slice(0, -lower.length + 1).includes('.')
            : (s: string) => s === lower;
        });
        parts.push((r) => hosts.some((h) => h(r.host)));
        break;
      }
      case 'path': {
        const paths = strings(cfg, p).map((x) => wildcard(x, true));
        parts.push((r) => paths.some((m) => m(r.path)));
        break;
      }
      case 'method': {
        const methods = new Set(strings(cfg, p).map((x) => x.toUpperCase()));
        parts.push((r) => methods.has(r.method));
        break;
      }
      case 'header': {
        if (typeof cfg !== 'object' || cfg === null) throw new Layer4ConfigError(p, 'expected an object');
        const checks = Object.entries(cfg as Record<string, string[] | null>).map(([field, values]) => {
          const key = field.toLowerCase();
          if (values === null) return (r: Request) => !r.headers.has(key);
          const ms = strings(values, `${p}.${field}`).map((v) => wildcard(v, false));
          return (r: Request) => {
            const got = r.headers.get(key);
            return got !== undefined && (ms.length === 0 || got.some((g) => ms.some((m) => m(g))));
          };
        });
        parts.push((r) => checks.every((c) => c(r)));
        break;
      }
      case 'not': {
        if (!Array.isArray(cfg)) throw new Layer4ConfigError(p, 'expected an array of matcher sets');
        const sets = cfg.map((c, i) => compileSet(c, `${p}[${i}]`));
        parts.push((r, cx) => !sets.some((m) => m(r, cx)));
        break;
      }
      case 'remote_ip':
      case 'client_ip': {
        const ranges = new IpRanges((cfg as { ranges?: unknown } | null)?.ranges, `${p}.ranges`);
        parts.push((_r, cx) => ranges.has(cx.info.remoteAddress));
        break;
      }
      default:
        throw new Layer4ConfigError(
          p,
          `http matcher module http.matchers.${name} is not implemented in the layer4 http matcher yet`,
        );
    }
  }
  return (r, cx) => parts.every((m) => m(r, cx));
}

export const createHttpMatcher: MatcherFactory = (json, path) => {
  const list = json === undefined || json === null ? [{}] : json;
  if (!Array.isArray(list)) throw new Layer4ConfigError(path, 'expected an array of HTTP matcher sets');
  const sets = list.map((s, i) => compileSet(s, `${path}[${i}]`));
  return {
    match(cx: Connection) {
      const req = parseRequest(cx.buffer);
      if (req === 'more') return MORE;
      if (req === null) return false;
      cx.vars.set('l4.http.host', req.host);
      return sets.length === 0 || sets.some((m) => m(req, cx));
    },
  };
};
