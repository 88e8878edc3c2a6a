/**
 * @module tls/modules: guest modules that Caddyfile options and the `tls` directive load by ID (Caddy's
 * `caddyfile.UnmarshalModule`): issuers, DNS providers, storage, on-demand permission, cert managers...
 */
import type {
  AdaptedCaPool, AdaptedCertGetter, AdaptedLeafVerifier, AdaptedTlsIssuer, FileStorage, HttpPermission,
  MockDnsProvider, OwnFields,
} from '@proxy/contract';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject } from '../json.js';
import type { GuestKind } from '../module.js';
import { guestModule } from '../modules.js';

/** What the parser of each TLS guest kind gives: the contract's module fields, without the key naming it. */
export interface TlsGuestFields {
  'tls-issuer': OwnFields<AdaptedTlsIssuer, 'module'>;
  'tls-ca-pool-source': OwnFields<AdaptedCaPool, 'provider'>;
  'tls-leaf-verifier': OwnFields<AdaptedLeafVerifier, 'verifier'>;
  'dns-provider': OwnFields<MockDnsProvider, 'name'>;
  'storage': OwnFields<FileStorage, 'module'>;
  'tls-permission': OwnFields<HttpPermission, 'module'>;
  'tls-cert-getter': OwnFields<AdaptedCertGetter, 'via'>;
}

/** The JSON a guest kind's parser gives: typed for the TLS kinds, a `JsonObject` for the others. */
export type GuestFields<K extends GuestKind> = K extends keyof TlsGuestFields ? TlsGuestFields[K] : JsonObject;

/** Parses a module's segment (cursor before the module name) into its JSON fields (without the name key). */
export type GuestModuleParser<K extends GuestKind = GuestKind> = (d: Dispenser) => GuestFields<K>;

/** Whether a module ID is listed. */
export function hasModule(id: string): boolean {
  return guestModule(id) !== undefined;
}

/**
 * Caddy's `UnmarshalModule(d, id)`: parses the segment at the cursor (the module name and its arguments and
 * block) with the module's parser, and moves `d` past it. The fields are those of the module `id` names;
 * `unmarshalTyped` gives them the contract's type.
 */
export function unmarshalModule(d: Dispenser, id: string): JsonObject {
  return unmarshal(d, id) as JsonObject;
}

/** `unmarshalModule` for a TLS guest kind: its fields with the contract's type (`id` is in that kind's namespace). */
export function unmarshalTyped<K extends keyof TlsGuestFields>(d: Dispenser, _kind: K, id: string): TlsGuestFields[K] {
  return unmarshal(d, id) as TlsGuestFields[K];
}

function unmarshal(d: Dispenser, id: string): object {
  const mod = guestModule(id);
  if (!mod) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return mod.parse(d.newFromNextSegment());
}
