/**
 * @module layer4/listener-wrapper: the `layer4` listener wrapper (`caddy.listeners.layer4`) inside
 * `servers { listener_wrappers { ... } }`: the route grammar of a layer4 server, without `idle_timeout`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, struct, type JsonObject } from '../json.js';
import { parseNestedRoutes } from './nested.js';
import { consumeName, noArgs } from './syntax.js';

/**
 * Parses `layer4 { [matching_timeout <d>] @sets... route ... }` (the dispenser starts before `layer4`)
 * into the wrapper object: `{"routes": [...], "wrapper": "layer4"}`, every key sorted (Caddy's
 * `JSONModuleObject`).
 */
export function parseLayer4ListenerWrapper(d: Dispenser): JsonObject {
  const wrapper = consumeName(d);
  noArgs(d);
  const nested = parseNestedRoutes(d, { wrapper });
  return moduleObject('wrapper', 'layer4', struct({ routes: nested.routes, matching_timeout: nested.matchingTimeout }));
}
