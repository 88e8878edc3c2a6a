/** @module site: a site block during adaptation (Caddy's `serverBlock`) and the per-listener views of it. */
import type { ServerBlock } from '../../caddyfile/ast.js';
import type { Token } from '../../caddyfile/token.js';
import type { ConfigValue } from '../registry.js';
import { joinHostPort, trySplitHostPort } from './net.js';
import type { Address } from './address.js';

/** A site block with its directive results piled by class. */
export interface SiteBlock {
  index: number;
  block: ServerBlock;
  pile: Map<string, ConfigValue[]>;
}

/** A site block as served on one listener: only the keys that use it (Caddy's per-listener `serverBlock`). */
export interface SiteView {
  site: SiteBlock;
  keys: Token[];
  keyIndexes: number[];
  parsedKeys: Address[];
}

/** The values of one class. */
export function pileOf(s: SiteBlock, cls: string): ConfigValue[] {
  return s.pile.get(cls) ?? [];
}

/** Whether two lists of views are equal (Caddy's `reflect.DeepEqual` on server block lists). */
export function sameViews(a: SiteView[] | undefined, b: SiteView[] | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x.site === b[i]!.site && x.keyIndexes.join(',') === b[i]!.keyIndexes.join(','));
}

/** Caddy's `hostsFromKeys`: the hosts; with `loggerMode`, hosts with non-default ports keep `host:port`. */
export function hostsFromKeys(v: SiteView, loggerMode: boolean, httpPort = '80', httpsPort = '443'): string[] {
  const out = new Set<string>();
  for (const a of v.parsedKeys) {
    if (a.host === '') {
      if (!loggerMode) return [];
      continue;
    }
    if (loggerMode && a.port !== '' && a.port !== httpPort && a.port !== httpsPort)
      out.add(joinHostPort(a.host, a.port));
    else out.add(a.host);
  }
  return [...out];
}

/** Hosts whose keys are neither `http://` nor on the HTTP port. */
export function hostsFromKeysNotHTTP(v: SiteView, httpPort: string): string[] {
  const out = new Set<string>();
  for (const a of v.parsedKeys) if (a.host !== '' && a.scheme !== 'http' && a.port !== httpPort) out.add(a.host);
  return [...out];
}

/** Whether a key has no host (catch-all). */
export function hasHostCatchAllKey(v: SiteView): boolean {
  return v.parsedKeys.some((a) => a.host === '');
}

/** Whether every key is `http://`. */
export function isAllHTTP(v: SiteView): boolean {
  return v.parsedKeys.every((a) => a.scheme === 'http');
}

/** Strips a port from `host:port` (as `net.SplitHostPort`, falling back to the input). */
export function stripPort(h: string): string {
  const hp = trySplitHostPort(h);
  return typeof hp === 'string' ? h : hp[0];
}
