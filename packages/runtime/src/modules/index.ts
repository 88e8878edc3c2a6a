/**
 * @module modules/index: every module the runtime builds, as one explicit list. Adding a module is adding it to
 * its list here (its JSON type and schema live in @proxy/contract); nothing registers itself on import.
 */
import type { AnyModule } from '../modules.js';
import { eventsModules } from './events.js';
import { httpModules } from './http.js';
import { layer4Modules } from './layer4.js';
import { listenerModules } from './listeners.js';
import { storageModules } from '../storage/modules.js';
import { configLoaderModules } from '../config-loader/modules.js';
import { tlsModules } from './tls.js';
import { unsupported } from './unsupported.js';

// Unsupported first: an implemented module of the same ID replaces its entry.
export const builtinModules: readonly AnyModule[] = [
  ...unsupported,
  ...httpModules,
  ...tlsModules,
  ...listenerModules,
  ...layer4Modules,
  ...eventsModules,
  ...storageModules,
  ...configLoaderModules,
];
