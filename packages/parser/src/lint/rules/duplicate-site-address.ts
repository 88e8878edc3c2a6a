/** @module lint/rules/duplicate-site-address: one site address in two site blocks (Caddy: "ambiguous site definition"). */
import type { Token } from '../../caddyfile/token.js';
import type { ServerBlock } from '../../caddyfile/ast.js';
import { blockLines, siteBlocks } from '../lines.js';
import type { Finding, LintRule } from '../types.js';

/** The block's `bind` addresses, as one string: the same key on other interfaces is another listener. */
function binds(block: ServerBlock): string {
  const hosts = blockLines(block)
    .filter((l) => l.words[0]?.text === 'bind')
    .flatMap((l) => l.words.slice(1).map((t) => t.text));
  return [...new Set(hosts)].sort().join(' ');
}

export const duplicateSiteAddress: LintRule = {
  code: 'duplicate-site-address',
  defaultSeverity: 'error',
  doc: 'The same site address is given to two site blocks.',
  check(ast) {
    const out: Finding[] = [];
    const first = new Map<string, Token>();
    for (const block of siteBlocks(ast.blocks)) {
      // Within one block a repeated key is harmless; only a key another block already has is ambiguous.
      const bound = binds(block);
      for (const key of new Map(block.keys.map((k) => [k.text, k])).values()) {
        const id = `${key.text}\n${bound}`;
        const seen = first.get(id);
        if (!seen) first.set(id, key);
        else
          out.push({
            range: key.range,
            message: `site address ${key.text} is already used at ${seen.range.line}:${seen.range.column}`,
          });
      }
    }
    return out;
  },
  // The adapter stops at the first such key with Caddy's wording; this rule names every one.
  supersedes: (d) => d.message.startsWith('ambiguous site definition:'),
};
