/**
 * @module tls/fields: `moduleObject` typed as a module union whose name is only known at run time (a guest
 * module looked up by the name in the Caddyfile), where `moduleObject<T>`'s literal name check cannot apply.
 */
import { moduleObject } from '../json.js';

/**
 * `moduleObject(key, name, fields)` typed as the module `T` it builds (Caddy's `JSONModuleObject`: `key: name`
 * added, every key sorted). `fields` come from that module's typed parser.
 */
export function moduleOf<T extends object>(key: string, name: string, given: object): T {
  return moduleObject(key, name, given) as unknown as T;
}
