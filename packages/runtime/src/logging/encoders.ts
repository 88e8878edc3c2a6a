/** @module logging/encoders: Caddy log encoders (json, console, filter) over parsed entries. */
import type { LogEncoder } from '../config/core.js';
import { ConfigError, joinPath } from '../util/errors.js';

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
    const bits = (n[0]! << 24 >>> 0) + (n[1]! << 16) + (n[2]! << 8) + n[3]!;
    const masked = v4 >= 32 ? bits : (bits & (~0 << (32 - v4))) >>> 0;
    return [24, 16, 8, 0].map((s) => (masked >>> s) & 255).join('.');
  }
  if (!ip.includes(':')) return ip;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g || '0', 16));
  const out = groups.map((g, i) => { const keep = Math.max(0, Math.min(16, v6 - i * 16)); return keep === 0 ? 0 : g & (0xffff << (16 - keep)) & 0xffff; });
  return out.map((g) => g.toString(16)).join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function compileFilter(f: Record<string, unknown>, path: string): Filter {
  switch (f['filter']) {
    case 'delete': return () => ({ keep: false });
    case 'replace': return () => ({ keep: true, value: f['value'] ?? 'REDACTED' });
    case 'rename': return (v) => ({ keep: true, value: v, rename: String(f['name'] ?? '') });
    case 'ip_mask': {
      const v4 = Number(f['ipv4_cidr'] ?? 32); const v6 = Number(f['ipv6_cidr'] ?? 128);
      return (v) => ({ keep: true, value: typeof v === 'string' ? maskIp(v, v4, v6) : v });
    }
    default: throw ConfigError.at(joinPath(path, 'filter'), `log filter "${String(f['filter'])}" is not supported yet (delete, replace, rename, ip_mask are)`);
  }
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
  if (!r.keep) { delete obj[k]; return; }
  if (r.rename) { delete obj[k]; obj[r.rename] = r.value; } else obj[k] = r.value;
}

/** Compiles an encoder config (json by default). */
export function compileEncoder(cfg: LogEncoder | undefined, path: string): Encoder {
  const format = cfg?.format ?? 'json';
  const msgKey = cfg?.message_key ?? 'msg';
  if (format === 'json') {
    return (e) => JSON.stringify(msgKey === 'msg' ? e : Object.fromEntries(Object.entries(e).map(([k, v]) => [k === 'msg' ? msgKey : k, v])));
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
    const filters = Object.entries((cfg?.fields ?? {}) as Record<string, Record<string, unknown>>)
      .map(([field, f]) => ({ keys: field.split('>'), fn: compileFilter(f, joinPath(joinPath(path, 'fields'), field)) }));
    return (e) => {
      const copy = { ...e };
      for (const f of filters) applyAt(copy, f.keys, f.fn);
      return inner(copy);
    };
  }
  throw ConfigError.at(joinPath(path, 'format'), `log encoder "${format}" is not supported yet (json, console, filter are)`);
}
