/** @module layer4/regexp: Go (RE2) regular expressions in a layer4 config, compiled at load with the config path. */
import { compileGoRegexp as compile } from '../util/go-regexp.js';
import { Layer4ConfigError } from './errors.js';

/** Compiles a Go pattern (util/go-regexp); a pattern Go refuses is a config error at `path`. */
export function compileGoRegexp(pattern: string, path: string): RegExp {
  try {
    return compile(pattern);
  } catch (err) {
    throw new Layer4ConfigError(path, `invalid regular expression: ${(err as Error).message}`);
  }
}
