/**
 * @module hover: the catalogue's syntax and doc for the directive, option, matcher, subdirective or module under
 * the cursor; for a site address, the addresses and ports the site listens on; for a snippet, named matcher or
 * named route, its definition line.
 */
import type { Config } from '@proxy/contract';
import { ARGUMENT_KINDS, catalog, moduleMarkdown } from './catalog.js';
import { siteAddress } from './addresses.js';
import { blockContext } from './context.js';
import { entryOf, tokenAt, type Entry, type Outline } from './outline.js';
import { placeholderHover } from './placeholders.js';
import { occurrenceAt, sameName } from './symbols.js';

function servers(config: Config | undefined): Record<string, { listen?: string[] }> {
  return config?.apps?.http?.servers ?? {};
}

function globalOption(o: Outline, name: string): string | undefined {
  const global = o.tops.find((e) => e.top === 'global');
  return global?.children.find((c) => c.tokens[0]?.text === name)?.tokens[1]?.text;
}

/** What a site block listens on, from its addresses and the adapted config. */
function siteHover(o: Outline, e: Entry, config: Config | undefined): string {
  const httpPort = globalOption(o, 'http_port') ?? '80';
  const httpsPort = globalOption(o, 'https_port') ?? '443';
  const autoHttpsOff = globalOption(o, 'auto_https') === 'off';
  const lines: string[] = ['**Site**', ''];
  const all = Object.entries(servers(config));
  // Addresses are separated by commas, stuck to a word (`a.com,`) or alone.
  for (const key of e.tokens.map((t) => t.text.replace(/,$/, '')).filter((k) => k !== '')) {
    const a = siteAddress(key, httpPort, httpsPort);
    const listen = all.filter(([, s]) => (s.listen ?? []).some((l) => l.endsWith(`:${a.port}`)));
    const where =
      listen.length > 0
        ? listen.map(([name, s]) => `${(s.listen ?? []).join(', ')} (${name})`).join('; ')
        : `:${a.port}`;
    const https = a.scheme !== 'http' && a.port !== httpPort && !autoHttpsOff && a.host !== '';
    lines.push(
      `- \`${key}\`: host ${a.host || 'any'}, listens on ${where}${https ? `; HTTPS, with HTTP->HTTPS redirects on :${httpPort}` : ''}`,
    );
  }
  return lines.join('\n');
}

/** Markdown for the hover at `offset`, if any; `config` adapts the file, only needed over a site address. */
export function hover(o: Outline, offset: number, config: () => Config | undefined): string | undefined {
  const t = tokenAt(o, offset);
  if (!t) return undefined;
  const placeholder = placeholderHover(t, offset);
  if (placeholder) return placeholder;
  const occ = occurrenceAt(o, offset);
  if (occ && !occ.definition) {
    const def = sameName(o, occ).find((x) => x.definition);
    const line = def
      ? entryOf(o, def.token)
          ?.tokens.map((x) => x.text)
          .join(' ')
      : undefined;
    return def ? `\`\`\`caddyfile\n${line}\n\`\`\`` : `${occ.kind} \`${occ.name}\` is not defined in this file`;
  }
  const e = entryOf(o, t);
  if (!e) return undefined;
  if (e.depth === 0) return e.top === 'site' ? siteHover(o, e, config()) : undefined;
  if (e.tokens[0] !== t) {
    // `@m path /x`: the matcher name after a named matcher.
    if (e.tokens[0]?.text.startsWith('@') && e.tokens[1] === t) {
      const m = catalog().byKind(['matcher'], t.text);
      return m && moduleMarkdown(m);
    }
    // `transport http`, `encode gzip zstd`: the guest module an argument names.
    const kinds = ARGUMENT_KINDS[e.tokens[0]?.text ?? ''];
    const m = kinds && catalog().byKind(kinds, t.text);
    if (m) return moduleMarkdown(m);
    return undefined;
  }
  const ctx = blockContext(e.parent);
  const c = catalog();
  const m =
    ctx.kind === 'global'
      ? c.byKind(['global-option'], t.text)
      : ctx.kind === 'directives'
        ? c.byKind(['directive', 'handler-directive'], t.text)
        : ctx.kind === 'matchers'
          ? c.byKind(['matcher'], t.text)
          : ctx.kind === 'layer4'
            ? c.byKind(['layer4-handler', 'layer4-matcher'], t.text)
            : ctx.kind === 'module'
              ? ctx.module.subdirectives?.find((s) => s.name === t.text)
              : ctx.kind === 'names'
                ? ctx.modules.find((x) => x.name === t.text)
                : undefined;
  return m && moduleMarkdown(m);
}
