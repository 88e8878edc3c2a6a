/** @module http/handlers/map: `http.handlers.map`: maps a source value to destination placeholders. */
import type { MapHandler } from '../../config/handlers.js';
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { compileTemplate, type Template } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { goRegexpFlags, translateGoRegexp } from '../matchers/regexp.js';

interface Mapping { input?: string; re?: RegExp; outputs: unknown[] }

function stripBraces(p: string): string {
  return p.startsWith('{') && p.endsWith('}') ? p.slice(1, -1) : p;
}

export const mapHandler: ModuleInfo<Handler> = {
  id: 'http.handlers.map',
  schema: s.obj({
    source: s.str, destinations: s.strs, defaults: s.strs,
    mappings: s.arr(s.obj({ input: s.str, input_regexp: s.str, outputs: s.arr(s.any) })),
  }),
  create(json, ctx, path) {
    const c = json as MapHandler;
    const source = compileTemplate(c.source ?? '', ctx.env);
    const dests = (c.destinations ?? []).map(stripBraces);
    const defaults: Template[] = (c.defaults ?? []).map((d) => compileTemplate(d, ctx.env));
    const mappings: Mapping[] = (c.mappings ?? []).map((m, i) => {
      const p = joinPath(joinPath(joinPath(path, 'mappings'), i), 'input_regexp');
      if ((m.outputs ?? []).length !== dests.length) throw ConfigError.at(joinPath(joinPath(path, 'mappings'), i), `${(m.outputs ?? []).length} outputs for ${dests.length} destinations`);
      if (m.input_regexp === undefined) return { input: m.input ?? '', outputs: m.outputs ?? [] };
      try { return { re: new RegExp(translateGoRegexp(m.input_regexp), goRegexpFlags(m.input_regexp)), outputs: m.outputs ?? [] }; }
      catch (e) { throw ConfigError.at(p, `invalid regular expression: ${(e as Error).message}`); }
    });
    return {
      serve(r, w, next) {
        const res = requestResolver(r);
        const input = source.render(res);
        let found: { outputs: unknown[]; groups: string[] } | undefined;
        for (const m of mappings) {
          if (m.re) {
            const g = m.re.exec(input);
            if (g) { found = { outputs: m.outputs, groups: g.map((x) => x ?? '') }; break; }
          } else if (m.input === input) { found = { outputs: m.outputs, groups: [] }; break; }
        }
        dests.forEach((d, i) => {
          let out: string | undefined;
          if (found && found.outputs[i] !== null && found.outputs[i] !== undefined) {
            const o = found.outputs[i];
            out = typeof o === 'string'
              ? compileTemplate(o.replace(/\$\{?(\d+)\}?/g, (_, n: string) => found!.groups[Number(n)] ?? ''), ctx.env).render(res)
              : String(o);
          } else if (defaults[i]) out = defaults[i]!.render(res);
          if (out !== undefined) { r.extra.set(d, out); if (d.startsWith('http.vars.')) r.vars.set(d.slice(10), out); }
        });
        return next(r, w);
      },
    };
  },
};
