/** @module address: site addresses (Caddy's `httpcaddyfile.Address`): parsing, normalizing and printing. */
import { byteLength } from './go-sort.js';
import { atoi } from '../atoi.js';
import { canonicalIPv6, joinHostPort, parseIPv6, trySplitHostPort } from './net.js';

/** A parsed site address. */
export interface Address {
  original: string;
  scheme: string;
  host: string;
  port: string;
  path: string;
}

/** Caddy's `ParseAddress`; throws `invalid port ...` / `port N is out of range`. */
export function parseAddress(input: string): Address {
  let remaining = input.slice(0, 4096).trim();
  const a: Address = { original: remaining, scheme: '', host: '', port: '', path: '' };
  const schemeAt = remaining.indexOf('://');
  if (schemeAt >= 0) {
    a.scheme = remaining.slice(0, schemeAt);
    remaining = remaining.slice(schemeAt + 3);
  }
  const slash = remaining.indexOf('/');
  const hostPart = slash >= 0 ? remaining.slice(0, slash) : remaining;
  let hp = trySplitHostPort(hostPart);
  if (typeof hp === 'string') hp = trySplitHostPort(hostPart + ':');
  if (typeof hp === 'string') a.host = hostPart;
  else [a.host, a.port] = hp;
  if (slash >= 0) a.path = '/' + remaining.slice(slash + 1);
  if (a.port !== '') {
    const n = atoi(a.port);
    if (typeof n === 'string') throw new Error(`invalid port '${a.port}': ${n}`);
    if (n < 0 || n > 65535) throw new Error(`port ${n} is out of range`);
  }
  return a;
}

/** Lower-cases everything except `{...}` placeholders; a backslash escapes the next character (Caddy's `lowerExceptPlaceholders`). */
export function lowerExceptPlaceholders(s: string): string {
  // ASCII without placeholders or escapes (the usual host): lowering the whole string is the same.
  if (!/[^\x00-\x7f]|[{\\]/.test(s)) return s.toLowerCase();
  let out = '';
  let escaped = false;
  let inPlaceholder = false;
  for (const ch of s) {
    if (ch === '\\' && !escaped) {
      escaped = true;
      out += ch;
      continue;
    }
    if (ch === '{' && !escaped) inPlaceholder = true;
    if (ch === '}' && inPlaceholder && !escaped) inPlaceholder = false;
    out += inPlaceholder ? ch : ch.toLowerCase();
    escaped = false;
  }
  return out;
}

/** Caddy's `Address.Normalize`. */
export function normalizeAddress(a: Address): Address {
  let host = a.host.trim();
  const v6 = parseIPv6(host);
  if (v6 && !(v6.groups.slice(0, 5).every((x) => x === 0) && v6.groups[5] === 0xffff)) host = canonicalIPv6(host);
  return {
    original: a.original,
    scheme: lowerExceptPlaceholders(a.scheme),
    host: lowerExceptPlaceholders(host),
    port: a.port,
    path: a.path,
  };
}

/** Caddy's `Address.String`. */
export function addressString(a: Address): string {
  if (a.host === '' && a.port === '') return '';
  const scheme = a.scheme || (a.port === '443' ? 'https' : 'http');
  let s = scheme + '://';
  if (a.port !== '' && ((scheme === 'https' && a.port !== '443') || (scheme === 'http' && a.port !== '80')))
    s += joinHostPort(a.host, a.port);
  else s += a.host;
  return s + a.path;
}

/** How specific a host or path is (Caddy's `specificity`): its byte length minus `*`s and `{...}` spans. */
export function specificity(input: string): number {
  let l = byteLength(input);
  for (let i = input.indexOf('*'); i >= 0; i = input.indexOf('*', i + 1)) l--;
  let from = 0;
  for (;;) {
    const start = input.indexOf('{', from);
    if (start < 0) return l;
    const close = input.indexOf('}', start);
    if (close < 0) return l;
    l -= byteLength(input.slice(start, close + 1));
    from = close + 1;
  }
}
