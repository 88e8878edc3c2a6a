/** @module http/matchers/header-regexp: `http.matchers.header_regexp`. */
import type { RuntimeModule } from '../../modules.js';
import { joinPath } from '../../util/errors.js';
import type { RequestMatcher } from '../handler.js';
import { fieldValues } from './header.js';
import { MatchRegexp } from './regexp.js';
import { httpMatcherSchemas } from '@proxy/contract';

export const headerRegexpMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.header_regexp',
  kind: 'matcher',
  doc: 'Matches header fields against regular expressions.',
  schema: httpMatcherSchemas.header_regexp,
  create(json, _ctx, path) {
    const fields = Object.entries(json as Record<string, { name?: string; pattern: string }>).map(([f, c]) => ({
      f,
      re: new MatchRegexp(c.name ?? '', c.pattern ?? '', joinPath(path, f)),
    }));
    return {
      match(r) {
        for (const { f, re } of fields) {
          const vals = fieldValues(r, f);
          if (!vals?.some((v) => re.match(v, r))) return false;
        }
        return true;
      },
    };
  },
};
