/**
 * @module layer4/registry: the Caddyfile parsers of caddy-l4's modules (and the Caddy TLS modules it nests),
 * keyed by Caddy module ID (`layer4.matchers.tls`, `layer4.handlers.proxy`, `tls.handshake_match.sni`), with
 * Caddy's `caddyfile.UnmarshalModule`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject, JsonValue } from '../json.js';

/** What a module parser may need besides its tokens (Caddy keeps it in the dispenser's context). */
export interface ModuleContext {
  /** The name of the matcher set being defined, without `@` (Caddy's `MatcherNameCtxKey`). */
  matcherName?: string;
}

/**
 * Parses a module's Caddyfile segment (Caddy's `UnmarshalCaddyfile`). The dispenser starts before the
 * module's name token. The result is the module's JSON, built in Go struct field order.
 */
export type ModuleParser = (d: Dispenser, ctx: ModuleContext) => JsonValue;

/** A handler module parser: its JSON object, without the `handler` key. */
export type HandlerParser = (d: Dispenser, ctx: ModuleContext) => JsonObject;

/** A module: its full ID and its Caddyfile parser. */
export interface ModuleDefinition {
  id: string;
  parse: ModuleParser;
}

const modules = new Map<string, ModuleDefinition>();

/** Registers a module by its ID; throws if the ID is taken. */
export function registerModule(def: ModuleDefinition): void {
  if (modules.has(def.id)) throw new Error(`module ${def.id} already registered`);
  modules.set(def.id, def);
}

/** The module registered under an ID. */
export function getModule(id: string): ModuleDefinition | undefined {
  return modules.get(id);
}

/** The IDs of the registered modules in a namespace (`layer4.matchers`), sorted. */
export function moduleIds(namespace: string): string[] {
  return [...modules.keys()].filter((id) => id.startsWith(`${namespace}.`)).sort();
}

/** The module or an error at the current token: `getting module named 'ID': module not registered: ID`. */
export function requireModule(d: Dispenser, id: string): ModuleDefinition {
  const mod = modules.get(id);
  if (!mod) throw d.err(`getting module named '${id}': module not registered: ${id}`);
  return mod;
}

/**
 * Caddy's `caddyfile.UnmarshalModule`: looks the module up, then parses the segment that starts at the
 * current token (`NewFromNextSegment`), so the parser sees the module name first.
 */
export function unmarshalModule(d: Dispenser, id: string, ctx: ModuleContext = {}): JsonValue {
  const mod = requireModule(d, id);
  return mod.parse(d.newFromNextSegment(), ctx);
}

/** A matcher module definition: `layer4.matchers.<name>`. */
export function matcher(name: string, parse: ModuleParser): ModuleDefinition {
  return { id: `layer4.matchers.${name}`, parse };
}

/** A handler module definition: `layer4.handlers.<name>`; the `handler` key is added by the caller. */
export function handler(name: string, parse: HandlerParser): ModuleDefinition {
  return { id: `layer4.handlers.${name}`, parse };
}
