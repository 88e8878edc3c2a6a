/**
 * @module util/template: placeholder strings like "{http.request.host}" compiled once at load time;
 * `{env.X}` is resolved while compiling.
 */

/** Resolves a placeholder key to its value, or undefined when the key is unknown. */
export type Resolver = (key: string) => string | undefined;

type Part = string | { key: string; raw: string };

/** A compiled placeholder string. */
export interface Template {
  /** The source text. */
  readonly source: string;
  /** True when the string has no placeholders left after compiling. */
  readonly constant: boolean;
  /**
   * Renders the string. Unknown placeholders become "" unless `keepUnknown` (Caddy's ReplaceKnown),
   * in which case they stay as written.
   */
  render(resolve: Resolver, keepUnknown?: boolean): string;
}

/** Compiles a placeholder string. */
export function compileTemplate(source: string, env: NodeJS.ProcessEnv = process.env): Template {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && (source[i + 1] === '{' || source[i + 1] === '}')) { lit += source[i + 1]; i++; continue; }
    if (c === '{') {
      const end = source.indexOf('}', i + 1);
      const key = end < 0 ? '' : source.slice(i + 1, end);
      if (end > i + 1 && !/[\s{]/.test(key)) {
        if (key.startsWith('env.')) { lit += env[key.slice(4)] ?? ''; i = end; continue; }
        if (lit) parts.push(lit);
        lit = '';
        parts.push({ key, raw: source.slice(i, end + 1) });
        i = end;
        continue;
      }
    }
    lit += c;
  }
  if (lit) parts.push(lit);
  const constant = parts.every((p) => typeof p === 'string');
  const constValue = constant ? parts.join('') : '';
  return {
    source,
    constant,
    render(resolve, keepUnknown = false) {
      if (constant) return constValue;
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') { out += p; continue; }
        const v = resolve(p.key);
        out += v ?? (keepUnknown ? p.raw : '');
      }
      return out;
    },
  };
}
