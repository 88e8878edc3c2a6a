/** @module layer4/handlers/subroute: the `subroute` handler, which runs nested routes and falls through to the next handler. */
import { struct } from '../../json.js';
import { parseNestedRoutes } from '../nested.js';
import { handler, type Layer4HandlerFields } from '../registry.js';
import { consumeName, noArgs } from '../syntax.js';

/**
 * `subroute { [matching_timeout <d>] @sets... route [@name...] { ... } }` -> `{"routes", "matching_timeout"}`
 * (the route grammar of a server, without `idle_timeout`).
 */
export const HandleSubroute = handler(
  'subroute',
  {
    syntax: 'subroute { matching_timeout <duration>; @<name> <matcher>...; route [@<names>...] { <handlers...> } }',
    doc: 'Runs a nested list of layer4 routes.',
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
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const nested = parseNestedRoutes(d, { wrapper });
    return struct<Layer4HandlerFields<'subroute'>>({ routes: nested.routes, matching_timeout: nested.matchingTimeout });
  },
);
