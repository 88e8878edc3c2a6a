/**
 * @module http/cel/placeholders: Caddy's `{placeholder}` sugar in CEL expressions (celmatcher.go's
 * placeholderRegexp), and placeholder values typed as Caddy's replacer returns them (repl.Get, then CEL's
 * type adapter): most are strings, a few are ints, bools, durations or timestamps, `{http.vars.*}` keep the
 * variable's own type, and an unknown placeholder is null.
 */
import { Duration } from '@marcbachmann/cel-js/evaluator';
import type { HttpRequest } from '../request.js';
import { requestResolver } from '../replacer.js';

/** The name of the CEL function that reads a placeholder (current Caddy's; 2.6.2 called it caddyPlaceholder). */
export const PLACEHOLDER_FUNC = 'ph';
/** The request variable (current Caddy's; 2.6.2 called it request). */
export const REQUEST_VAR = 'req';

/** An expression with its placeholders expanded, and where each expansion came from. */
export interface Expanded {
  text: string;
  /** [start in text, end in text, start in the original, end in the original] of each expansion. */
  spans: Array<[number, number, number, number]>;
}

// Current Caddy: `{name}` not preceded by a backslash becomes ph(req, "name"); a backslash keeps it literal
// (and is dropped). 2.6.2 had no escape.
const PLACEHOLDER = /(\\?)\{([a-zA-Z][\w.-]+)\}/g;

/** Expands `{name}` into `ph(req, "name")` and `\{name}` into `{name}`. */
export function expandPlaceholders(expr: string): Expanded {
  const spans: Expanded['spans'] = [];
  let text = '';
  let last = 0;
  for (const m of expr.matchAll(PLACEHOLDER)) {
    const at = m.index;
    text += expr.slice(last, at);
    const out = m[1] ? `{${m[2]}}` : `${PLACEHOLDER_FUNC}(${REQUEST_VAR}, "${m[2]}")`;
    spans.push([text.length, text.length + out.length, at, at + m[0].length]);
    text += out;
    last = at + m[0].length;
  }
  return { text: text + expr.slice(last), spans };
}

/** Maps an offset in the expanded text back to the original expression. */
export function originalOffset(e: Expanded, offset: number): number {
  let shift = 0;
  for (const [s, end, os, oe] of e.spans) {
    if (offset < s) break;
    if (offset < end) return os;
    shift = oe - end;
  }
  return offset + shift;
}

/** A placeholder's value as CEL sees it. */
export function placeholderValue(r: HttpRequest, key: string): unknown {
  const typed = typedValue(r, key);
  if (typed !== undefined) return typed;
  return requestResolver(r)(key) ?? null;
}

/** Placeholders Caddy sets to Go ints (repl.Set with a number). */
const INT_VALUES = new Set([
  'http.reverse_proxy.status_code',
  'http.intercept.status_code',
  'http.reverse_proxy.upstream.requests',
  'http.reverse_proxy.upstream.max_requests',
  'http.reverse_proxy.upstream.fails',
]);

/** Values Caddy's replacer gives as something other than a string; undefined for the rest. */
function typedValue(r: HttpRequest, key: string): unknown {
  if (key.startsWith('http.vars.')) return celValue(r.vars.get(key.slice(10)));
  if (INT_VALUES.has(key)) {
    const s = requestResolver(r)(key);
    return s !== undefined && /^-?\d+$/.test(s) ? BigInt(s) : undefined;
  }
  switch (key) {
    case 'http.request.port':
    case 'http.request.remote.port':
    case 'http.request.local.port': {
      // Go's strconv.Atoi on the port: an int when it is a number, else the string.
      const s = requestResolver(r)(key) ?? '';
      return /^\d+$/.test(s) ? BigInt(s) : s;
    }
    case 'http.request.duration':
      return Duration.fromMilliseconds(performance.now() - r.startMono);
    case 'http.request.duration_ms':
      return performance.now() - r.startMono;
    case 'http.request.tls.client.san.dns_names':
    case 'http.request.tls.client.san.emails':
      return stringList(r, key);
    case 'http.request.tls.resumed':
      return r.tls ? r.tls.isSessionReused() : null;
    case 'http.error.status_code':
      return r.error ? BigInt(r.error.status) : null;
    case 'time.now':
      return new Date();
  }
  return undefined;
}

/** A certificate's names (Go's []string, a CEL list); null without a client certificate. */
function stringList(r: HttpRequest, key: string): string[] | null {
  const resolve = requestResolver(r);
  if (resolve(key) === undefined) return null;
  const out: string[] = [];
  // Each name by its index; past the last one the value is "" (names are never empty).
  for (let i = 0; ; i++) {
    const v = resolve(`${key}.${i}`);
    if (!v) return out;
    out.push(v);
  }
}

/** A JSON-ish JS value as CEL takes it: JSON numbers are Go float64s (doubles); unset is null. */
function celValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') return v;
  if (Array.isArray(v)) return v.map(celValue);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, celValue(x)]));
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, celValue(x)]));
  return String(v);
}
