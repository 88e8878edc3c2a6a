/** @module http/handlers/vars: `http.handlers.vars`: sets request variables. */
import type { RuntimeModule } from '../../modules.js';
import { compileTemplate, type Template } from '../../util/template.js';
import type { Handler } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { varsSchema } from '@proxy/contract';

export const varsHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.vars',
  kind: 'handler',
  doc: 'Sets request variables.',
  schema: varsSchema,
  create(json, ctx) {
    // Names are placeholder strings too; string values are rendered, other JSON values set as they are.
    const entries: Array<[Template, { t: Template } | { v: unknown }]> = Object.entries(json as Record<string, unknown>)
      .filter(([k]) => k !== 'handler')
      .map(([k, v]) => [
        compileTemplate(k, ctx.env),
        typeof v === 'string' ? { t: compileTemplate(v, ctx.env) } : { v },
      ]);
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
