/** @module http/matchers/regexp: a named regular expression whose captures become placeholders. */
import { ConfigError } from '../../util/errors.js';
import type { HttpRequest } from '../request.js';
import { compileGoRegexp } from '../../util/go-regexp.js';

/** A compiled Go-style regexp matcher. */
export class MatchRegexp {
  private readonly re: RegExp;
  constructor(
    readonly name: string,
    pattern: string,
    path: string,
  ) {
    try {
      this.re = compileGoRegexp(pattern);
    } catch (e) {
      throw ConfigError.at(path, `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
  }

  /** Tests `input`; on a match, stores captures as http.regexp.NAME.N (and by group name). */
  match(input: string, r: HttpRequest): boolean {
    const m = this.re.exec(input);
    if (!m) return false;
    const prefix = this.name ? `${this.name}.` : '';
    m.forEach((v, i) => r.captures.set(`${prefix}${i}`, v ?? ''));
    if (m.groups) for (const [k, v] of Object.entries(m.groups)) r.captures.set(`${prefix}${k}`, v ?? '');
    return true;
  }
}
