/** @module adapt: Caddyfile AST -> Caddy JSON config. */
export * from './json.js';
export { parseDuration } from './duration.js';
export type { Helper, MatcherSet } from './helper.js';
export {
  directive, globalOption, isDirective, registerDirective, registerGlobalOption, registerHandlerDirective,
  type ConfigValue, type DirectiveDefinition, type DirectiveParser, type GlobalOptionParser, type HandlerDirectiveParser,
} from './registry.js';
