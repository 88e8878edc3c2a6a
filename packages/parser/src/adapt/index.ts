/** @module adapt: Caddyfile AST -> Caddy JSON config. */
export * from './json.js';
export { caddyParseDuration } from '@proxy/contract';
export type { Helper, MatcherSet } from './helper.js';
export {
  directive,
  globalOption,
  isAppValue,
  isDirective,
  listenerWrapper,
  type AppValue,
  type ListenerWrapperParser,
  type ConfigValue,
  type DirectiveDefinition,
  type DirectiveParser,
  type GlobalOptionParser,
  type HandlerDirectiveParser,
} from './registry.js';
export type { CaddyfileModule, ModuleDoc, ModuleKind, ModuleOfKind, ModuleText, Subdirective } from './module.js';
export { allModules, catalogue, lookup } from './modules.js';
export { lookupPlaceholder, placeholders, type PlaceholderDoc } from './placeholders.js';
export { adapt, type AdaptOptions, type AdaptResult } from './adapt.js';
export { stringifyConfig } from './json.js';
export { getModule as getLayer4Module, parseLayer4ListenerWrapper, parseLayer4Option } from './layer4/index.js';
export { isSubrouteValue, type SubrouteValue } from './directives/common.js';
export type { NamedCustomLog } from './directives/log.js';
export { parseLogSegment } from './directives/log.js';
// For the CLI's quick servers (`proxy reverse-proxy --from ... --to ...`), which read addresses as Caddy's do.
export { parseAddress, type Address } from './core/address.js';
export { parseUpstreamDialAddress, type ParsedAddr } from './directives/reverse-proxy-upstreams.js';
