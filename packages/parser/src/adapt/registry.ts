/**
 * @module registry: the one registry of Caddyfile directives, global options and layer4/listener-wrapper
 * parsers (Caddy's `RegisterDirective`, `RegisterHandlerDirective`, `RegisterGlobalOption`). Each module file
 * exports its definition; `directives/index.ts` (and friends) list them and register them here, so the load
 * order stays visible. Registering a name twice throws.
 */
import type { Dispenser } from '../caddyfile/dispenser.js';
import type { Helper } from './helper.js';
import type { JsonObject } from './json.js';

/**
 * A piece of config a directive returns, tagged with its class (Caddy's `ConfigValue`): `route`,
 * `error_route`, `tls.connection_policy`, `tls.cert_issuer`, `bind`, `custom_log`, `named_route`...
 */
export interface ConfigValue {
  class: string;
  value: unknown;
  /** The directive that produced it (set by the pipeline; `handle_path` is recorded as `handle`). */
  directive?: string;
}

/** Parses one directive's segment into config values (Caddy's `UnmarshalFunc`). */
export type DirectiveParser = (h: Helper) => ConfigValue[];

/**
 * Parses a handler directive into one handler module object (with its `handler` key) (Caddy's
 * `UnmarshalHandlerFunc`). The wrapper has already removed the matcher token, if any, and reset the cursor,
 * so the parser starts before the directive name and consumes it with `h.next()`, as Caddy's do. The
 * wrapper turns the handler into a route.
 */
export type HandlerDirectiveParser = (h: Helper) => JsonObject;

/** Parses a global option's segment; `existing` is the value of an earlier occurrence (Caddy's `UnmarshalGlobalFunc`). */
export type GlobalOptionParser = (d: Dispenser, existing: unknown) => unknown;

/** A registered directive. */
export interface DirectiveDefinition {
  name: string;
  parse: DirectiveParser;
  /** Whether it was registered as a handler directive (and so may take a matcher token). */
  isHandler: boolean;
}

const directives = new Map<string, DirectiveDefinition>();
const globalOptions = new Map<string, GlobalOptionParser>();

/** Registers a directive; throws if the name is taken. */
export function registerDirective(name: string, parse: DirectiveParser): void {
  if (directives.has(name)) throw new Error(`directive ${name} already registered`);
  directives.set(name, { name, parse, isHandler: false });
}

/**
 * Registers a handler directive: the wrapper consumes the directive name and an optional matcher token,
 * calls `parse`, and returns the handler in a route with that matcher (Caddy's `RegisterHandlerDirective`).
 */
export function registerHandlerDirective(name: string, parse: HandlerDirectiveParser): void {
  if (directives.has(name)) throw new Error(`directive ${name} already registered`);
  directives.set(name, {
    name,
    isHandler: true,
    parse: (h) => {
      if (!h.next()) throw h.argErr();
      // Removes the matcher token from the segment and resets the cursor (Caddy's ExtractMatcherSet).
      const matcherSet = h.extractMatcherSet();
      const handler = parse(h);
      return h.newRoute(matcherSet, handler);
    },
  });
}

/** Registers a global option; throws if the name is taken. */
export function registerGlobalOption(name: string, parse: GlobalOptionParser): void {
  if (globalOptions.has(name)) throw new Error(`global option ${name} already registered`);
  globalOptions.set(name, parse);
}

/** The directive registered under a name. */
export function directive(name: string): DirectiveDefinition | undefined {
  return directives.get(name);
}

/** Whether a name is a registered directive. */
export function isDirective(name: string): boolean {
  return directives.has(name);
}

/** The global option parser registered under a name. */
export function globalOption(name: string): GlobalOptionParser | undefined {
  return globalOptions.get(name);
}

/** Parses a listener wrapper's segment (`NAME [args] [{...}]` inside `servers { listener_wrappers { } }`). */
export type ListenerWrapperParser = (d: Dispenser) => JsonObject;

const listenerWrappers = new Map<string, ListenerWrapperParser>();

/**
 * Registers a listener wrapper parser by its module name in `caddy.listeners` (`tls`, `http_redirect`,
 * `proxy_protocol`, `layer4`); the result must include `"wrapper": NAME` (sorted keys, a module object).
 */
export function registerListenerWrapper(name: string, parse: ListenerWrapperParser): void {
  if (listenerWrappers.has(name)) throw new Error(`listener wrapper ${name} already registered`);
  listenerWrappers.set(name, parse);
}

/** The listener wrapper parser registered under a name. */
export function listenerWrapper(name: string): ListenerWrapperParser | undefined {
  return listenerWrappers.get(name);
}

/**
 * A global option's value that is a whole app (Caddy's `httpcaddyfile.App`): the pipeline puts it at
 * `apps[name]`. The `layer4` option returns one.
 */
export interface AppValue {
  kind: 'app';
  name: string;
  value: JsonObject;
}

/** Whether an option value is an app. */
export function isAppValue(v: unknown): v is AppValue {
  return typeof v === 'object' && v !== null && (v as AppValue).kind === 'app';
}
