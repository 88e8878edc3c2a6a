/** @module http/matchers/query: `http.matchers.query`: arguments and values ("*" for any value). */
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import type { RequestMatcher } from '../handler.js';

export const queryMatcher: ModuleInfo<RequestMatcher> = {
  id: 'http.matchers.query',
  schema: s.map(s.strs),
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
