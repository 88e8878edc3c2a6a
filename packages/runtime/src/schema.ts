/** @module schema: a small shape language for module JSON, checked before anything is provisioned. */
import { joinPath, type ValidationError } from './util/errors.js';
import { parseDuration } from '@proxy/contract';

/** The shape of a JSON value. */
export type Schema =
  | { t: 'string' } | { t: 'number' } | { t: 'int' } | { t: 'boolean' } | { t: 'any' }
  | { t: 'duration' }
  /** An integer or a string (a placeholder), like status codes. */
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

/** Shorthands for writing schemas. */
export const s = {
  str: { t: 'string' } as Schema,
  num: { t: 'number' } as Schema,
  int: { t: 'int' } as Schema,
  bool: { t: 'boolean' } as Schema,
  any: { t: 'any' } as Schema,
  dur: { t: 'duration' } as Schema,
  intOrStr: { t: 'intOrString' } as Schema,
  strs: { t: 'array', of: { t: 'string' } } as Schema,
  arr: (of: Schema): Schema => ({ t: 'array', of }),
  map: (of: Schema): Schema => ({ t: 'map', of }),
  nullable: (of: Schema): Schema => ({ t: 'nullable', of }),
  oneOf: (name: string, ...of: Schema[]): Schema => ({ t: 'oneOf', of, name }),
  obj: (fields: Record<string, Schema>, open = false): Schema => ({ t: 'object', fields, open }),
  mod: (ns: string, key: string): Schema => ({ t: 'module', ns, key }),
  modmap: (ns: string): Schema => ({ t: 'modmap', ns }),
};

/** What the checker needs from the module registry. */
export interface ModuleLookup {
  /** The schema of a module's own fields (an object schema, or any schema for modmap values). */
  lookup(id: string): { schema: Schema; unsupported?: string } | undefined;
  /** Whether a namespace has modules at all (to word errors). */
  known(id: string): boolean;
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
    case 'any': return;
    case 'string': if (typeof value !== 'string') bad('a string'); return;
    case 'number': if (typeof value !== 'number') bad('a number'); return;
    case 'int': if (typeof value !== 'number' || !Number.isInteger(value)) bad('an integer'); return;
    case 'boolean': if (typeof value !== 'boolean') bad('a boolean'); return;
    case 'intOrString': if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) bad('an integer or a string'); return;
    case 'duration':
      if (typeof value !== 'number' && typeof value !== 'string') bad('a duration (nanoseconds or a string like "5s")');
      else if (parseDuration(value) === undefined) out.push({ path, message: `invalid duration ${JSON.stringify(value)}` });
      return;
    case 'nullable': if (value !== null) check(value, schema.of, path, reg, out); return;
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
      if (!Array.isArray(value)) { bad('an array'); return; }
      value.forEach((v, i) => check(v, schema.of, joinPath(path, i), reg, out));
      return;
    case 'map':
      if (!isObject(value)) { bad('an object'); return; }
      for (const [k, v] of Object.entries(value)) check(v, schema.of, joinPath(path, k), reg, out);
      return;
    case 'object':
      if (!isObject(value)) { bad('an object'); return; }
      checkFields(value, schema.fields, schema.open ?? false, path, reg, out, new Set());
      return;
    case 'module': {
      if (!isObject(value)) { bad('an object'); return; }
      const name = value[schema.key];
      const keyPath = joinPath(path, schema.key);
      if (typeof name !== 'string') { out.push({ path: keyPath, message: name === undefined ? `missing module name ("${schema.key}")` : 'expected a string' }); return; }
      const mod = moduleOf(`${schema.ns}.${name}`, name, keyPath, reg, out);
      if (!mod) return;
      if (mod.schema.t !== 'object') return;
      checkFields(value, mod.schema.fields, mod.schema.open ?? false, path, reg, out, new Set([schema.key]));
      return;
    }
    case 'modmap': {
      if (!isObject(value)) { bad('an object'); return; }
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
  if (!mod) { out.push({ path, message: `unknown module "${name}" (no module ${id})` }); return undefined; }
  if (mod.unsupported) { out.push({ path, message: `module "${name}" (${id}) is not supported yet: ${mod.unsupported}` }); return undefined; }
  return mod;
}

function checkFields(value: Record<string, unknown>, fields: Record<string, Schema>, open: boolean, path: string,
  reg: ModuleLookup, out: ValidationError[], skip: Set<string>): void {
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
