/** @module layer4/matchers/http: the `http` matcher (caddy-l4 `MatchHTTP`): HTTP requests, by Caddy's HTTP request matchers. */
import type { Token } from '../../../caddyfile/token.js';
import { sortedMap, type JsonValue } from '../../json.js';
import { makeMatcher } from '../../matchers/index.js';
import { matcher } from '../registry.js';
import { consumeName } from '../syntax.js';

/**
 * `http`, `http <matcher> [<args...>]` or `http { <matcher> ... }` with `http.matchers.*` matchers (host,
 * path, method, header, remote_ip, not...) -> one HTTP matcher set in an array: `[{"host": [...]}]` (Caddy's
 * `caddyhttp.ParseCaddyfileNestedMatcherSet`: lines naming the same matcher are parsed together).
 */
export const MatchHTTP = matcher(
  'http',
  {
    syntax: 'http <http matcher> <args...> | http { <http matchers...> }',
    doc: "Matches HTTP requests by Caddy's HTTP request matchers (one AND-ed set).",
  },
  (d) => {
    consumeName(d);
    const tokensByName = new Map<string, Token[]>();
    for (const nesting = d.nesting(); d.nextArg() || d.nextBlock(nesting); ) {
      const name = d.val();
      tokensByName.set(name, [...(tokensByName.get(name) ?? []), ...d.nextSegment()]);
    }
    const set: Record<string, JsonValue> = {};
    // The tokens go to a fresh dispenser, so matchers see no @matcher name (regexp names stay empty).
    for (const [name, tokens] of tokensByName) set[name] = makeMatcher(name, tokens, { matcherName: '' });
    return [sortedMap(set)];
  },
);
