/**
 * @module reader: typed access to a loaded Traefik file. Every value is read through a `Field` that knows its key
 * path, so each error names the key and its line. Traefik's decoder (paerser) matches option names without regard
 * to case, so `loadBalancer` and `loadbalancer` are the same key here too; names the user chose (routers,
 * services, options) keep their case.
 */
import { TraefikConfigError } from './diagnostics.js';
import type { SourceFile } from './source.js';

export class Field {
  constructor(
    readonly source: SourceFile,
    readonly value: unknown,
    readonly path: readonly (string | number)[],
  ) {}

  /** `tcp.routers.Router-1.rule` (indexes as `[0]`). */
  get dotted(): string {
    return this.path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
  }

  get present(): boolean {
    return this.value !== undefined && this.value !== null;
  }

  error(message: string): TraefikConfigError {
    const at = this.source.locate(this.path);
    return new TraefikConfigError({ file: this.source.file, ...at, path: this.dotted, message });
  }

  /** The object's known keys (case-insensitive); any other key is an error naming it. */
  object(known: readonly string[], what = 'this key'): Record<string, Field> {
    const v = this.value;
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw this.error('expected a table of options');
    const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
    const out: Record<string, Field> = {};
    for (const [key, val] of Object.entries(v as Record<string, unknown>)) {
      const name = byLower.get(key.toLowerCase());
      const f = new Field(this.source, val, [...this.path, key]);
      if (!name) {
        throw f.error(
          `unsupported key "${key}" under ${what}${known.length > 0 ? ` (supported: ${known.join(', ')})` : ''}`,
        );
      }
      if (out[name]) throw f.error(`"${key}" is given twice`);
      out[name] = f;
    }
    return out;
  }

  /** A map of user-named entries (routers, services, options). */
  entries(): Field[] {
    const v = this.value;
    if (v === undefined || v === null) return [];
    if (typeof v !== 'object' || Array.isArray(v)) throw this.error('expected a table of named entries');
    return Object.entries(v as Record<string, unknown>).map(
      ([k, val]) => new Field(this.source, val, [...this.path, k]),
    );
  }

  get name(): string {
    return String(this.path[this.path.length - 1]);
  }

  items(): Field[] {
    const v = this.value;
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) throw this.error('expected a list');
    return v.map((x, i) => new Field(this.source, x, [...this.path, i]));
  }

  string(): string | undefined {
    const v = this.value;
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw this.error(`expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  strings(): string[] {
    return this.items().map((f) => f.string() ?? '');
  }

  bool(): boolean | undefined {
    const v = this.value;
    if (v === undefined || v === null) return undefined;
    // Traefik's decoders accept "true"/"false" strings as well (labels and the CLI are all strings).
    if (v === 'true' || v === 'false') return v === 'true';
    if (typeof v !== 'boolean') throw this.error(`expected true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  int(): number | undefined {
    const v = this.value;
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
    if (typeof n === 'bigint') throw this.error('integer out of range');
    if (typeof n !== 'number' || !Number.isSafeInteger(n))
      throw this.error(`expected an integer, got ${JSON.stringify(v)}`);
    return n;
  }
}

/** Entries of one named table across files (Traefik's file provider merges a directory); a name twice is an error. */
export function namedEntries(tables: (Field | undefined)[], what: string): Field[] {
  const seen = new Map<string, Field>();
  for (const t of tables) {
    for (const e of t?.entries() ?? []) {
      const prev = seen.get(e.name);
      if (prev) {
        const at = prev.source.locate(prev.path);
        throw e.error(`${what} "${e.name}" is also defined at ${prev.source.file}:${at.line}`);
      }
      seen.set(e.name, e);
    }
  }
  return [...seen.values()];
}
