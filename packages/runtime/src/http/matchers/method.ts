/** @module http/matchers/method: `http.matchers.method`. */
import type { ModuleInfo } from '../../modules.js';
import { s } from '../../schema.js';
import type { RequestMatcher } from '../handler.js';

export const methodMatcher: ModuleInfo<RequestMatcher> = {
  id: 'http.matchers.method',
  schema: s.strs,
  create(json) {
    const set = new Set((json as string[]).map((m) => m.toUpperCase()));
    return { match: (r) => set.has(r.method) };
  },
};
