/** @module options/modules: global options that load guest modules: storage, dns, acme_dns, cert_issuer, acme_eab, on_demand_tls, preferred_chains. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { struct, moduleObject } from '../json.js';
import type { AcmeIssuer, FileStorage, HttpPermission, PostgresStorage } from '@proxy/contract';
import { moduleOf } from '../tls/fields.js';
import { unmarshalTyped } from '../tls/modules.js';
import { dnsProvider, issuerOf, type Issuer } from '../tls/issuers.js';
import { parsePreferredChains } from '../tls/preferred-chains.js';

/** `storage <module> ...` → the storage module object ({module, ...fields}, keys sorted). */
export function parseOptStorage(d: Dispenser): FileStorage | PostgresStorage {
  if (!d.next()) throw d.argErr();
  if (!d.next()) throw d.argErr();
  const name = d.val();
  return moduleOf<FileStorage | PostgresStorage>('module', name, unmarshalTyped(d, 'storage', `caddy.storage.${name}`));
}

/** `dns <provider> ...` / `acme_dns [provider ...]` → the provider module object ({name, ...}); bare acme_dns → null. */
export function parseOptDNS(d: Dispenser): unknown {
  d.next();
  const opt = d.val();
  if (!d.next()) {
    if (opt === 'acme_dns') return null;
    throw d.argErr();
  }
  return dnsProvider(d, d.val());
}

/** `acme_eab { key_id X; mac_key Y }`. */
export function parseOptACMEEAB(d: Dispenser): unknown {
  d.next();
  if (d.nextArg()) throw d.argErr();
  let keyID = '';
  let macKey = '';
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'key_id':
        if (!d.nextArg()) throw d.argErr();
        keyID = d.val();
        break;
      case 'mac_key':
        if (!d.nextArg()) throw d.argErr();
        macKey = d.val();
        break;
      default:
        throw d.err(`unrecognized parameter '${d.val()}'`);
    }
  }
  return struct<NonNullable<AcmeIssuer['external_account']>>({ key_id: keyID, mac_key: macKey });
}

/** `cert_issuer <module> ...` → appended to earlier issuers. */
export function parseOptCertIssuer(d: Dispenser, existing: unknown): unknown {
  d.next();
  const issuers = [...((existing as Issuer[] | undefined) ?? [])];
  if (!d.next()) throw d.argErr();
  issuers.push(issuerOf(d, d.val()));
  return issuers;
}

/** `on_demand_tls { ask URL | permission <module> ... }` → {permission}. */
export function parseOptOnDemand(d: Dispenser): unknown {
  d.next();
  if (d.nextArg()) throw d.argErr();
  let ond: { permission?: unknown } | undefined;
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'ask':
        if (!d.nextArg()) throw d.argErr();
        ond ??= {};
        if (ond.permission) throw d.err("on-demand TLS permission module (or 'ask') already specified");
        ond.permission = moduleObject('module', 'http', { endpoint: d.val() });
        break;
      case 'permission': {
        if (!d.nextArg()) throw d.argErr();
        ond ??= {};
        if (ond.permission) throw d.err("on-demand TLS permission module (or 'ask') already specified");
        const name = d.val();
        ond.permission = moduleOf<HttpPermission>(
          'module',
          name,
          unmarshalTyped(d, 'tls-permission', `tls.permission.${name}`),
        );
        break;
      }
      case 'interval':
        throw d.err("the on_demand_tls 'interval' option is no longer supported, remove it from your config");
      case 'burst':
        throw d.err("the on_demand_tls 'burst' option is no longer supported, remove it from your config");
      default:
        throw d.err(`unrecognized parameter '${d.val()}'`);
    }
  }
  if (!ond) throw d.err('expected at least one config parameter for on_demand_tls');
  return ond;
}

/** `preferred_chains ...`. */
export function parseOptPreferredChains(d: Dispenser): unknown {
  d.next();
  return parsePreferredChains(d);
}
