/** @module layer4/matchers/vars: `layer4.matchers.vars` and `vars_regexp` — conditions on variables and placeholders. */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { compileTemplate, placeholderValue, type Template } from '../placeholders.js';
import { compileGoRegexp } from '../regexp.js';
import type { MatcherFactory } from '../types.js';

/** A key is a placeholder (`{l4.tls.cipher_suite}`) or the name of a variable set by the vars handler. */
function lookup(cx: Connection, key: string): string {
  if (key.startsWith('{') && key.endsWith('}')) return placeholderValue(cx, key.slice(1, -1));
  const v = cx.vars.get(`l4.vars.${key}`);
  return v === undefined || v === null ? '' : String(v);
}

function object(json: unknown, path: string): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Layer4ConfigError(path, 'expected an object');
  return json as Record<string, unknown>;
}

export const createVarsMatcher: MatcherFactory = (json, path) => {
  const conds = Object.entries(object(json, path)).map(([key, values]) => {
    if (!Array.isArray(values)) throw new Layer4ConfigError(`${path}.${key}`, 'expected an array of values');
    return { key, values: values.map((v) => compileTemplate(String(v))) as Template[] };
  });
  return {
    // any listed value for each key (keys AND-ed)
    match: (cx: Connection) => conds.every(({ key, values }) => values.some((v) => v.render(cx) === lookup(cx, key))),
  };
};

export const createVarsRegexpMatcher: MatcherFactory = (json, path) => {
  const conds = Object.entries(object(json, path)).map(([key, cfg]) => {
    const c = object(cfg, `${path}.${key}`);
    if (typeof c['pattern'] !== 'string')
      throw new Layer4ConfigError(`${path}.${key}.pattern`, 'a pattern is required');
    return {
      key,
      name: typeof c['name'] === 'string' ? c['name'] : '',
      re: compileGoRegexp(c['pattern'], `${path}.${key}.pattern`),
    };
  });
  return {
    match(cx: Connection) {
      for (const { key, name, re } of conds) {
        const m = re.exec(lookup(cx, key));
        if (!m) return false;
        // {l4.regexp.<name>.<group>} and {l4.regexp.<group>}, numbered and named groups
        const set = (group: string, value: string | undefined): void => {
          cx.vars.set(`l4.regexp.${group}`, value ?? '');
          if (name) cx.vars.set(`l4.regexp.${name}.${group}`, value ?? '');
        };
        m.forEach((v, i) => set(String(i), v));
        for (const [g, v] of Object.entries(m.groups ?? {})) set(g, v);
      }
      return true;
    },
  };
};
