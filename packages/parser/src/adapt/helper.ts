/**
 * @module helper: what a directive parser gets (Caddy's `httpcaddyfile.Helper`): the dispenser over its
 * segment plus the site's context: global options, named matchers, shared state, and route builders.
 */
import type { Token } from '../caddyfile/token.js';
import type { Dispenser } from '../caddyfile/dispenser.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ConfigValue } from './registry.js';
import type { AdaptedHttpHandler, AdaptedMatcherSet, SubrouteHandler } from '@proxy/contract';

/** A matcher set: matcher module name -> its JSON value (Caddy's `caddy.ModuleMap`). */
export type MatcherSet = AdaptedMatcherSet;

/**
 * The Helper. It *is* a Dispenser (all cursor methods and error helpers), positioned before the
 * directive's name token, plus the context below.
 */
export interface Helper extends Dispenser {
  /** The global options evaluated so far, by option name. */
  readonly options: ReadonlyMap<string, unknown>;
  /** Shared across the whole adaptation (Caddy's `State`): log counters, invoked named routes... */
  readonly state: Map<string, unknown>;
  /** Per block (Caddy's `BlockState`): e.g. `root`. */
  readonly blockState: Map<string, unknown>;
  /** The keys (site addresses) of the enclosing server block. */
  readonly blockKeys: readonly Token[];
  /** Warnings to report (severity "warning"). */
  readonly warnings: Diagnostic[];

  /** A global option's value (Caddy's `Option`). */
  option(name: string): unknown;
  /** Names of the Caddyfiles the tokens came from (for file_server's hide list). */
  caddyfiles(): string[];
  /**
   * If the next token is a matcher token (`*`, `/path`, `@name`), deletes it from the segment and returns its
   * matcher set (`undefined` for none or `*`); then resets the cursor (Caddy's `ExtractMatcherSet`). Unknown
   * `@name` is an error (`unrecognized matcher name: @x`).
   */
  extractMatcherSet(): MatcherSet | undefined;
  /** Whether the next token is a matcher token, without consuming it (Caddy's `MatcherToken` peek). */
  hasMatcherToken(): boolean;
  /** A route value with the handler and optional matcher set (Caddy's `NewRoute`). */
  newRoute(matcherSet: MatcherSet | undefined, handler: AdaptedHttpHandler): ConfigValue[];
  /** Puts the routes among `values` in one group (Caddy's `GroupRoutes`). */
  groupRoutes(values: ConfigValue[]): void;
  /** A `bind` config value (Caddy's `NewBindAddresses`). */
  newBindAddresses(addresses: string[]): ConfigValue[];
  /** Parses the current segment's block as a subroute handler (Caddy's `ParseSegmentAsSubroute`). */
  parseSegmentAsSubroute(): SubrouteHandler;
  /** Parses the current segment's block into config values, directive by directive (Caddy's `parseSegmentAsConfig`). */
  parseSegmentAsConfig(): ConfigValue[];
  /** Parses a matcher definition block/line at the cursor into a matcher set (used by `@name` and handle_response). */
  parseMatcherDefinition(): MatcherSet;
  /** The same helper over other tokens (Caddy's `WithDispenser`). */
  withDispenser(d: Dispenser): Helper;
  /** Adds a warning at the current token. */
  warn(message: string): void;
}
