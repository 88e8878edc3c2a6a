/** @module http/matchers/host: `http.matchers.host`: hosts, with "*" matching one label. */
import type { RuntimeModule } from '../../modules.js';
import type { RequestMatcher } from '../handler.js';
import { httpMatcherSchemas } from '@proxy/contract';

/** Compiles host patterns into a predicate over a lower-cased host. */
export function compileHosts(hosts: string[]): (host: string) => boolean {
  const exact = new Set<string>();
  const wild: string[][] = [];
  for (const h of hosts) {
    const lower = h.toLowerCase();
    if (lower.includes('*')) wild.push(lower.split('.'));
    else exact.add(lower);
  }
  return (host) => {
    if (exact.has(host)) return true;
    if (wild.length === 0) return false;
    const labels = host.split('.');
    outer: for (const pat of wild) {
      if (pat.length !== labels.length) continue;
      for (let i = 0; i < pat.length; i++) if (pat[i] !== '*' && pat[i] !== labels[i]) continue outer;
      return true;
    }
    return false;
  };
}

export const hostMatcher: RuntimeModule<RequestMatcher> = {
  id: 'http.matchers.host',
  kind: 'matcher',
  doc: 'Matches the Host, with wildcards.',
  schema: httpMatcherSchemas.host,
  create(json) {
    const m = compileHosts(json as string[]);
    return { match: (r) => m(r.hostLower) };
  },
};
