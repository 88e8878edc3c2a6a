/**
 * @module matchers/registry: request matcher modules (`http.matchers.*`) by name. Each parses the tokens of one or
 * more segments naming it (Caddy's `UnmarshalCaddyfile`, which loops `for d.Next()`), into its JSON value.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { AdaptedMatcher, AdaptedMatcherSet } from '@proxy/contract';
import { lookup } from '../modules.js';

/** What a matcher parser gets besides its tokens: the name of the `@definition` (without `@`), or "". */
export interface MatcherContext {
  matcherName: string;
}

/** Parses a matcher's segments into its JSON value (in Go struct order where it is a struct). */
export type MatcherParser = (d: Dispenser, ctx: MatcherContext) => AdaptedMatcher;

/** The contract's type of the matcher named `N`. */
export type MatcherValue<N extends keyof AdaptedMatcherSet> = Exclude<AdaptedMatcherSet[N], undefined>;

/**
 * The parser of the matcher named `N`. Parsers declare `MatcherValue<N>` as their return type too: TypeScript
 * checks a returned object literal for fields the type lacks only against a declared return type.
 */
export type MatcherParserOf<N extends keyof AdaptedMatcherSet> = (d: Dispenser, ctx: MatcherContext) => MatcherValue<N>;

/** The matcher parser for a name. */
export function matcherModule(name: string): MatcherParser | undefined {
  return lookup('matcher', name)?.parse;
}
