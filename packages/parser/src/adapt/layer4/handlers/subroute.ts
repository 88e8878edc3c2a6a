/** @module layer4/handlers/subroute: the `subroute` handler, which runs nested routes and falls through to the next handler. */
import { struct } from '../../json.js';
import { parseNestedRoutes } from '../nested.js';
import { handler } from '../registry.js';
import { consumeName, noArgs } from '../syntax.js';

/**
 * `subroute { [matching_timeout <d>] @sets... route [@name...] { ... } }` -> `{"routes", "matching_timeout"}`
 * (the route grammar of a server, without `idle_timeout`).
 */
export const HandleSubroute = handler('subroute', (d) => {
  const wrapper = consumeName(d);
  noArgs(d);
  const nested = parseNestedRoutes(d, { wrapper });
  return struct({ routes: nested.routes, matching_timeout: nested.matchingTimeout });
});
