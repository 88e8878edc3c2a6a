/** @module env: parse-time `{$VAR}` / `{$VAR:default}` substitution on raw text (Caddy's `replaceEnvVars`). */

/** Where environment values come from; `process.env` by default. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Replaces every `{$NAME}` and `{$NAME:default}` in the raw text, before lexing, anywhere (quotes and
 * comments included). An unset variable takes its default or becomes empty; a variable set to "" stays
 * empty. No recursion: scanning resumes after each inserted value. `{$}` is left as is.
 */
export function replaceEnvVars(input: string, env: Env): string {
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
    out += input.slice(pos, start) + (value !== undefined ? value : fallback);
    pos = end + 1;
  }
  return out + input.slice(pos);
}
