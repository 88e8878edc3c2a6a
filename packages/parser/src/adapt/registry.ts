/**
 * @module registry: the parser signatures of directives, global options and listener wrappers (Caddy's
 * `UnmarshalFunc`, `UnmarshalHandlerFunc`, `UnmarshalGlobalFunc`), and the pipeline's view of them by name.
 * The definitions are in the module files, collected by the list files (see `module.ts`, `modules.ts`).
 */
import type { AdaptedHttpHandler, AdaptedListenerWrapper, EventsApp, Layer4App } from '@proxy/contract';
import type { Dispenser } from '../caddyfile/dispenser.js';
import type { Helper } from './helper.js';
import type { ModuleOfKind } from './module.js';
import { lookup, lookupDirective } from './modules.js';

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
export type HandlerDirectiveParser = (h: Helper) => AdaptedHttpHandler;

/** Parses a global option's segment; `existing` is the value of an earlier occurrence (Caddy's `UnmarshalGlobalFunc`). */
export type GlobalOptionParser = (d: Dispenser, existing: unknown) => unknown;

/** A directive as the pipeline runs it. */
export interface DirectiveDefinition {
  name: string;
  parse: DirectiveParser;
  /** Whether it is a handler directive (and so may take a matcher token). */
  isHandler: boolean;
}

/**
 * A handler directive as a directive: consumes the directive name and an optional matcher token, calls the
 * module's parser, and returns the handler in a route with that matcher (Caddy's `RegisterHandlerDirective`).
 */
function handlerDirective(m: ModuleOfKind<'handler-directive'>): DirectiveDefinition {
  return {
    name: m.name,
    isHandler: true,
    parse: (h) => {
      if (!h.next()) throw h.argErr();
      // Removes the matcher token from the segment and resets the cursor (Caddy's ExtractMatcherSet).
      const matcherSet = h.extractMatcherSet();
      const handler = m.parse(h);
      return h.newRoute(matcherSet, handler);
    },
  };
}

const runnable = new Map<string, DirectiveDefinition>();

/** The directive listed under a name. */
export function directive(name: string): DirectiveDefinition | undefined {
  const cached = runnable.get(name);
  if (cached) return cached;
  const m = lookupDirective(name);
  if (!m) return undefined;
  const def = m.kind === 'handler-directive' ? handlerDirective(m) : { name, parse: m.parse, isHandler: false };
  runnable.set(name, def);
  return def;
}

/** Whether a name is a listed directive. */
export function isDirective(name: string): boolean {
  return lookupDirective(name) !== undefined;
}

/** The global option parser listed under a name. */
export function globalOption(name: string): GlobalOptionParser | undefined {
  return lookup('global-option', name)?.parse;
}

/** Parses a listener wrapper's segment (`NAME [args] [{...}]` inside `servers { listener_wrappers { } }`); the
 * result must include `"wrapper": NAME` (sorted keys, a module object). */
export type ListenerWrapperParser = (d: Dispenser) => AdaptedListenerWrapper;

/** The listener wrapper parser listed under its module name in `caddy.listeners` (`tls`, `layer4`...). */
export function listenerWrapper(name: string): ListenerWrapperParser | undefined {
  return lookup('listener-wrapper', name)?.parse;
}

/**
 * A global option's value that is a whole app (Caddy's `httpcaddyfile.App`): the pipeline puts it at
 * `apps[name]`. The `layer4` and `events` options return one.
 */
export type AppValue =
  | { kind: 'app'; name: 'layer4'; value: Layer4App }
  | { kind: 'app'; name: 'events'; value: EventsApp };

/** Whether an option value is an app. */
export function isAppValue(v: unknown): v is AppValue {
  return typeof v === 'object' && v !== null && (v as AppValue).kind === 'app';
}
