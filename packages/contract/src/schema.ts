/**
 * @module schema: a small shape language for module JSON, checked before anything is provisioned.
 *
 * A schema is typed by the TS type of the values it accepts (`Schema<T>`), and `s.obj<T>(fields)` must name
 * every field of `T` with a schema of that field's type: a field the type lacks, a field the schema lacks, or a
 * field of the wrong kind fails to compile. So the contract's interfaces and the runtime's checks cannot drift.
 * A nested `s.obj({...})` without a type argument is inferred from its fields, so its kinds are checked against
 * the outer type but an extra field in it is not: nested objects with a named type give it (`s.obj<Upstream>`).
 */
import { parseDuration } from './duration.js';
import { joinPath, type ValidationError } from './path.js';
import type { Duration } from './core.js';

declare const accepts: unique symbol;

/** The shape of a JSON value, as the checker walks it. */
export type SchemaNode =
  | { t: 'string' }
  | { t: 'number' }
  | { t: 'int' }
  | { t: 'boolean' }
  | { t: 'any' }
  | { t: 'duration' }
  /** Caddy's WeakString, like status codes: an integer, a string (a placeholder) or a boolean (read as its text). */
  | { t: 'intOrString' }
  | { t: 'array'; of: Schema }
  | { t: 'map'; of: Schema }
  | { t: 'nullable'; of: Schema }
  | { t: 'oneOf'; of: Schema[]; name: string }
  | { t: 'object'; fields: Record<string, Schema>; open?: boolean }
  /** An object whose `key` field names a module in namespace `ns`; its other fields belong to that module. */
  | { t: 'module'; ns: string; key: string }
  /** An object mapping module names in `ns` to their configs (matcher sets, encodings, providers). */
  | { t: 'modmap'; ns: string };

/** A schema whose accepted values have the TS type `T` (a type-only mark: nothing of it exists at run time). */
export type Schema<T = unknown> = SchemaNode & { readonly [accepts]?: T };

/** The TS type a schema accepts. */
export type Infer<S> = S extends Schema<infer T> ? T : never;

/** One schema per field of `T` (index signatures of open types aside), each accepting that field's type. */
export type Fields<T> = { [K in keyof T]-?: Schema<Exclude<T[K], undefined>> };

/** `T` without its index signature (open types list their known fields; `Omit` on them would lose those). */
export type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** The fields of a module's JSON besides the one that names it (`handler`, `module`, `protocol`...). */
export type Own<T, Key extends string> = Omit<Known<T>, Key>;

/**
 * Shorthands for writing schemas. `any`, `mod` and `modmap` accept `never`, so they fit a field of any type:
 * a module's own fields are checked by its module's schema, and `any` by whoever reads the value.
 */
export const s = {
  str: { t: 'string' } as Schema<string>,
  num: { t: 'number' } as Schema<number>,
  int: { t: 'int' } as Schema<number>,
  bool: { t: 'boolean' } as Schema<boolean>,
  any: { t: 'any' } as Schema<never>,
  dur: { t: 'duration' } as Schema<Duration>,
  intOrStr: { t: 'intOrString' } as Schema<number | string | boolean>,
  strs: { t: 'array', of: { t: 'string' } } as Schema<string[]>,
  arr: <T>(of: Schema<T>): Schema<T[]> => ({ t: 'array', of }),
  map: <T>(of: Schema<T>): Schema<Record<string, T>> => ({ t: 'map', of }),
  nullable: <T>(of: Schema<T>): Schema<T | null> => ({ t: 'nullable', of }),
  oneOf: <T extends Schema[]>(name: string, ...of: T): Schema<Infer<T[number]>> => ({ t: 'oneOf', of, name }),
  obj: <T extends object>(fields: Fields<T>, open = false): Schema<T> => ({
    t: 'object',
    fields: fields as Record<string, Schema>,
    open,
  }),
  mod: (ns: string, key: string): Schema<never> => ({ t: 'module', ns, key }),
  modmap: (ns: string): Schema<never> => ({ t: 'modmap', ns }),
};

/** What the checker needs from the module registry. */
export interface ModuleLookup {
  /** The schema of a module's own fields (an object schema, or any schema for modmap values). */
  lookup(id: string): { schema: Schema; unsupported?: string | undefined } | undefined;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Checks `value` against `schema`, appending problems to `out`. */
export function check(value: unknown, schema: Schema, path: string, reg: ModuleLookup, out: ValidationError[]): void {
  const bad = (want: string) => out.push({ path, message: `expected ${want}, got ${typeName(value)}` });
  switch (schema.t) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') bad('a string');
      return;
    case 'number':
      if (typeof value !== 'number') bad('a number');
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) bad('an integer');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') bad('a boolean');
      return;
    case 'intOrString':
      if (
        typeof value !== 'string' &&
        typeof value !== 'boolean' &&
        !(typeof value === 'number' && Number.isInteger(value))
      )
        bad('an integer or a string');
      return;
    case 'duration':
      if (typeof value !== 'number' && typeof value !== 'string') bad('a duration (nanoseconds or a string like "5s")');
      else if (parseDuration(value) === undefined)
        out.push({ path, message: `invalid duration ${JSON.stringify(value)}` });
      return;
    case 'nullable':
      if (value !== null) check(value, schema.of, path, reg, out);
      return;
    case 'oneOf': {
      for (const alt of schema.of) {
        const tmp: ValidationError[] = [];
        check(value, alt, path, reg, tmp);
        if (tmp.length === 0) return;
      }
      bad(schema.name);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) {
        bad('an array');
        return;
      }
      value.forEach((v, i) => check(v, schema.of, joinPath(path, i), reg, out));
      return;
    case 'map':
      if (!isObject(value)) {
        bad('an object');
        return;
      }
      for (const [k, v] of Object.entries(value)) check(v, schema.of, joinPath(path, k), reg, out);
      return;
    case 'object':
      if (!isObject(value)) {
        bad('an object');
        return;
      }
      checkFields(value, schema.fields, schema.open ?? false, path, reg, out, new Set());
      return;
    case 'module': {
      if (!isObject(value)) {
        bad('an object');
        return;
      }
      const name = value[schema.key];
      const keyPath = joinPath(path, schema.key);
      if (typeof name !== 'string') {
        out.push({
          path: keyPath,
          message: name === undefined ? `missing module name ("${schema.key}")` : 'expected a string',
        });
        return;
      }
      const mod = moduleOf(`${schema.ns}.${name}`, name, keyPath, reg, out);
      if (!mod) return;
      if (mod.schema.t !== 'object') return;
      checkFields(value, mod.schema.fields, mod.schema.open ?? false, path, reg, out, new Set([schema.key]));
      return;
    }
    case 'modmap': {
      if (!isObject(value)) {
        bad('an object');
        return;
      }
      for (const [name, v] of Object.entries(value)) {
        const p = joinPath(path, name);
        const mod = moduleOf(`${schema.ns}.${name}`, name, p, reg, out);
        if (mod) check(v, mod.schema, p, reg, out);
      }
      return;
    }
  }
}

function moduleOf(id: string, name: string, path: string, reg: ModuleLookup, out: ValidationError[]) {
  const mod = reg.lookup(id);
  if (!mod) {
    out.push({ path, message: `unknown module "${name}" (no module ${id})` });
    return undefined;
  }
  if (mod.unsupported) {
    out.push({ path, message: `module "${name}" (${id}) is not supported yet: ${mod.unsupported}` });
    return undefined;
  }
  return mod;
}

function checkFields(
  value: Record<string, unknown>,
  fields: Record<string, Schema>,
  open: boolean,
  path: string,
  reg: ModuleLookup,
  out: ValidationError[],
  skip: Set<string>,
): void {
  for (const [k, v] of Object.entries(value)) {
    if (skip.has(k)) continue;
    const f = fields[k];
    if (!f) {
      if (!open) out.push({ path: joinPath(path, k), message: `unknown field "${k}"` });
      continue;
    }
    if (v === null && f.t !== 'nullable' && f.t !== 'any') continue; // Go decodes null as the zero value
    check(v, f, joinPath(path, k), reg, out);
  }
}

/** A plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
