/**
 * @module trust-pool: the `tls.ca_pool.source.*` modules inline, file, pki_root, pki_intermediate, system and
 * combined, which the http transport's `tls_trust_pool`, `client_auth`'s `trust_pool` and layer4 upstreams load.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { AdaptedCaPool, OwnFields } from '@proxy/contract';
import { guestModules } from '../module.js';
import { lookup } from '../modules.js';
import { moduleOf } from '../tls/fields.js';

type PoolFields = OwnFields<AdaptedCaPool, 'provider'>;

/** A pool listing items from its line and from one subdirective in its block. */
function listPool(
  sub: string,
  key: 'trusted_ca_certs' | 'pem_files' | 'authority',
  allowArgs: boolean,
  required: boolean,
) {
  return (d: Dispenser): PoolFields => {
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

const POOLS = {
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
    const sources: AdaptedCaPool[] = [];
    while (d.nextBlock(0)) {
      if (d.val() !== 'source') throw d.err(`unrecognized directive: ${d.val()}`);
      if (!d.nextArg()) throw d.argErr();
      sources.push(parseTrustPool(d));
    }
    return sources.length > 0 ? { sources } : {};
  },
} satisfies Record<string, (d: Dispenser) => PoolFields>;

export const CA_POOL_SOURCES = guestModules('tls-ca-pool-source', POOLS, {
  inline: {
    syntax: 'inline { trust_der <base64_der...> }',
    doc: 'Trusts CA certificates given inline as base64 DER.',
    subdirectives: [{ name: 'trust_der', syntax: 'trust_der <base64_der...>', doc: 'CA certificates in base64 DER.' }],
  },
  file: {
    syntax: 'file [<pem_files...>] { pem_file <pem_files...> }',
    doc: 'Trusts CA certificates from PEM files.',
    subdirectives: [{ name: 'pem_file', syntax: 'pem_file <pem_files...>', doc: 'PEM files of CA certificates.' }],
  },
  pki_root: {
    syntax: 'pki_root [<ca_ids...>] { authority <ca_ids...> }',
    doc: 'Trusts the root certificates of pki app CAs.',
    subdirectives: [
      { name: 'authority', syntax: 'authority <ca_ids...>', doc: 'The pki CAs whose roots are trusted.' },
    ],
  },
  pki_intermediate: {
    syntax: 'pki_intermediate [<ca_ids...>] { authority <ca_ids...> }',
    doc: 'Trusts the intermediate certificates of pki app CAs.',
    subdirectives: [
      { name: 'authority', syntax: 'authority <ca_ids...>', doc: 'The pki CAs whose intermediates are trusted.' },
    ],
  },
  system: { syntax: 'system', doc: "Trusts the system's root certificates." },
  combined: {
    syntax: 'combined { source <pool> [...] ... }',
    doc: 'Trusts the union of several trust pools.',
    subdirectives: [{ name: 'source', syntax: 'source <pool> [...]', doc: 'A trust pool module (repeatable).' }],
  },
});

/** Parses the CA pool source named by the current token into a module object with `provider`. */
export function parseTrustPool(d: Dispenser): AdaptedCaPool {
  const name = d.val();
  const id = `tls.ca_pool.source.${name}`;
  const parse = lookup('tls-ca-pool-source', name)?.parse;
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return moduleOf<AdaptedCaPool>('provider', name, parse(d.newFromNextSegment()));
}
