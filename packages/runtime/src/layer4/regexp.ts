/** @module layer4/regexp: Go (RE2) regular expressions in config, compiled to JavaScript ones at load. */
import { Layer4ConfigError } from './errors.js';

/** Compiles an RE2 pattern: `(?P<name>` becomes `(?<name>`; leading `(?i)` / `(?s)` / `(?m)` become flags. */
export function compileGoRegexp(pattern: string, path: string): RegExp {
  let source = pattern.replace(/\(\?P</g, '(?<');
  let flags = '';
  const lead = /^\(\?([ims]+)\)/.exec(source);
  if (lead) {
    flags = [...new Set(lead[1]!)].join('');
    source = source.slice(lead[0].length);
  }
  try {
    return new RegExp(source, flags);
  } catch (err) {
    throw new Layer4ConfigError(path, `invalid regular expression: ${(err as Error).message}`);
  }
}
