/**
 * @module layer4/tls/handshake-matcher-set: Caddy's `caddytls.ParseCaddyfileNestedMatcherSet`: a set of TLS
 * handshake matchers (`tls.handshake_match.*`), used by the layer4 `tls` and `quic` matchers and by a
 * connection policy's `match`.
 */
import { Dispenser } from '../../../caddyfile/dispenser.js';
import type { Token } from '../../../caddyfile/token.js';
import type { Layer4TlsMatcher } from '@proxy/contract';
import { sortedMap } from '../../json.js';
import { getModule } from '../registry.js';

/**
 * The handshake matchers after the current token on its line, or in the block it opens. Lines naming the
 * same matcher are concatenated and parsed by that matcher together (so `sni a` and `sni b` give one list).
 * All matchers in the set must match (AND). Result: matcher name -> JSON, keys sorted.
 */
export function parseHandshakeMatcherSet(d: Dispenser): Layer4TlsMatcher {
  const tokensByName = new Map<string, Token[]>();
  for (const nesting = d.nesting(); d.nextArg() || d.nextBlock(nesting); ) {
    const name = d.val();
    const tokens = tokensByName.get(name) ?? [];
    tokens.push(...d.nextSegment());
    tokensByName.set(name, tokens);
  }
  const set: Record<string, unknown> = {};
  for (const [name, tokens] of tokensByName) {
    const id = `tls.handshake_match.${name}`;
    const mod = getModule(id);
    if (!mod) throw d.err(`getting matcher module '${name}': module not registered: ${id}`);
    set[name] = mod.parse(new Dispenser(tokens), {});
  }
  return sortedMap(set);
}
