/** @module http/handlers/vars: `http.handlers.vars`: sets request variables. */
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import { compileTemplate, type Template } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';

export const varsHandler: ModuleInfo<Handler> = {
  id: 'http.handlers.vars',
  schema: s.obj({}, true),
  create(json, ctx) {
    const entries: Array<[string, Template | unknown]> = Object.entries(json as Record<string, unknown>)
      .filter(([k]) => k !== 'handler')
      .map(([k, v]) => [k, typeof v === 'string' ? compileTemplate(v, ctx.env) : v]);
    return {
      serve(r, w, next) {
        const res = requestResolver(r);
        for (const [k, v] of entries) {
          r.vars.set(k, v && typeof v === 'object' && 'render' in v ? (v as Template).render(res) : v);
        }
        return next(r, w);
      },
    };
  },
};
