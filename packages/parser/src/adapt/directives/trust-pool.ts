/** @module trust-pool: `tls.ca_pool.source.*` Caddyfile parsers (inline, file, pki_root, pki_intermediate) for `tls_trust_pool`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, type JsonObject } from '../json.js';

function listPool(sub: string, key: string, allowArgs: boolean, aliases: string[] = []) {
  return (d: Dispenser): JsonObject => {
    d.next();
    const items: string[] = allowArgs ? d.remainingArgs() : [];
    while (d.nextBlock(0)) {
      if (d.val() !== sub && !aliases.includes(d.val())) throw d.err(`unrecognized directive: ${d.val()}`);
      items.push(...d.remainingArgs());
    }
    if (items.length === 0 && key !== 'authority') throw d.err('no certificates specified');
    return items.length > 0 ? { [key]: items } : {};
  };
}

const POOLS: Record<string, (d: Dispenser) => JsonObject> = {
  inline: listPool('trust_der', 'trusted_ca_certs', false),
  file: listPool('pem_file', 'pem_files', true),
  pki_root: listPool('authority', 'authority', true, ['ca']),
  pki_intermediate: listPool('authority', 'authority', true, ['ca']),
};

/** Parses the CA pool source named by the current token into a module object with `provider`. */
export function parseTrustPool(d: Dispenser): JsonObject {
  const name = d.val();
  const id = `tls.ca_pool.source.${name}`;
  const parse = POOLS[name];
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return moduleObject('provider', name, parse(d.newFromNextSegment()));
}
