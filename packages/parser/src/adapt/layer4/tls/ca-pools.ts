/**
 * @module layer4/tls/ca-pools: the trust pool sources `tls.ca_pool.source.http` and `.storage`, which a proxy
 * upstream's `tls_trust_pool` may name, listed with the other TLS guest modules in tls/list.
 */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import type { AdaptedCaPool, OwnFields } from '@proxy/contract';
import type { ModuleOfKind } from '../../module.js';
import { struct, type StructFields } from '../../json.js';

type Pool<P extends AdaptedCaPool['provider']> = OwnFields<Extract<AdaptedCaPool, { provider: P }>, 'provider'>;

/** A source listing values on its line and/or on `<sub>` lines in its block -> `{"<field>": [...]}`. */
function listSource<P extends 'http' | 'storage'>(field: keyof Pool<P> & string, sub: string, what: string) {
  return (d: Dispenser): Pool<P> => {
    d.next();
    const items = d.remainingArgs();
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== sub) throw d.err(`unrecognized directive: ${d.val()}`);
      items.push(...d.remainingArgs());
    }
    if (items.length === 0) throw d.err(`no ${what} specified`);
    // A computed key of a generic P types as an index signature, which no field check can take: hence the cast.
    return struct<Pool<P>>({ [field]: items } as StructFields<Pool<P>>);
  };
}

/** `http [<endpoints...>] { endpoints <urls...> }` -> `{"endpoints": [...]}`. */
export const parseHTTPCertPool = listSource<'http'>('endpoints', 'endpoints', 'endpoints');

/** `storage [<pem_keys...>] { keys <pem_keys...> }` -> `{"pem_keys": [...]}`. */
export const parseStoragePool = listSource<'storage'>('pem_keys', 'keys', 'keys');

export const HTTPCertPool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'http',
  syntax: 'http [<endpoints...>] { endpoints <urls...>; tls { ... } }',
  doc: 'Trusts the CA certificates served by HTTP endpoints.',
  subdirectives: [{ name: 'endpoints', syntax: 'endpoints <urls...>', doc: 'The URLs that serve PEM certificates.' }],
  parse: parseHTTPCertPool,
};

export const StoragePool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'storage',
  syntax: 'storage [<keys...>] { storage <module> [...]; keys <keys...> }',
  doc: 'Trusts the CA certificates stored under keys in Caddy storage.',
  subdirectives: [{ name: 'keys', syntax: 'keys <keys...>', doc: 'The storage keys of PEM certificates.' }],
  parse: parseStoragePool,
};
