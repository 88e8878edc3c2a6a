/** @module http/matchers/path-regexp: `http.matchers.path_regexp`. */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { cleanPath } from './path.js';
import { MatchRegexp } from './regexp.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const pathRegexpMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.path_regexp',
  kind: 'matcher',
  doc: 'Matches the path against a regular expression.',
  schema: httpMatcherSchemas.path_regexp,
  create(json, _ctx, path) {
    const c = json as { name?: string; pattern: string };
    const re = new MatchRegexp(c.name ?? '', c.pattern ?? '', path);
    return { match: (r) => re.match(cleanPath(r.path), r) };
  },
};
