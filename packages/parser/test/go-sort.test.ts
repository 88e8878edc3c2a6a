/** @module go-sort.test: many sites adapt (Go's SliceStable port, SymMerge past 40 elements, sorts them without losing any). */
import { describe, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';

describe('sorting many site blocks', () => {
  it('adapts 1, 41 and 300 sites, each host once', () => {
    for (const n of [1, 41, 300]) {
      const text = Array.from(
        { length: n },
        (_, i) => `site${i}.example.com, www.site${i}.example.com {\n\trespond "${i}"\n}\n`,
      ).join('\n');
      const r = adapt(text, { filename: 'Caddyfile' });
      expect(r.errors).toEqual([]);
      const routes = (
        r.config as { apps: { http: { servers: { srv0: { routes: { match: { host: string[] }[] }[] } } } } }
      ).apps.http.servers.srv0.routes;
      const hosts = routes.flatMap((x) => x.match[0]!.host);
      expect(hosts).toHaveLength(2 * n);
      expect(new Set(hosts).size).toBe(2 * n);
    }
  });
});
