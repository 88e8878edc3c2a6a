/**
 * @module layer4/registry: the Caddyfile parsers of caddy-l4's modules (and the Caddy TLS modules it nests),
 * looked up by Caddy module ID (`layer4.matchers.tls`, `layer4.handlers.proxy`, `tls.handshake_match.sni`), with
 * Caddy's `caddyfile.UnmarshalModule`. The definitions are listed in `layer4/list.ts`.
 */
import type {
  AdaptedLayer4Handler,
  AdaptedLayer4SelectionPolicy,
  Layer4KnownMatchers,
  Layer4TlsMatcher,
  OwnFields,
} from '@proxy/contract';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { Layer4Kind, ModuleOfKind, ModuleText } from '../module.js';
import { layer4Module } from '../modules.js';

/** What a module parser may need besides its tokens (Caddy keeps it in the dispenser's context). */
export interface ModuleContext {
  /** The name of the matcher set being defined, without `@` (Caddy's `MatcherNameCtxKey`). */
  matcherName?: string;
}

/** A handler's JSON without its `handler` key. */
export type Layer4HandlerFields<N extends AdaptedLayer4Handler['handler'] = AdaptedLayer4Handler['handler']> =
  OwnFields<Extract<AdaptedLayer4Handler, { handler: N }>, 'handler'>;

/** A TLS handshake matcher's JSON (`tls.handshake_match.<name>`), by name. */
export type HandshakeMatchers = Required<Layer4TlsMatcher>;

/** What each kind's parser gives: the contract's JSON of that module (without its name key). */
export interface Layer4Outputs {
  'layer4-matcher': Layer4KnownMatchers[keyof Layer4KnownMatchers];
  'layer4-handler': Layer4HandlerFields;
  'layer4-lb-policy': OwnFields<AdaptedLayer4SelectionPolicy, 'policy'>;
  'tls-handshake-matcher': HandshakeMatchers[keyof HandshakeMatchers];
}

/**
 * Parses a module's Caddyfile segment (Caddy's `UnmarshalCaddyfile`). The dispenser starts before the
 * module's name token. The result is the module's JSON, built in Go struct field order.
 */
export type ModuleParser<K extends Layer4Kind = Layer4Kind> = (d: Dispenser, ctx: ModuleContext) => Layer4Outputs[K];

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
export function unmarshalModule<K extends Layer4Kind>(
  d: Dispenser,
  _kind: K,
  id: string,
  ctx: ModuleContext = {},
): Layer4Outputs[K] {
  const mod = requireModule(d, id);
  return mod.parse(d.newFromNextSegment(), ctx) as Layer4Outputs[K];
}

/** A matcher module definition: `layer4.matchers.<name>`, its parser giving that matcher's JSON. */
export function matcher<N extends keyof Layer4KnownMatchers>(
  name: N,
  text: ModuleText,
  parse: (d: Dispenser, ctx: ModuleContext) => Layer4KnownMatchers[N],
): ModuleOfKind<'layer4-matcher'> {
  return { kind: 'layer4-matcher', name, ...text, parse };
}

/** A handler module definition: `layer4.handlers.<name>`; the `handler` key is added by the caller. */
export function handler<N extends AdaptedLayer4Handler['handler']>(
  name: N,
  text: ModuleText,
  parse: (d: Dispenser, ctx: ModuleContext) => Layer4HandlerFields<N>,
): ModuleOfKind<'layer4-handler'> {
  return { kind: 'layer4-handler', name, ...text, parse };
}

/** A TLS handshake matcher definition: `tls.handshake_match.<name>`, its parser giving that matcher's JSON. */
export function handshakeMatcher<N extends keyof HandshakeMatchers>(
  name: N,
  text: ModuleText,
  parse: (d: Dispenser, ctx: ModuleContext) => HandshakeMatchers[N],
): ModuleOfKind<'tls-handshake-matcher'> {
  return { kind: 'tls-handshake-matcher', name, ...text, parse };
}
