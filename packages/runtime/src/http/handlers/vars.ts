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
    // Names are placeholder strings too; string values are rendered, other JSON values set as they are.
    const entries: Array<[Template, { t: Template } | { v: unknown }]> = Object.entries(json as Record<string, unknown>)
      .filter(([k]) => k !== 'handler')
      .map(([k, v]) => [compileTemplate(k, ctx.env), typeof v === 'string' ? { t: compileTemplate(v, ctx.env) } : { v }]);
    return {
      serve(r, w, next) {
        const res = requestResolver(r);
        for (const [k, v] of entries) {
          r.vars.set(k.render(res), 't' in v ? v.t.render(res) : v.v);
        }
        return next(r, w);
      },
    };
  },
};
