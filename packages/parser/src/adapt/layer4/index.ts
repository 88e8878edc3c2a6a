/**
 * @module layer4: caddy-l4's Caddyfile support: the `layer4` global option (the `layer4` app), the `layer4`
 * listener wrapper, and every matcher and handler module (listed in `list.ts`).
 */
import { parseLayer4Option } from './app.js';
import { parseLayer4ListenerWrapper } from './listener-wrapper.js';

export { parseLayer4Option, parseLayer4ListenerWrapper };
export { parseHandlers, parseMatcherSet, parseNestedRoutes } from './nested.js';
export { getModule, unmarshalModule, type ModuleContext, type ModuleDefinition } from './registry.js';
