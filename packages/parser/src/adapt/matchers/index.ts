/** @module matchers: the standard request matchers (`http.matchers.*`, listed in `list.ts`) and matcher definitions. */
export { matcherModule, type MatcherParser, type MatcherContext } from './registry.js';
export { makeMatcher, matcherSetFromToken, parseMatcherDefinition, parseNestedMatcherSet } from './definitions.js';
