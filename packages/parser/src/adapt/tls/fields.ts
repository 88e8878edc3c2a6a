/**
 * @module tls/fields: `struct` typed by a module's own fields (`Omit<Contract, 'module'>`, `OwnFields<...>`).
 * json.ts's `struct<T>` turns its field check off for any T a `JsonObject` accepts, so it checks nothing for
 * such mapped types whose fields are all JSON scalars; this twin always checks. Temporary: drop it once
 * `struct<T>` checks those too.
 */
import { moduleObject, struct } from '../json.js';

/** `struct(fields, keep)` with `fields` checked against `T` (excess-property check) and the result typed `T`. */
export function fields<T extends object>(
  given: NoInfer<{ [K in keyof T]?: T[K] | undefined }>,
  keep: readonly NoInfer<keyof T & string>[] = [],
): T {
  return struct(given as Record<string, unknown>, keep) as unknown as T;
}

/**
 * `moduleObject(key, name, fields)` typed as the module `T` it builds (Caddy's `JSONModuleObject`: `key: name`
 * added, every key sorted). `fields` come from that module's typed parser.
 */
export function moduleOf<T extends object>(key: string, name: string, given: object): T {
  return moduleObject(key, name, given) as unknown as T;
}
