/**
 * @module layer4/app: the `layer4` global option (caddy-l4's `parseLayer4`), which gives the `layer4` app:
 * one server per block, named srv0, srv1... in order, keyed by their listen addresses.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { isAppValue, type AppValue } from '../registry.js';
import type { ModuleOfKind } from '../module.js';
import type { Layer4App, Layer4Server } from '@proxy/contract';
import { sortedMap, struct } from '../json.js';
import { parseNestedRoutes } from './nested.js';
import { consumeName, noArgs } from './syntax.js';

/**
 * Parses the global option:
 *
 *     layer4 {
 *         <addresses...> {
 *             idle_timeout <duration>
 *             matching_timeout <duration>
 *             @name <matcher> ...
 *             route [@name...] { ... }
 *         }
 *     }
 *
 * Several `layer4` options merge: servers of a later one are numbered after the earlier ones.
 */
export function parseLayer4Option(d: Dispenser, existing: unknown): AppValue {
  const servers: Record<string, Layer4Server> = {};
  if (isAppValue(existing) && existing.name === 'layer4') {
    Object.assign(servers, existing.value.servers);
  }
  consumeName(d);
  noArgs(d);
  let i = Object.keys(servers).length;
  while (d.nextBlock(0)) {
    servers[`srv${i}`] = parseServer(d.newFromNextSegment());
    i++;
  }
  return { kind: 'app', name: 'layer4', value: struct<Layer4App>({ servers: sortedMap(servers) }) };
}

/** One server block: every token on its first line is a listen address. Go struct order. */
function parseServer(d: Dispenser): Layer4Server {
  const listen: string[] = [];
  d.next();
  do listen.push(d.val());
  while (d.nextArg());
  const nested = parseNestedRoutes(d, { wrapper: 'layer4 server', idleTimeout: true });
  return struct<Layer4Server>({
    listen,
    routes: nested.routes,
    idle_timeout: nested.idleTimeout,
    matching_timeout: nested.matchingTimeout,
  });
}

export const Layer4Option: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'layer4',
  syntax:
    'layer4 { <addresses...> { idle_timeout <d>; matching_timeout <d>; @<name> <matcher>...; route [@<names>...] { <handlers...> } } }',
  doc: "Configures caddy-l4's layer4 app: servers that match raw TCP/UDP connections and route them to handlers.",
  subdirectives: [
    {
      name: 'matching_timeout',
      syntax: 'matching_timeout <duration>',
      doc: 'How long to wait for enough bytes to match.',
    },
    { name: 'idle_timeout', syntax: 'idle_timeout <duration>', doc: 'How long a connection may stay idle.' },
    {
      name: 'route',
      syntax: 'route [@<names>...] { <handler> [<args>] ... }',
      doc: 'A route: its handlers run when any named matcher set matches.',
    },
  ],
  parse: parseLayer4Option,
};
