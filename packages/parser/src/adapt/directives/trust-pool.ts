/**
 * @module trust-pool: `tls.ca_pool.source.*` Caddyfile parsers (inline, file, pki_root, pki_intermediate,
 * system, combined), used by the http transport's `tls_trust_pool` (and usable by the tls directive's
 * `trust_pool`).
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, type JsonObject } from '../json.js';

/** A pool listing items from its line and from one subdirective in its block. */
function listPool(sub: string, key: string, allowArgs: boolean, required: boolean) {
  return (d: Dispenser): JsonObject => {
    d.next();
    const items: string[] = allowArgs ? d.remainingArgs() : [];
    while (d.nextBlock(0)) {
      if (d.val() !== sub) throw d.err(`unrecognized directive: ${d.val()}`);
      items.push(...d.remainingArgs());
    }
    if (required && items.length === 0) throw d.err('no certificates specified');
    return items.length > 0 ? { [key]: items } : {};
  };
}

const POOLS: Record<string, (d: Dispenser) => JsonObject> = {
  inline: listPool('trust_der', 'trusted_ca_certs', false, true),
  file: listPool('pem_file', 'pem_files', true, true),
  pki_root: listPool('authority', 'authority', true, false),
  pki_intermediate: listPool('authority', 'authority', true, false),
  system(d) {
    d.next();
    if (d.nextArg()) throw d.argErr();
    return {};
  },
  combined(d) {
    d.next();
    const sources: JsonObject[] = [];
    while (d.nextBlock(0)) {
      if (d.val() !== 'source') throw d.err(`unrecognized directive: ${d.val()}`);
      if (!d.nextArg()) throw d.argErr();
      sources.push(parseTrustPool(d));
    }
    return sources.length > 0 ? { sources } : {};
  },
};

/** Parses the CA pool source named by the current token into a module object with `provider`. */
export function parseTrustPool(d: Dispenser): JsonObject {
  const name = d.val();
  const id = `tls.ca_pool.source.${name}`;
  // Own keys only: a name such as `toString` is not a pool.
  const parse = Object.hasOwn(POOLS, name) ? POOLS[name] : undefined;
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return moduleObject('provider', name, parse(d.newFromNextSegment()));
}
