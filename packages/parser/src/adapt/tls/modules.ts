/**
 * @module tls/modules: guest modules that Caddyfile options and the `tls` directive load by ID (Caddy's
 * `caddyfile.UnmarshalModule`): issuers, DNS providers, storage, on-demand permission, cert managers...
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject } from '../json.js';
import { guestModule } from '../modules.js';

/** Parses a module's segment (cursor before the module name) into its JSON fields (without the name key). */
export type GuestModuleParser = (d: Dispenser) => JsonObject;

/** Whether a module ID is listed. */
export function hasModule(id: string): boolean {
  return guestModule(id) !== undefined;
}

/**
 * Caddy's `UnmarshalModule(d, id)`: parses the segment at the cursor (the module name and its arguments and
 * block) with the module's parser, and moves `d` past it.
 */
export function unmarshalModule(d: Dispenser, id: string): JsonObject {
  const mod = guestModule(id);
  if (!mod) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  // Any kind, named by the user: the parsers of the kinds the contract types are checked where they are defined.
  return mod.parse(d.newFromNextSegment()) as JsonObject;
}
