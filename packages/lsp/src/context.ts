/**
 * @module context: what kind of block an outline entry opens (global options, a site, a matcher set, a
 * directive's or guest module's block, a caddy-l4 block), so completion and hover know which names belong there.
 */
import type { ModuleDoc } from '@proxy/parser';
import { ARGUMENT_KINDS, catalog, GUEST_KINDS } from './catalog.js';
import type { Entry } from './outline.js';

export type BlockContext =
  | { kind: 'top' }
  | { kind: 'global' }
  /** A site, snippet, named route, or a directive whose block holds directives (`handle`, `route`...). */
  | { kind: 'directives' }
  | { kind: 'matchers' }
  | { kind: 'layer4' }
  | { kind: 'module'; module: ModuleDoc }
  /** A block of module names: `listener_wrappers { ... }`. */
  | { kind: 'names'; modules: ModuleDoc[] }
  | { kind: 'unknown' };

/** Directives whose blocks hold more directives. */
const ROUTE_BLOCKS = new Set(['route', 'handle', 'handle_path', 'handle_errors', 'handle_response']);

/** The context of the block `e` opens (or of the top level for `undefined`). */
export function blockContext(e: Entry | undefined): BlockContext {
  if (!e) return { kind: 'top' };
  if (e.depth === 0) return e.top === 'global' ? { kind: 'global' } : { kind: 'directives' };
  const name = e.tokens[0]?.text ?? '';
  const outer = blockContext(e.parent);
  const c = catalog();
  // Every block under `layer4` (servers, `@name` sets, routes, handler blocks) takes caddy-l4 modules.
  if (outer.kind === 'layer4' || name === 'layer4') return { kind: 'layer4' };
  if (name.startsWith('@')) return { kind: 'matchers' };
  if (name === 'listener_wrappers')
    return { kind: 'names', modules: c.all.filter((m) => m.kind === 'listener-wrapper') };
  if (outer.kind === 'global') {
    const m = c.byKind(['global-option'], name);
    return m ? { kind: 'module', module: m } : { kind: 'unknown' };
  }
  if (outer.kind === 'directives') {
    if (ROUTE_BLOCKS.has(name)) return { kind: 'directives' };
    const m = c.byKind(['directive', 'handler-directive'], name);
    return m ? { kind: 'module', module: m } : { kind: 'unknown' };
  }
  if (outer.kind === 'module') {
    if (ROUTE_BLOCKS.has(name)) return { kind: 'directives' };
    // A subdirective whose block has keywords of its own: `admin { config { load postgres { ... } } }`.
    const sub = outer.module.subdirectives?.find((s) => s.name === name);
    if (sub?.block) return { kind: 'module', module: { ...sub, kind: outer.module.kind, subdirectives: sub.block } };
    // `transport http {`, `issuer acme {`, `output file x {`: the argument names a guest module.
    const arg = e.tokens[1]?.text;
    const guest = (arg && c.byKind(ARGUMENT_KINDS[name] ?? GUEST_KINDS, arg)) || c.byKind(GUEST_KINDS, name);
    if (guest) return { kind: 'module', module: guest };
  }
  return { kind: 'unknown' };
}
