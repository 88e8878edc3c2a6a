/** @module http/matchers/path-regexp: `http.matchers.path_regexp`. */
import type { ModuleInfo } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { cleanPath } from './path.js';
import { MatchRegexp, regexpSchema } from './regexp.js';

export const pathRegexpMatcher: ModuleInfo<RequestMatcher> = {
  id: 'http.matchers.path_regexp',
  schema: regexpSchema,
  create(json, _ctx, path) {
    const c = json as { name?: string; pattern: string };
    const re = new MatchRegexp(c.name ?? '', c.pattern ?? '', path);
    return { match: (r) => re.match(cleanPath(r.path), r) };
  },
};
