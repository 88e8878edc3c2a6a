/** @module logging/encoders: Caddy log encoders (json, console, filter) over parsed entries. */
import type { LogEncoder } from '@proxy/contract';
import { createHash } from 'node:crypto';
import { ConfigError, joinPath } from '../util/errors.js';
import { compileTemplate, type Template } from '../util/template.js';
import { compileGoRegexp } from '../util/go-regexp.js';

/** Turns an entry into a line (without the newline). */
export type Encoder = (entry: Record<string, unknown>) => string;

const LEVELS: Record<number, string> = { 10: 'debug', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** The level name of a pino level number or label. */
export function levelName(v: unknown): string {
  return typeof v === 'number' ? (LEVELS[v] ?? 'info') : String(v ?? 'info');
}

type Filter = (v: unknown) => { keep: boolean; value?: unknown; rename?: string };

function maskIp(ip: string, v4: number, v6: number): string {
  if (ip.includes('.') && !ip.includes(':')) {
    const n = ip.split('.').map(Number);
    const bits = ((n[0]! << 24) >>> 0) + (n[1]! << 16) + (n[2]! << 8) + n[3]!;
    const masked = v4 >= 32 ? bits : (bits & (~0 << (32 - v4))) >>> 0;
    return [24, 16, 8, 0].map((s) => (masked >>> s) & 255).join('.');
  }
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g || '0', 16));
  const out = groups.map((g, i) => {
    const keep = Math.max(0, Math.min(16, v6 - i * 16));
    return keep === 0 ? 0 : g & (0xffff << (16 - keep)) & 0xffff;
  });
  return out
    .map((g) => g.toString(16))
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::');
}

function compileFilter(f: Record<string, unknown>, path: string): Filter {
  switch (f['filter']) {
    case 'delete':
      return () => ({ keep: false });
    case 'replace':
      return () => ({ keep: true, value: f['value'] ?? 'REDACTED' });
    case 'rename':
      return (v) => ({ keep: true, value: v, rename: String(f['name'] ?? '') });
    case 'ip_mask': {
      const v4 = Number(f['ipv4_cidr'] ?? 32);
      const v6 = Number(f['ipv6_cidr'] ?? 128);
      return (v) => ({ keep: true, value: typeof v === 'string' ? maskIp(v, v4, v6) : v });
    }
    case 'hash':
      return (v) => ({ keep: true, value: mapStrings(v, hash) });
    case 'regexp': {
      const re = compileRe(String(f['regexp'] ?? ''), joinPath(path, 'regexp'));
      const to = goTemplate(String(f['value'] ?? ''));
      return (v) => ({ keep: true, value: mapStrings(v, (x) => x.replace(re, to)) });
    }
    case 'multi_regexp': {
      const ops = ((f['operations'] ?? []) as Array<{ regexp?: string; value?: string }>).map((o, i) => ({
        re: compileRe(o.regexp ?? '', joinPath(joinPath(path, 'operations'), i)),
        to: goTemplate(o.value ?? ''),
      }));
      return (v) => ({ keep: true, value: mapStrings(v, (x) => ops.reduce((acc, o) => acc.replace(o.re, o.to), x)) });
    }
    case 'query': {
      const actions = (f['actions'] ?? []) as Array<{ type?: string; parameter?: string; value?: string }>;
      return (v) => ({
        keep: true,
        value: mapStrings(v, (uri) => {
          const q = uri.indexOf('?');
          if (q < 0) return uri;
          const params = new URLSearchParams(uri.slice(q + 1));
          for (const a of actions) {
            const key = a.parameter ?? '';
            if (!params.has(key)) continue;
            if (a.type === 'delete') params.delete(key);
            else if (a.type === 'hash') params.set(key, hash(params.get(key) ?? ''));
            else params.set(key, a.value ?? '');
          }
          const qs = params.toString();
          return uri.slice(0, q) + (qs ? `?${qs}` : '');
        }),
      });
    }
    case 'cookie': {
      const actions = (f['actions'] ?? []) as Array<{ type?: string; name?: string; value?: string }>;
      return (v) => ({
        keep: true,
        value: mapStrings(v, (header) =>
          header
            .split(';')
            .map((part) => {
              const i = part.indexOf('=');
              if (i < 0) return part;
              const name = part.slice(0, i).trim();
              const a = actions.find((x) => x.name === name);
              if (!a) return part;
              if (a.type === 'delete') return undefined;
              return `${part.slice(0, i + 1)}${a.type === 'hash' ? hash(part.slice(i + 1)) : (a.value ?? '')}`;
            })
            .filter((x) => x !== undefined)
            .join(';'),
        ),
      });
    }
    case 'set_cookie': {
      // Current Caddy: each Set-Cookie value is one cookie; `delete` drops the whole header value.
      const actions = (f['actions'] ?? []) as Array<{ type?: string; name?: string; value?: string }>;
      const one = (header: string): string | undefined => {
        const semi = header.indexOf(';');
        const pair = semi < 0 ? header : header.slice(0, semi);
        const eq = pair.indexOf('=');
        if (eq < 0) return header;
        const name = pair.slice(0, eq).trim();
        let value = pair.slice(eq + 1);
        for (const a of actions) {
          if (a.name !== name) continue;
          if (a.type === 'delete') return undefined;
          value = a.type === 'hash' ? hash(value) : (a.value ?? '');
        }
        return `${pair.slice(0, eq + 1)}${value}${semi < 0 ? '' : header.slice(semi)}`;
      };
      return (v) => {
        if (typeof v === 'string') {
          const out = one(v);
          return out === undefined ? { keep: true, value: [] } : { keep: true, value: out };
        }
        if (Array.isArray(v))
          return {
            keep: true,
            value: v.flatMap((x) => (typeof x === 'string' ? (one(x) ?? []) : [x])),
          };
        return { keep: true, value: v };
      };
    }
    default:
      throw ConfigError.at(joinPath(path, 'filter'), `log filter "${String(f['filter'])}" is not supported yet`);
  }
}

/** Caddy's hash filter: the first 4 bytes of SHA-256, in hex. */
function hash(v: string): string {
  return createHash('sha256').update(v).digest('hex').slice(0, 8);
}

/** Applies `fn` to a string, or to each string of an array (header values). */
function mapStrings(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? fn(x) : x));
  return v;
}

function compileRe(src: string, path: string): RegExp {
  try {
    return compileGoRegexp(src, 'g');
  } catch (e) {
    throw ConfigError.at(path, `invalid regular expression: ${(e as Error).message}`);
  }
}

/** Go's ${1} / ${name} expansion to JavaScript's $1 / $<name>. */
function goTemplate(v: string): string {
  return v.replace(/\$\{(\d+)\}/g, '$$$1').replace(/\$\{(\w+)\}/g, '$$<$1>');
}

function applyAt(obj: Record<string, unknown>, keys: string[], fn: Filter): void {
  const [k, ...rest] = keys;
  if (k === undefined || !(k in obj)) return;
  if (rest.length) {
    const child = obj[k];
    if (child && typeof child === 'object' && !Array.isArray(child)) {
      const copy = { ...(child as Record<string, unknown>) };
      obj[k] = copy;
      applyAt(copy, rest, fn);
    }
    return;
  }
  const r = fn(obj[k]);
  if (!r.keep) {
    delete obj[k];
    return;
  }
  if (r.rename) {
    delete obj[k];
    obj[r.rename] = r.value;
  } else obj[k] = r.value;
}

/** Compiles an encoder config (json by default). */
export function compileEncoder(cfg: LogEncoder | undefined, path: string): Encoder {
  const format = cfg?.format ?? 'json';
  const msgKey = cfg?.message_key ?? 'msg';
  if (format === 'json') {
    return (e) =>
      JSON.stringify(
        msgKey === 'msg' ? e : Object.fromEntries(Object.entries(e).map(([k, v]) => [k === 'msg' ? msgKey : k, v])),
      );
  }
  if (format === 'console') {
    return (e) => {
      const { ts, level, logger, msg, ...rest } = e;
      const t = new Date(Number(ts) * 1000).toISOString().replace('T', ' ').replace('Z', '');
      const fields = Object.keys(rest).length ? `\t${JSON.stringify(rest)}` : '';
      return `${t}\t${levelName(level).toUpperCase()}\t${logger ? `${String(logger)}\t` : ''}${String(msg ?? '')}${fields}`;
    };
  }
  if (format === 'filter') {
    const inner = compileEncoder(cfg?.wrap, joinPath(path, 'wrap'));
    const filters = Object.entries((cfg?.fields ?? {}) as Record<string, Record<string, unknown>>).map(
      ([field, f]) => ({ keys: field.split('>'), fn: compileFilter(f, joinPath(joinPath(path, 'fields'), field)) }),
    );
    return (e) => {
      const copy = { ...e };
      for (const f of filters) applyAt(copy, f.keys, f.fn);
      return inner(copy);
    };
  }
  if (format === 'append') {
    const inner = compileEncoder(cfg?.wrap, joinPath(path, 'wrap'));
    const fields = Object.entries(cfg?.fields ?? {}).map(
      ([k, v]) => [k, typeof v === 'string' ? compileTemplate(v) : v] as const,
    );
    return (e) => {
      const copy = { ...e };
      for (const [k, v] of fields)
        copy[k] =
          typeof v === 'object' && v !== null && 'render' in v ? (v as Template).render(() => undefined, true) : v;
      return inner(copy);
    };
  }
  throw ConfigError.at(
    joinPath(path, 'format'),
    `log encoder "${format}" is not supported yet (json, console, filter, append are)`,
  );
}
