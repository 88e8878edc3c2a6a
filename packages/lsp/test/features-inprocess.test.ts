/**
 * The features as functions, without a server: quick fixes for options and matchers, and no feature throwing at
 * any offset of broken or odd files (a request must never end the server).
 */
import { adapt } from '@proxy/parser';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver';
import { codeActions, suggestions } from '../src/actions.js';
import { complete } from '../src/completion.js';
import { hover } from '../src/hover.js';
import { outline } from '../src/outline.js';
import { semanticTokens } from '../src/semantic.js';
import { documentSymbols, occurrenceAt, occurrences, sameName } from '../src/symbols.js';

/** The fixes offered for the first adapt error of `text`. */
function fixesOf(text: string): string[] {
  const [e] = adapt(text, { filename: 'Caddyfile' }).errors;
  if (!e) return [];
  const o = outline(text, 'Caddyfile');
  const lines = text.split('\n');
  const offsetAt = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const range = {
    start: { line: e.line - 1, character: e.column - 1 },
    end: { line: e.endLine - 1, character: e.endColumn - 1 },
  };
  const d: Diagnostic = { range, message: e.message };
  return codeActions(o, 'file:///Caddyfile', [d], offsetAt).map((a) => a.title);
}

describe('quick fixes', () => {
  it('suggest the closest global option and matcher', () => {
    expect(fixesOf('{\n\tauto_htps off\n}\n')).toEqual(["Did you mean 'auto_https'?"]);
    expect(fixesOf(':8080 {\n\t@m {\n\t\tpaht /x\n\t}\n\trespond @m 200\n}\n')).toEqual(["Did you mean 'path'?"]);
  });

  it('suggest nothing for a word far from every name', () => {
    expect(suggestions('zzzzzzzz', ['respond', 'redir'])).toEqual([]);
  });
});

describe('completion of module names', () => {
  const labels = (text: string) => complete(outline(text, 'Caddyfile'), text, text.indexOf('|')).map((i) => i.label);
  it('offers the guest modules an argument names', () => {
    expect(labels(':1 {\n\treverse_proxy x {\n\t\ttransport |\n\t}\n}\n')).toEqual(
      expect.arrayContaining(['http', 'fastcgi']),
    );
    expect(labels(':1 {\n\tencode gzip |\n}\n')).toEqual(expect.arrayContaining(['zstd']));
    expect(labels(':1 {\n\treverse_proxy x {\n\t\tlb_policy |\n\t}\n}\n')).toContain('round_robin');
  });

  it('offers listener wrappers inside listener_wrappers', () => {
    expect(labels('{\n\tservers {\n\t\tlistener_wrappers {\n\t\t\t|\n\t\t}\n\t}\n}\n')).toEqual(
      expect.arrayContaining(['layer4', 'tls']),
    );
  });

  it('offers the subdirectives of a guest module block', () => {
    expect(labels(':1 {\n\treverse_proxy x {\n\t\ttransport http {\n\t\t\t|\n\t\t}\n\t}\n}\n')).toContain(
      'dial_timeout',
    );
  });

  it('offers the keywords of a subdirective block: admin { config { load postgres { ... } } }', () => {
    expect(labels('{\n\tadmin {\n\t\tconfig {\n\t\t\t|\n\t\t}\n\t}\n}\n')).toEqual(['persist', 'load', 'load_delay']);
    expect(labels('{\n\tadmin {\n\t\tconfig {\n\t\t\tload postgres {\n\t\t\t\t|\n\t\t\t}\n\t\t}\n\t}\n}\n')).toEqual(
      expect.arrayContaining(['connection_string', 'table_prefix', 'instance_id']),
    );
  });
});

const ODD = [
  '',
  '{',
  '}',
  '{\n\t}\n}\n',
  ':8080 {\n\trespond "unterminated\n',
  '(snip) {\n\timport snip\n}\nimport\n@x\n',
  ':8080 {\n\t@m\n\tinvoke\n\timport\n\treverse_proxy {\n\t\ttransport\n\t\t{\n\t}\n',
  'a.com, , b.com:99999 {\n\trespond <<EOF\n\thi\n\tEOF 200\n}\n',
  '{\n\tlayer4 {\n\t\t:1 {\n\t\t\troute {\n\t\t\t\tproxy {\n\t\t\t\t\tupstream\n',
  ':8080 {\n\trespond "{ho\n\t# comment {\n}\n{$ENV_THAT_IS_NOT_SET} {\n}\n',
];

describe('no feature throws', () => {
  for (const text of ODD) {
    it(`on ${JSON.stringify(text.slice(0, 40))}`, () => {
      const o = outline(text, 'Caddyfile');
      const config = adapt(text, { filename: 'Caddyfile' }).config;
      for (let offset = 0; offset <= text.length; offset++) {
        complete(o, text, offset);
        hover(o, offset, () => config);
        const occ = occurrenceAt(o, offset);
        if (occ) sameName(o, occ);
      }
      occurrences(o);
      semanticTokens(o);
      documentSymbols(o, text, (n) => ({ line: 0, character: n }));
    });
  }
});
