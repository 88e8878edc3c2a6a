/** @module lint/rules/duplicate-site-address: one site address in two site blocks (Caddy: "ambiguous site definition"). */
import type { Token } from '../../caddyfile/token.js';
import { siteBlocks } from '../lines.js';
import type { Finding, LintRule } from '../types.js';

export const duplicateSiteAddress: LintRule = {
  code: 'duplicate-site-address',
  defaultSeverity: 'error',
  doc: 'The same site address is given to two site blocks.',
  check(ast) {
    const out: Finding[] = [];
    const first = new Map<string, Token>();
    for (const block of siteBlocks(ast.blocks)) {
      // Within one block a repeated key is harmless; only a key another block already has is ambiguous.
      for (const key of new Map(block.keys.map((k) => [k.text, k])).values()) {
        const seen = first.get(key.text);
        if (!seen) first.set(key.text, key);
        else out.push({ range: key.range, message: `site address ${key.text} is already used at ${seen.range.line}:${seen.range.column}` });
      }
    }
    return out;
  },
  // The adapter stops at the first such key with Caddy's wording; this rule names every one.
  supersedes: (d) => d.message.startsWith('ambiguous site definition:'),
};
