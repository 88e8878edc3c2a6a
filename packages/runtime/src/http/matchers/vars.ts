/** @module http/matchers/vars: `http.matchers.vars`: request variables or placeholders equal to values. */
import type { RuntimeModule } from '../../modules.js';
import { compileTemplate } from '../../util/template.js';
import type { RequestMatcher } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const varsMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.vars',
  kind: 'matcher',
  doc: 'Matches variables or placeholders.',
  schema: httpMatcherSchemas.vars,
  create(json, ctx) {
    const entries = Object.entries(json as Record<string, string[]>).map(([k, vals]) => ({
      key: k.startsWith('{') ? compileTemplate(k, ctx.env) : undefined,
      name: k,
      vals: vals.map((v) => compileTemplate(v, ctx.env)),
    }));
    return {
      match(r) {
        const res = requestResolver(r);
        for (const e of entries) {
          const actual = e.key ? e.key.render(res) : String(r.vars.get(e.name) ?? '');
          if (!e.vals.some((v) => v.render(res) === actual)) return false;
        }
        return true;
      },
    };
  },
};
