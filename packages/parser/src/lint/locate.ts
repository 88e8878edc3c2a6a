/**
 * @module lint/locate: maps a JSON path of the adapted config (as the runtime's validation names it) back to the
 * Caddyfile: the site block whose host matcher the route carries, else the only site, else the file's start.
 */
import type { CaddyfileAST } from '../caddyfile/ast.js';
import type { Config } from '@proxy/contract';
import { siteBlocks } from './lines.js';
import { siteAddress } from './rules/site-address.js';
import type { Span } from './types.js';

/** The hosts a server route matches: `apps.http.servers.NAME.routes[I]` -> that route's `host` matchers. */
function routeHosts(config: Config, path: string): Set<string> | undefined {
  const m = /^apps\.http\.servers\.([^.[]+)\.routes\[(\d+)\]/.exec(path);
  if (!m) return undefined;
  const route = config.apps?.http?.servers?.[m[1]!]?.routes?.[Number(m[2])];
  const hosts = new Set<string>();
  for (const set of route?.match ?? []) for (const h of set.host ?? []) hosts.add(h.toLowerCase());
  return hosts;
}

/** Where in the Caddyfile a problem at `path` of the adapted config comes from. */
export function locateConfigPath(ast: CaddyfileAST, config: Config, path: string): Span {
  const sites = siteBlocks(ast.blocks);
  const hosts = routeHosts(config, path);
  const site =
    (hosts && hosts.size > 0
      ? sites.find((b) => b.keys.some((k) => hosts.has(siteAddress(k.text).host)))
      : undefined) ?? (sites.length === 1 ? sites[0] : undefined);
  if (site) {
    const r = site.range;
    return { file: r.file, line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn };
  }
  return { file: ast.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
