/** @module layer4/matchers/dns: `layer4.matchers.dns` — a DNS query (over TCP or UDP) whose questions the rules allow. */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { compileGoRegexp } from '../regexp.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

const TYPES: Record<string, number> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  TLSA: 52,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
};
const CLASSES: Record<string, number> = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 };
const TYPE_NAMES = Object.fromEntries(Object.entries(TYPES).map(([k, v]) => [v, k]));
const CLASS_NAMES = Object.fromEntries(Object.entries(CLASSES).map(([k, v]) => [v, k]));

interface Question {
  name: string;
  type: string;
  class: string;
}

type Rule = (q: Question) => boolean;

/** Reads a (possibly compressed) domain name; returns it with a trailing dot and where the name ended. */
function readName(msg: Buffer, start: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let p = start;
  let end = -1;
  for (let jumps = 0; jumps < 64; ) {
    if (p >= msg.length) return null;
    const len = msg[p]!;
    if (len === 0) {
      if (end < 0) end = p + 1;
      return { name: labels.length ? `${labels.join('.')}.`.toLowerCase() : '.', end };
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= msg.length) return null;
      if (end < 0) end = p + 2;
      p = ((len & 0x3f) << 8) | msg[p + 1]!;
      jumps++;
      continue;
    }
    if (len > 63 || p + 1 + len > msg.length) return null;
    labels.push(msg.toString('latin1', p + 1, p + 1 + len));
    p += 1 + len;
  }
  return null;
}

/** The questions of a DNS query message; null if it is not one. */
export function parseQuery(msg: Buffer): Question[] | null {
  if (msg.length < 12) return null;
  if (msg[2]! & 0x80) return null; // QR set: a response
  const qd = msg.readUInt16BE(4);
  if (qd === 0) return null;
  const qs: Question[] = [];
  let p = 12;
  for (let i = 0; i < qd; i++) {
    const n = readName(msg, p);
    if (!n || n.end + 4 > msg.length) return null;
    const t = msg.readUInt16BE(n.end);
    const c = msg.readUInt16BE(n.end + 2);
    qs.push({ name: n.name, type: TYPE_NAMES[t] ?? `TYPE${t}`, class: CLASS_NAMES[c] ?? `CLASS${c}` });
    p = n.end + 4;
  }
  return qs;
}

function compileRule(json: unknown, path: string): Rule {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected a rule object');
  const r = json as Record<string, unknown>;
  const parts: Rule[] = [];
  for (const [field, key] of [
    ['name', 'name'],
    ['type', 'type'],
    ['class', 'class'],
  ] as const) {
    const exact = r[field];
    const re = r[`${field}_regexp`];
    if (exact !== undefined && exact !== '') {
      if (typeof exact !== 'string') throw new Layer4ConfigError(`${path}.${field}`, 'expected a string');
      const want = field === 'name' ? (exact.endsWith('.') ? exact : `${exact}.`).toLowerCase() : exact.toUpperCase();
      parts.push((q) => q[key] === want);
    }
    if (re !== undefined && re !== '') {
      if (typeof re !== 'string') throw new Layer4ConfigError(`${path}.${field}_regexp`, 'expected a string');
      const rx = compileGoRegexp(re, `${path}.${field}_regexp`);
      parts.push((q) => rx.test(q[key]));
    }
  }
  return (q) => parts.every((m) => m(q));
}

/**
 * Every question must be allowed: a question matching an allow rule is allowed, one matching a deny rule
 * is denied (both: `prefer_allow` decides), one matching neither follows `default_deny`.
 */
export const createDnsMatcher: MatcherFactory = (json, path) => {
  const cfg = (json ?? {}) as Record<string, unknown>;
  const rules = (k: string): Rule[] => {
    const v = cfg[k];
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new Layer4ConfigError(`${path}.${k}`, 'expected an array of rules');
    return v.map((r, i) => compileRule(r, `${path}.${k}[${i}]`));
  };
  const allow = rules('allow');
  const deny = rules('deny');
  const defaultDeny = cfg['default_deny'] === true;
  const preferAllow = cfg['prefer_allow'] === true;
  const allowed = (q: Question): boolean => {
    const a = allow.some((r) => r(q));
    const d = deny.some((r) => r(q));
    if (a && d) return preferAllow;
    if (a || d) return a;
    return !defaultDeny;
  };
  return {
    match(cx: Connection) {
      const b = cx.buffer;
      let msg: Buffer;
      if (cx.stream.readableObjectMode) {
        if (b.length === 0) return MORE;
        msg = b; // UDP: one datagram
      } else {
        if (b.length < 2) return MORE;
        const len = b.readUInt16BE(0);
        if (len < 12) return false;
        if (b.length < 2 + len) return MORE;
        if (b.length > 2 + len) return false; // a client waits for the answer before sending more
        msg = b.subarray(2);
      }
      const qs = parseQuery(msg);
      return qs?.every(allowed) ?? false;
    },
  };
};
