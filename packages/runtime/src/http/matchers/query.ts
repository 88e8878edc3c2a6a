/** @module http/matchers/query: `http.matchers.query`: arguments and values ("*" for any value). */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const queryMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.query',
  kind: 'matcher',
  doc: 'Matches query arguments.',
  schema: httpMatcherSchemas.query,
  create(json) {
    const params = Object.entries(json as Record<string, string[]>);
    return {
      match(r) {
        const q = r.queryParams;
        if (params.length === 0) return r.query === '';
        for (const [key, allowed] of params) {
          if (!q.has(key)) return false;
          const actual = q.getAll(key);
          if (!allowed.some((v) => v === '*' || actual.includes(v))) return false;
        }
        return true;
      },
    };
  },
};
