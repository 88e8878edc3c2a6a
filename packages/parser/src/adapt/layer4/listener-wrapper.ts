/**
 * @module layer4/listener-wrapper: the `layer4` listener wrapper (`caddy.listeners.layer4`) inside
 * `servers { listener_wrappers { ... } }`: the route grammar of a layer4 server, without `idle_timeout`.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { Layer4ListenerWrapperConfig } from '@proxy/contract';
import { moduleOf } from '../tls/fields.js';
import { struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';
import { parseNestedRoutes } from './nested.js';
import { consumeName, noArgs } from './syntax.js';

/**
 * Parses `layer4 { [matching_timeout <d>] @sets... route ... }` (the dispenser starts before `layer4`)
 * into the wrapper object: `{"routes": [...], "wrapper": "layer4"}`, every key sorted (Caddy's
 * `JSONModuleObject`).
 */
export function parseLayer4ListenerWrapper(d: Dispenser): Layer4ListenerWrapperConfig {
  const wrapper = consumeName(d);
  noArgs(d);
  const nested = parseNestedRoutes(d, { wrapper });
  return moduleOf<Layer4ListenerWrapperConfig>(
    'wrapper',
    'layer4',
    struct<Layer4ListenerWrapperConfig>({ routes: nested.routes, matching_timeout: nested.matchingTimeout }),
  );
}

export const Layer4ListenerWrapper: ModuleOfKind<'listener-wrapper'> = {
  kind: 'listener-wrapper',
  name: 'layer4',
  syntax: 'layer4 { matching_timeout <d>; @<name> <matcher>...; route [@<names>...] { <handlers...> } }',
  doc: 'Routes connections by layer4 matchers before the HTTP server sees them; unmatched ones go on to HTTP.',
  subdirectives: [
    {
      name: 'matching_timeout',
      syntax: 'matching_timeout <duration>',
      doc: 'How long to wait for enough bytes to match.',
    },
    {
      name: 'route',
      syntax: 'route [@<names>...] { <handler> [<args>] ... }',
      doc: 'A route: its handlers run when any named matcher set matches.',
    },
  ],
  parse: parseLayer4ListenerWrapper,
};
