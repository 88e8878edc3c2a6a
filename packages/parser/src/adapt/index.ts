/** @module adapt: Caddyfile AST -> Caddy JSON config. */
export * from './json.js';
export { caddyParseDuration } from '@proxy/contract';
export type { Helper, MatcherSet } from './helper.js';
export {
  directive, globalOption, isAppValue, isDirective, listenerWrapper, registerDirective, registerGlobalOption,
  registerHandlerDirective, registerListenerWrapper, type AppValue, type ListenerWrapperParser,
  type ConfigValue, type DirectiveDefinition, type DirectiveParser, type GlobalOptionParser, type HandlerDirectiveParser,
} from './registry.js';
export { adapt, type AdaptResult } from './adapt.js';
export { getModule as getLayer4Module, parseLayer4ListenerWrapper, parseLayer4Option } from './layer4/index.js';
export { registerLeafDirectives, isSubrouteValue, type SubrouteValue, type NamedCustomLog } from './directives/leaf-index.js';
export { parseLogSegment } from './directives/log.js';
