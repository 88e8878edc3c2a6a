/** @module http/matchers/method: `http.matchers.method`. */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const methodMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.method',
  kind: 'matcher',
  doc: 'Matches the request method.',
  schema: httpMatcherSchemas.method,
  create(json) {
    const set = new Set((json as string[]).map((m) => m.toUpperCase()));
    return { match: (r) => set.has(r.method) };
  },
};
