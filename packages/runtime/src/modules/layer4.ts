/** @module modules/layer4: caddy-l4's app and its matchers and handlers (compiled by the layer4 compiler). */
import type { AnyModule } from '../modules.js';
import { layer4AppModule } from '../layer4-modules.js';
import { layer4Handlers, layer4Matchers, layer4Unsupported } from '../layer4/modules.js';

export const layer4Modules: AnyModule[] = [layer4AppModule, ...layer4Matchers, ...layer4Handlers, ...layer4Unsupported];
