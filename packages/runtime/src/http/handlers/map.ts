/** @module http/handlers/map: `http.handlers.map`: maps a source value to destination placeholders. */
import { mapSchema, type MapHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { expand } from '../../util/go-expand.js';
import { goFloat } from '../../util/go-format.js';
import { compileTemplate, type Template } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';
import type { HttpRequest } from '../request.js';
import { compileGoRegexp } from '../../util/go-regexp.js';

/** An output: a template (plain mappings), Go replacement text (regexp mappings), or none (null). */
interface Mapping {
  input?: string;
  re?: RegExp;
  outputs: Array<{ text: string; tpl: Template } | undefined>;
}

function stripBraces(p: string): string {
  return p.replace(/^\{+|\}+$/g, '');
}

/** caddy.ToString of a JSON output value. */
function toText(o: unknown): string {
  if (typeof o === 'string') return o;
  if (typeof o === 'number') return goFloat(o);
  return typeof o === 'object' ? JSON.stringify(o) : String(o);
}

export const mapHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.map',
  kind: 'handler',
  doc: 'Maps a source value to destination placeholders.',
  schema: mapSchema,
  create(json, ctx, path) {
    const c = json as MapHandler;
    const source = compileTemplate(c.source ?? '', ctx.env);
    const dests = (c.destinations ?? []).map(stripBraces);
    const defaults: Template[] = (c.defaults ?? []).map((d) => compileTemplate(d, ctx.env));
    const mappings: Mapping[] = (c.mappings ?? []).map((m, i) => {
      const p = joinPath(joinPath(joinPath(path, 'mappings'), i), 'input_regexp');
      if ((m.outputs ?? []).length !== dests.length)
        throw ConfigError.at(
          joinPath(joinPath(path, 'mappings'), i),
          `${(m.outputs ?? []).length} outputs for ${dests.length} destinations`,
        );
      const outputs = (m.outputs ?? []).map((o) =>
        o === null || o === undefined ? undefined : { text: toText(o), tpl: compileTemplate(toText(o), ctx.env) },
      );
      if (m.input_regexp === undefined) return { input: m.input ?? '', outputs };
      try {
        return { re: compileGoRegexp(m.input_regexp), outputs };
      } catch (e) {
        throw ConfigError.at(p, `invalid regular expression: ${(e as Error).message}`);
      }
    });

    /**
     * A destination's value, worked out when it is read (the source as it is then): the first mapping
     * that matches and has an output for it (a regexp's output is expanded with the match, not
     * placeholders; a plain one gets placeholders), else the default, else "".
     */
    const valueFor = (r: HttpRequest, idx: number): string => {
      const res = requestResolver(r);
      const input = source.render(res);
      for (const m of mappings) {
        const out = m.outputs[idx];
        if (!out) continue;
        if (m.re) {
          const g = m.re.exec(input);
          if (g) return expand(out.text, [...g], g.groups);
          continue;
        }
        if (input === m.input) return out.tpl.render(res);
      }
      return defaults[idx]?.render(res) ?? '';
    };

    return {
      serve(r, w, next) {
        dests.forEach((d, i) => {
          if (r.lazy.has(d)) return;
          let busy = false;
          // A source that reads its own destination would recurse without end; it reads "" instead.
          r.lazy.set(d, () => {
            if (busy) return '';
            busy = true;
            try {
              return valueFor(r, i);
            } finally {
              busy = false;
            }
          });
        });
        return next(r, w);
      },
    };
  },
};
