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

/** The parser of the matcher named `N`: it returns the contract's type of that matcher. */
export type MatcherParserOf<N extends keyof AdaptedMatcherSet> = (d: Dispenser, ctx: MatcherContext) => Exclude<AdaptedMatcherSet[N], undefined>;

/** The matcher parser for a name. */
export function matcherModule(name: string): MatcherParser | undefined {
  return lookup('matcher', name)?.parse;
}
