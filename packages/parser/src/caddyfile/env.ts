/** @module env: parse-time `{$VAR}` / `{$VAR:default}` substitution on raw text (Caddy's `replaceEnvVars`). */

/** Where environment values come from; `process.env` by default. */
export type Env = Readonly<Record<string, string | undefined>>;

/** One replaced placeholder: the text `[start, end)` of the result came from `[from, to)` of the original. */
export interface Substitution {
  start: number;
  end: number;
  from: number;
  to: number;
}

/** Substituted text, and where each substituted piece came from, so positions can be given in the original. */
export interface SubstitutedText {
  text: string;
  /** In increasing order; empty when the text had no placeholder. */
  substitutions: Substitution[];
}

/**
 * Replaces every `{$NAME}` and `{$NAME:default}` in the raw text, before lexing, anywhere (quotes and
 * comments included). An unset variable takes its default or becomes empty; a variable set to "" stays
 * empty. No recursion: scanning resumes after each inserted value. `{$}` is left as is.
 */
export function replaceEnvVars(input: string, env: Env): string {
  return substituteEnv(input, env).text;
}

/**
 * `replaceEnvVars`, also recording each replacement. Caddy substitutes before tokenising (a value may hold
 * blanks, newlines or braces that change the tokens), so the lexer reads the result and uses the
 * substitutions to report every position in the original text.
 */
export function substituteEnv(input: string, env: Env): SubstitutedText {
  const substitutions: Substitution[] = [];
  let out = '';
  let pos = 0;
  for (;;) {
    const start = input.indexOf('{$', pos);
    if (start < 0) break;
    const end = input.indexOf('}', start + 2);
    if (end < 0) break;
    const body = input.slice(start + 2, end);
    if (body === '') {
      out += input.slice(pos, end + 1);
      pos = end + 1;
      continue;
    }
    const colon = body.indexOf(':');
    const name = colon >= 0 ? body.slice(0, colon) : body;
    const fallback = colon >= 0 ? body.slice(colon + 1) : '';
    const value = env[name];
    const inserted = value !== undefined ? value : fallback;
    out += input.slice(pos, start);
    substitutions.push({ start: out.length, end: out.length + inserted.length, from: start, to: end + 1 });
    out += inserted;
    pos = end + 1;
  }
  return { text: substitutions.length === 0 ? input : out + input.slice(pos), substitutions };
}

/**
 * Positions in an original text for offsets into its substituted form. A position inside a substituted value
 * is the placeholder's: a start maps to the placeholder's start, an end to its end.
 */
export class OriginalPositions {
  /** Offsets where the original's lines start. */
  private readonly lineStarts: number[] = [0];

  constructor(
    original: string,
    private readonly substitutions: readonly Substitution[],
  ) {
    for (let i = original.indexOf('\n'); i >= 0; i = original.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** The original offset of a substituted-text offset where something starts (`end` false) or ends (`end` true). */
  offset(at: number, end: boolean): number {
    // The last substitution starting before `at` (or at it, for a start).
    const subs = this.substitutions;
    let lo = 0;
    let hi = subs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = subs[mid]!.start;
      if (end ? s < at : s <= at) lo = mid + 1;
      else hi = mid;
    }
    const sub = subs[lo - 1];
    if (!sub) return at;
    if (end ? at <= sub.end : at < sub.end) return end ? sub.to : sub.from;
    return at - sub.end + sub.to;
  }

  /** 1-based line and column (UTF-16 units) of an original offset. */
  lineColumn(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo, column: offset - starts[lo - 1]! + 1 };
  }
}
