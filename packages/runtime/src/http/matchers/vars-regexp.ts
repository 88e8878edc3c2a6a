/** @module http/matchers/vars-regexp: `http.matchers.vars_regexp`: variables or placeholders against regexps. */
import type { RuntimeModule } from '../../modules.js';
import { joinPath } from '../../util/errors.js';
import { compileTemplate } from '../../util/template.js';
import type { RequestMatcher } from '../handler.js';
import { requestResolver } from '../replacer.js';
import { MatchRegexp } from './regexp.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const varsRegexpMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.vars_regexp',
  kind: 'matcher',
  doc: 'Matches variables or placeholders against regular expressions.',
  schema: httpMatcherSchemas.vars_regexp,
  create(json, ctx, path) {
    const entries = Object.entries(json as Record<string, { name?: string; pattern: string }>).map(([k, c]) => ({
      key: k.startsWith('{') ? compileTemplate(k, ctx.env) : undefined,
      name: k,
      re: new MatchRegexp(c.name ?? '', c.pattern ?? '', joinPath(path, k)),
    }));
    return {
      match(r) {
        const res = requestResolver(r);
        return entries.every((e) => e.re.match(e.key ? e.key.render(res) : String(r.vars.get(e.name) ?? ''), r));
      },
    };
  },
};
