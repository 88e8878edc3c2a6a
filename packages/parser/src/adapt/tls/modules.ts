/**
 * @module tls/modules: guest modules that Caddyfile options and the `tls` directive load by ID (Caddy's
 * `caddyfile.UnmarshalModule`): issuers, DNS providers, storage, on-demand permission, cert managers...
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { GuestKind, GuestParser } from '../module.js';
import { guestModule } from '../modules.js';

/** What the parser of a TLS guest kind gives: the contract's module fields, without the key naming it. */
export type TlsGuestFields<K extends TlsGuestKind> = ReturnType<GuestParser<K>>;

/** The guest kinds the TLS modules and the options and directives that load them use. */
export type TlsGuestKind =
  | 'tls-issuer'
  | 'tls-ca-pool-source'
  | 'tls-leaf-verifier'
  | 'dns-provider'
  | 'storage'
  | 'tls-permission'
  | 'tls-cert-getter';

/** Whether a module ID is listed. */
export function hasModule(id: string): boolean {
  return guestModule(id) !== undefined;
}

/**
 * Caddy's `UnmarshalModule(d, id)`: parses the segment at the cursor (the module name and its arguments and
 * block) with the module's parser, and moves `d` past it.
 */
export function unmarshalModule(d: Dispenser, id: string): ReturnType<GuestParser<GuestKind>> {
  const mod = guestModule(id);
  if (!mod) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return mod.parse(d.newFromNextSegment());
}

/** `unmarshalModule` for a TLS guest kind: the fields typed as that kind's parsers give them (`id` is in its namespace). */
export function unmarshalTyped<K extends TlsGuestKind>(d: Dispenser, _kind: K, id: string): TlsGuestFields<K> {
  // The kind is the one of the namespace `id` is in, which the types cannot see in a string: hence the cast.
  return unmarshalModule(d, id) as TlsGuestFields<K>;
}
