import { adapt } from '@proxy/parser';

type J = Record<string, unknown>;

/** Adapts and returns the config; fails the test with the errors otherwise. */
export function cfg(text: string): J {
  const r = adapt(text, { filename: 'Caddyfile', env: {} });
  if (!r.config) throw new Error(`adapt failed: ${r.errors.map((e) => e.caddyMessage ?? e.message).join('; ')}`);
  return r.config as J;
}

/** Adapts and returns the first error message ("" if it adapted). */
export function errOf(text: string): string {
  const r = adapt(text, { filename: 'Caddyfile', env: {} });
  return r.errors[0]?.caddyMessage ?? r.errors[0]?.message ?? '';
}

/** The value at a dotted path (numbers index arrays). */
export function at(v: unknown, path: string): unknown {
  let cur: unknown = v;
  for (const part of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : (cur as J)[part];
  }
  return cur;
}

/** The routes of srv0. */
export function routes(c: J): unknown[] {
  return at(c, 'apps.http.servers.srv0.routes') as unknown[];
}
