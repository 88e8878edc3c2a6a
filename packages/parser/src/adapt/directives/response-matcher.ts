/**
 * @module response-matcher: named response matchers (`@name status 2xx` / `header Foo *`) used by
 * reverse_proxy, intercept and header's `match` (Caddy's `caddyhttp.ParseNamedResponseMatcher`).
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { atoi, headerAdd } from './common.js';
import type { ResponseMatcherJson } from './header-ops.js';

/**
 * Caddy's `MatchHeader.UnmarshalCaddyfile` over its own dispenser (one or more `header Field value` lines),
 * merging into `headers`.
 */
export function parseHeaderMatcher(d: Dispenser, headers: Record<string, string[] | null>): void {
  while (d.next()) {
    if (!d.nextArg()) throw d.err('malformed header matcher: expected field');
    let field = d.val();
    if (field.startsWith('!')) {
      if (field.length === 1) throw d.err('malformed header matcher: must have field name following ! character');
      field = field.slice(1);
      headers[field] = null;
      if (d.nextArg()) throw d.err('malformed header matcher: null matching headers cannot have a field value');
    } else {
      if (!d.nextArg()) throw d.err('malformed header matcher: expected both field and value');
      // http.Header.Add: canonical key, appended to what is there (a null entry counts as empty).
      headerAdd(headers as Record<string, string[]>, field, d.val());
    }
    if (d.nextBlock(0)) throw d.err('malformed header matcher: blocks are not supported');
  }
}

/** Parses a `status` line's codes (`2xx` -> 2). */
export function parseStatusCodes(d: Dispenser, args: string[]): number[] {
  const out: number[] = [];
  for (let arg of args) {
    if (arg.length === 3 && arg.endsWith('xx')) arg = arg.slice(0, 1);
    const n = atoi(arg);
    if (typeof n === 'string') throw d.err(`bad status value '${arg}': ${n}`);
    out.push(n);
  }
  return out;
}

/**
 * Parses one named response matcher whose definition starts at the dispenser's first token (the name) and
 * stores it in `matchers` (Caddy's `ParseNamedResponseMatcher`).
 */
export function parseNamedResponseMatcher(d: Dispenser, matchers: Map<string, ResponseMatcherJson>): void {
  d.next();
  const name = d.val();
  if (matchers.has(name)) throw d.err(`matcher is defined more than once: ${name}`);
  const m: ResponseMatcherJson = {};
  for (const nesting = d.nesting(); d.nextArg() || d.nextBlock(nesting); ) {
    switch (d.val()) {
      case 'header':
        m.headers ??= {};
        parseHeaderMatcher(d.newFromNextSegment(), m.headers);
        break;
      case 'status': {
        m.status_code ??= [];
        const args = d.remainingArgs();
        if (args.length === 0) throw d.argErr();
        m.status_code.push(...parseStatusCodes(d, args));
        break;
      }
      default:
        throw d.err(`unrecognized response matcher ${d.val()}`);
    }
  }
  matchers.set(name, m);
}
