/**
 * @module layer4/tls/ca-pools: the trust pool sources `tls.ca_pool.source.http` and `.storage`, which a proxy
 * upstream's `tls_trust_pool` may name, added to the shared TLS guest-module registry (tls/modules) that
 * holds the other sources (inline, file, pki_root, pki_intermediate, combined, system).
 */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import { struct, type JsonObject } from '../../json.js';

/** A source listing values on its line and/or on `<sub>` lines in its block -> `{"<field>": [...]}`. */
function listSource(field: string, sub: string, what: string) {
  return (d: Dispenser): JsonObject => {
    d.next();
    const items = d.remainingArgs();
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== sub) throw d.err(`unrecognized directive: ${d.val()}`);
      items.push(...d.remainingArgs());
    }
    if (items.length === 0) throw d.err(`no ${what} specified`);
    return struct({ [field]: items });
  };
}

/** `http [<endpoints...>] { endpoints <urls...> }` -> `{"endpoints": [...]}`. */
export const parseHTTPCertPool = listSource('endpoints', 'endpoints', 'endpoints');

/** `storage [<pem_keys...>] { keys <pem_keys...> }` -> `{"pem_keys": [...]}`. */
export const parseStoragePool = listSource('pem_keys', 'keys', 'keys');
