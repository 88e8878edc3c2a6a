/** @module http/matchers/header: `http.matchers.header`: field values with * globs; null means absent. */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import type { HttpRequest } from '../request.js';
import { httpMatcherSchemas } from '@proxy/contract';

/** A predicate over one field value. */
export function valueTest(allowed: string): (v: string) => boolean {
  if (allowed === '*') return () => true;
  if (allowed.length > 1 && allowed.startsWith('*') && allowed.endsWith('*')) {
    const mid = allowed.slice(1, -1);
    return (v) => v.includes(mid);
  }
  if (allowed.startsWith('*')) {
    const suf = allowed.slice(1);
    return (v) => v.endsWith(suf);
  }
  if (allowed.endsWith('*')) {
    const pre = allowed.slice(0, -1);
    return (v) => v.startsWith(pre);
  }
  return (v) => v === allowed;
}

/** Values of a request field; "Host" reads the request host. */
export function fieldValues(r: HttpRequest, field: string): string[] | undefined {
  if (field.toLowerCase() === 'host') return r.hostport ? [r.hostport] : undefined;
  const v = r.headers.values(field);
  return v.length ? v : undefined;
}

export const headerMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.header',
  kind: 'matcher',
  doc: 'Matches header field values (with * globs), or their absence.',
  schema: httpMatcherSchemas.header,
  create(json) {
    const fields = Object.entries(json as Record<string, string[] | null>).map(([f, vals]) => ({
      f,
      absent: vals === null,
      exists: Array.isArray(vals) && vals.length === 0,
      tests: (vals ?? []).map(valueTest),
    }));
    return {
      match(r) {
        for (const { f, absent, exists, tests } of fields) {
          const actual = fieldValues(r, f);
          if (absent) {
            if (actual) return false;
            continue;
          }
          if (exists) {
            if (!actual) return false;
            continue;
          }
          if (!actual?.some((v) => tests.some((t) => t(v)))) return false;
        }
        return true;
      },
    };
  },
};
