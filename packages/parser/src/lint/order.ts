/** @module lint/order: the handler order in effect: Caddy's default order adjusted by the global `order` options. */
import type { ServerBlock } from '../caddyfile/ast.js';
import { defaultDirectiveOrder, normalizeDirectiveName } from '../adapt/directives/order.js';
import { blockLines, globalBlock } from './lines.js';

/** Each directive's place in the order (names missing from it are placed by their blocks, not sorted). */
export function directivePositions(blocks: readonly ServerBlock[]): Map<string, number> {
  const order = [...defaultDirectiveOrder];
  const global = globalBlock(blocks);
  for (const line of global ? blockLines(global) : []) {
    const [opt, name, where, other] = line.words.map((t) => t.text);
    if (opt !== 'order' || !name) continue;
    const at = order.indexOf(name);
    if (at >= 0) order.splice(at, 1);
    if (where === 'first') order.unshift(name);
    else if (where === 'last') order.push(name);
    else if ((where === 'before' || where === 'after') && other) {
      const i = order.indexOf(other);
      if (i >= 0) order.splice(where === 'before' ? i : i + 1, 0, name);
    }
  }
  const positions = new Map<string, number>();
  order.forEach((name, i) => positions.set(name, i));
  return positions;
}

/** The order position of a directive, `handle_path` sorting as `handle`. */
export function positionOf(positions: ReadonlyMap<string, number>, name: string): number | undefined {
  return positions.get(normalizeDirectiveName(name)) ?? positions.get(name);
}
