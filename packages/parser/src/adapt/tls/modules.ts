/**
 * @module tls/modules: guest modules that Caddyfile options and the `tls` directive load by ID (Caddy's
 * `caddyfile.UnmarshalModule`): issuers, DNS providers, storage, on-demand permission, cert managers...
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject } from '../json.js';

/** Parses a module's segment (cursor before the module name) into its JSON fields (without the name key). */
export type ModuleParser = (d: Dispenser) => JsonObject;

const modules = new Map<string, ModuleParser>();

/** Registers a module by full ID (`tls.issuance.acme`, `dns.providers.mock`...); throws if taken. */
export function registerModule(id: string, parse: ModuleParser): void {
  if (modules.has(id)) throw new Error(`module ${id} already registered`);
  modules.set(id, parse);
}

/** Whether a module ID is registered. */
export function hasModule(id: string): boolean {
  return modules.has(id);
}

/**
 * Caddy's `UnmarshalModule(d, id)`: parses the segment at the cursor (the module name and its arguments and
 * block) with the module's parser, and moves `d` past it.
 */
export function unmarshalModule(d: Dispenser, id: string): JsonObject {
  const parse = modules.get(id);
  if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return parse(d.newFromNextSegment());
}
