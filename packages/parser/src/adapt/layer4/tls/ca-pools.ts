/**
 * @module layer4/tls/ca-pools: the trust pool sources `tls.ca_pool.source.http` and `.storage`, which a proxy
 * upstream's `tls_trust_pool` may name, listed with the other TLS guest modules in tls/list.
 */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import type { AdaptedCaPool, CaPoolHttpTls, OwnFields } from '@proxy/contract';
import type { ModuleOfKind } from '../../module.js';
import { struct } from '../../json.js';
import { parseTrustPool } from '../../directives/trust-pool.js';
import { durationArg } from '../../options/simple.js';
import { moduleOf } from '../../tls/fields.js';
import { unmarshalTyped } from '../../tls/modules.js';

type Pool<P extends AdaptedCaPool['provider']> = OwnFields<Extract<AdaptedCaPool, { provider: P }>, 'provider'>;

/** The `tls { ca <pool> [...]; insecure_skip_verify; handshake_timeout <d>; server_name <n>; renegotiation <r> }` block. */
function parseHttpTls(d: Dispenser): CaPoolHttpTls {
  const t: CaPoolHttpTls = {};
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    switch (d.val()) {
      case 'ca':
        if (!d.nextArg()) throw d.argErr();
        t.ca = parseTrustPool(d);
        break;
      case 'insecure_skip_verify':
        if (d.nextArg()) throw d.argErr();
        t.insecure_skip_verify = true;
        break;
      case 'handshake_timeout':
        if (!d.nextArg()) throw d.argErr();
        t.handshake_timeout = durationArg(d, d.val());
        break;
      case 'server_name':
        if (!d.nextArg()) throw d.argErr();
        t.server_name = d.val();
        if (d.nextArg()) throw d.argErr();
        break;
      case 'renegotiation': {
        if (!d.nextArg()) throw d.argErr();
        const r = d.val();
        if (d.nextArg()) throw d.argErr();
        if (r !== 'never' && r !== 'once' && r !== 'freely') throw d.err(`unrecognized renegotiation option: ${r}`);
        t.renegotiation = r;
        break;
      }
      default:
        throw d.err(`unrecognized directive: ${d.val()}`);
    }
  }
  return struct<CaPoolHttpTls>({
    ca: t.ca,
    insecure_skip_verify: t.insecure_skip_verify,
    handshake_timeout: t.handshake_timeout,
    server_name: t.server_name,
    renegotiation: t.renegotiation,
  });
}

/** `http [<endpoints...>] { endpoints <urls...>; tls { ... } }` -> `{"endpoints": [...], "tls": {...}}`. */
export function parseHTTPCertPool(d: Dispenser): Pool<'http'> {
  d.next();
  const endpoints = d.remainingArgs();
  let tls: CaPoolHttpTls | undefined;
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    switch (d.val()) {
      case 'endpoints': {
        const a = d.remainingArgs();
        if (a.length === 0) throw d.argErr();
        endpoints.push(...a);
        break;
      }
      case 'tls':
        if (tls) throw d.err('tls block already defined');
        tls = parseHttpTls(d);
        break;
      default:
        throw d.err(`unrecognized directive: ${d.val()}`);
    }
  }
  if (endpoints.length === 0) throw d.err('no endpoints specified');
  return struct<Pool<'http'>>({ endpoints, tls });
}

/** `storage [<pem_keys...>] { storage <module> [...]; keys <pem_keys...> }` -> `{"storage": {...}, "pem_keys": [...]}`. */
export function parseStoragePool(d: Dispenser): Pool<'storage'> {
  d.next();
  const keys = d.remainingArgs();
  let storage: Pool<'storage'>['storage'];
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    switch (d.val()) {
      case 'storage': {
        if (storage) throw d.err('storage module already set');
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        storage = moduleOf<{ module: string }>('module', name, unmarshalTyped(d, 'storage', `caddy.storage.${name}`));
        break;
      }
      case 'keys': {
        const a = d.remainingArgs();
        if (a.length === 0) throw d.argErr();
        keys.push(...a);
        break;
      }
      default:
        throw d.err(`unrecognized directive: ${d.val()}`);
    }
  }
  if (keys.length === 0) throw d.err('no keys specified');
  return struct<Pool<'storage'>>({ storage, pem_keys: keys });
}

export const HTTPCertPool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'http',
  syntax: 'http [<endpoints...>] { endpoints <urls...>; tls { ... } }',
  doc: 'Trusts the CA certificates served by HTTP endpoints.',
  subdirectives: [
    { name: 'endpoints', syntax: 'endpoints <urls...>', doc: 'The URLs that serve PEM certificates.' },
    {
      name: 'tls',
      syntax:
        'tls { ca <pool> [...]; insecure_skip_verify; handshake_timeout <d>; server_name <n>; renegotiation <r> }',
      doc: 'How the endpoints are reached over TLS.',
    },
  ],
  parse: parseHTTPCertPool,
};

export const StoragePool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'storage',
  syntax: 'storage [<keys...>] { storage <module> [...]; keys <keys...> }',
  doc: 'Trusts the CA certificates stored under keys in Caddy storage.',
  subdirectives: [
    {
      name: 'storage',
      syntax: 'storage <module> [...]',
      doc: 'The storage module to read from (default: the global one).',
    },
    { name: 'keys', syntax: 'keys <keys...>', doc: 'The storage keys of PEM certificates.' },
  ],
  parse: parseStoragePool,
};
