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

/**
 * Replaces placeholders as Caddy's replacer does: a placeholder runs from an unescaped "{" to the next
 * "}" not preceded by a backslash, whatever lies between ("{a b}" and "{}" are placeholders, unknown
 * ones); "\{" and "\}" outside placeholders are literal braces; a "{" without a closing brace is
 * literal text. An unknown placeholder becomes "" (ReplaceAll) or, when kept (ReplaceKnown), is scanned
 * again from the character after its "{", so that `{"a": "{http.request.method}"}` still gets the method.
 */
function scan(source: string, resolve: Resolver, keepUnknown: boolean): string {
  let out = '';
  let cursor = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (i > 0 && source[i - 1] === '\\' && (c === '{' || c === '}')) {
      out += source.slice(cursor, i - 1);
      cursor = i;
      continue;
    }
    if (c !== '{') continue;
    const end = placeholderEnd(source, i);
    if (end < 0) continue;
    out += source.slice(cursor, i);
    const v = resolve(source.slice(i + 1, end));
    if (v === undefined && keepUnknown) {
      cursor = i;
      continue;
    }
    out += v ?? '';
    i = end;
    cursor = end + 1;
  }
  return out + source.slice(cursor);
}

/** The index of the "}" closing the placeholder opened at `i`, or -1. */
function placeholderEnd(source: string, i: number): number {
  let end = source.indexOf('}', i);
  while (end > 0 && end < source.length - 1 && source[end - 1] === '\\') {
    const next = source.indexOf('}', end + 1);
    if (next < 0) return -1;
    end = next;
  }
  return end;
}

/**
 * Compiles a placeholder string (see `scan` for the rules). Rendering walks the compiled parts; only a
 * kept unknown placeholder whose text holds "{" or "\\" needs the scan again.
 */
export function compileTemplate(source: string, env: NodeJS.ProcessEnv = process.env): Template {
  const parts: Part[] = [];
  let lit = '';
  let cursor = 0;
  let rescan = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (i > 0 && source[i - 1] === '\\' && (c === '{' || c === '}')) {
      lit += source.slice(cursor, i - 1);
      cursor = i;
      continue;
    }
    if (c !== '{') continue;
    const end = placeholderEnd(source, i);
    if (end < 0) continue;
    lit += source.slice(cursor, i);
    const key = source.slice(i + 1, end);
    if (key.startsWith('env.')) lit += env[key.slice(4)] ?? '';
    else {
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ key, raw: source.slice(i, end + 1) });
      if (/[{\\]/.test(key)) rescan = true;
    }
    i = end;
    cursor = end + 1;
  }
  lit += source.slice(cursor);
  if (lit) parts.push(lit);
  const constant = parts.every((p) => typeof p === 'string');
  const constValue = constant ? parts.join('') : '';
  const withEnv: (resolve: Resolver) => Resolver = (resolve) => (k) =>
    k.startsWith('env.') ? (env[k.slice(4)] ?? '') : resolve(k);
  return {
    source,
    constant,
    render(resolve, keepUnknown = false) {
      if (constant) return constValue;
      if (keepUnknown && rescan) return scan(source, withEnv(resolve), true);
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const v = resolve(p.key);
        out += v ?? (keepUnknown ? p.raw : '');
      }
      return out;
    },
  };
}
