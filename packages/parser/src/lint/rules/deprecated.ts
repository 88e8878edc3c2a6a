/**
 * @module lint/rules/deprecated: deprecated spellings, as the catalogue documents them: a directive whose doc is
 * "Deprecated alias of NAME." (`basicauth`, `skip_log`), and subdirectives or option fields documented as
 * "Deprecated: ...", and a path in a site address (use `handle`).
 */
import { catalogue } from '../../adapt/modules.js';
import type { ModuleDoc } from '../../adapt/module.js';
import { allLines, blockLines, globalBlock, siteBlocks, type Line } from '../lines.js';
import { sitePath } from './site-address.js';
import type { Finding, LintRule } from '../types.js';

const ALIAS = /^Deprecated alias of (\S+?)\.?$/;

interface Tables {
  directives: Map<string, ModuleDoc>;
  options: Map<string, ModuleDoc>;
}

let tables: Tables | undefined;

function lookups(): Tables {
  if (tables) return tables;
  const directives = new Map<string, ModuleDoc>();
  const options = new Map<string, ModuleDoc>();
  for (const m of catalogue()) {
    if (m.kind === 'directive' || m.kind === 'handler-directive') directives.set(m.name, m);
    else if (m.kind === 'global-option') options.set(m.name, m);
  }
  return (tables = { directives, options });
}

/** The finding for a module's own name, when it is a deprecated alias. */
function aliasFinding(line: Line, m: ModuleDoc | undefined, out: Finding[]): void {
  const t = line.words[0]!;
  const alias = m ? ALIAS.exec(m.doc) : null;
  if (alias) out.push({ range: t.range, message: `${t.text} is deprecated: use ${alias[1]}` });
}

/** Findings for deprecated subdirectives anywhere inside a module's blocks. */
function subFindings(line: Line, m: ModuleDoc | undefined, out: Finding[]): void {
  const deprecated = new Map(
    (m?.subdirectives ?? []).filter((s) => s.doc.startsWith('Deprecated')).map((s) => [s.name, s.doc]),
  );
  if (deprecated.size === 0) return;
  for (const b of line.blocks) {
    for (const l of allLines(b)) {
      const t = l.words[0];
      const doc = t && t.quote === '' ? deprecated.get(t.text) : undefined;
      if (t && doc)
        out.push({
          range: t.range,
          message: `${t.text} in ${m!.name} is deprecated: ${doc.replace(/^Deprecated:?\s*/, '')}`,
        });
    }
  }
}

export const deprecated: LintRule = {
  code: 'deprecated',
  defaultSeverity: 'warning',
  doc: 'A deprecated directive, option or subdirective spelling.',
  check(ast) {
    const { directives, options } = lookups();
    const out: Finding[] = [];
    const global = globalBlock(ast.blocks);
    for (const block of siteBlocks(ast.blocks)) {
      for (const k of block.keys) {
        const path = sitePath(k.text);
        if (path !== '')
          out.push({
            range: k.range,
            message: `a path in a site address (${path}) is deprecated: use handle ${path}* inside the site`,
          });
      }
    }
    for (const block of ast.blocks) {
      const lines = blockLines(block);
      if (block === global) {
        for (const line of lines) {
          const m = options.get(line.words[0]?.text ?? '');
          aliasFinding(line, m, out);
          subFindings(line, m, out);
        }
        continue;
      }
      // Directives nest (handle, route...): look at every line, but only lines naming a directive count.
      for (const line of allLines(lines)) {
        const t = line.words[0];
        const m = t && t.quote === '' ? directives.get(t.text) : undefined;
        if (!m) continue;
        aliasFinding(line, m, out);
        subFindings(line, m, out);
      }
    }
    return out;
  },
  // The adapter warns about deprecated directive names in Caddy's words; this rule reports them with its code.
  supersedes: (d) =>
    d.severity === 'warning' &&
    (/ is deprecated, please use /.test(d.message) ||
      d.message.startsWith('Using a path in a site address is deprecated')),
};
