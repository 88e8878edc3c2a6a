/**
 * @module layer4/registry: the Caddyfile parsers of caddy-l4's modules (and the Caddy TLS modules it nests),
 * looked up by Caddy module ID (`layer4.matchers.tls`, `layer4.handlers.proxy`, `tls.handshake_match.sni`), with
 * Caddy's `caddyfile.UnmarshalModule`. The definitions are listed in `layer4/list.ts`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject, JsonValue } from '../json.js';
import type { Layer4Kind, ModuleOfKind, ModuleText } from '../module.js';
import { layer4Module } from '../modules.js';

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

/** A caddy-l4 module definition (or a TLS handshake matcher one nests). */
export type ModuleDefinition = ModuleOfKind<Layer4Kind>;

/** The module listed under an ID. */
export function getModule(id: string): ModuleDefinition | undefined {
  return layer4Module(id);
}

/** The module or an error at the current token: `getting module named 'ID': module not registered: ID`. */
export function requireModule(d: Dispenser, id: string): ModuleDefinition {
  const mod = layer4Module(id);
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
export function matcher(name: string, text: ModuleText, parse: ModuleParser): ModuleOfKind<'layer4-matcher'> {
  return { kind: 'layer4-matcher', name, ...text, parse };
}

/** A handler module definition: `layer4.handlers.<name>`; the `handler` key is added by the caller. */
export function handler(name: string, text: ModuleText, parse: HandlerParser): ModuleOfKind<'layer4-handler'> {
  return { kind: 'layer4-handler', name, ...text, parse };
}
