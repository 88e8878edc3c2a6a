/**
 * Diagnostics after an edit inside one site block (incremental.ts) are those the whole file gives: random edits,
 * braces and quotes included, each checked both ways; and the edits that must not take the short way do not.
 */
import { adapt } from '@proxy/parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver';
import { diagnosticsOf } from '../src/diagnostics.js';
import { blockDiagnostics, changeBetween, editedSite, isolate, spansOf, type Published } from '../src/incremental.js';
import { outline } from '../src/outline.js';
import { applyEdit, editSequences } from './random-edits.js';

const PATH = '/virtual/Caddyfile';
const noFiles = (p: string): string => {
  throw new Error(`open ${p}: no such file or directory`);
};

/** What checking the whole file publishes. */
function whole(text: string): Published {
  const o = outline(text, PATH);
  const result = adapt(text, { filename: PATH, dir: '/virtual', readFile: noFiles });
  const diagnostics = diagnosticsOf(
    { uri: `file://${PATH}`, path: PATH, version: 1, text, outline: o, result, invalid: [], reads: new Set() },
    '/virtual',
  );
  return { text, spans: spansOf(o, text), diagnostics, parsed: result.parsed };
}

const key = (d: Diagnostic) =>
  `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code ?? ''} ${d.message}`;
const sorted = (ds: Diagnostic[]) => ds.map(key).sort();

const BASE = [
  '{',
  '\tadmin off',
  '\tauto_https off',
  '}',
  '(common) {',
  '\theader X-Common 1',
  '}',
  'a.test:8081 {',
  '\t@api path /api/*',
  '\timport common',
  '\treverse_proxy @api localhost:9000 {',
  '\t\tlb_policy first',
  '\t}',
  '\trespond "a"',
  '}',
  'b.test:8082 {',
  '\trespnd "typo"',
  '\tencode gzip',
  '}',
  'c.test:8083 {',
  '\theader {',
  '\t\t-Server',
  '\t}',
  '\tredir /old /new 301',
  '}',
  'd.test:8084 {',
  '\treverse_proxy localhost:9001 {',
  '\t\tlb_policy nonsense',
  '\t}',
  '}',
  '',
].join('\n');

describe('diagnostics of an edit inside one site block', () => {
  it('are those of the whole file, for random edits', () => {
    const pieces = [...'ab \n\t{}"`#\\$<@*/:0'.split(''), 'respond', 'lb_policy x', '\n\tfoo'];
    let quick = 0;
    fc.assert(
      fc.property(editSequences(pieces), (edits) => {
        let last = whole(BASE);
        for (const e of edits) {
          const text = applyEdit(last.text, e);
          const next = blockDiagnostics(last, text, PATH, noFiles);
          const full = whole(text);
          if (next) {
            quick++;
            expect(sorted(next.diagnostics)).toEqual(sorted(full.diagnostics));
            last = next;
          } else {
            last = full;
          }
        }
      }),
      { numRuns: 300, seed: 20261204 },
    );
    // Most edits land in site blocks and keep their braces: the short way must be the common one.
    expect(quick).toBeGreaterThan(300);
  });

  it('take the short way only when the block still closes where it did', () => {
    const last = whole(BASE);
    const at = BASE.indexOf('respond "a"') + 'respond "'.length;
    const edited = (insert: string) => {
      const text = BASE.slice(0, at) + insert + BASE.slice(at);
      return editedSite(last.spans, changeBetween(BASE, text), BASE, text);
    };
    expect(edited('xyz')).toBe(2);
    expect(edited('"')).toBe(2); // `""a"`: an empty quoted token, then `a"`; the block still closes
    const after = BASE.indexOf('respond "a"') + 'respond "a"'.length;
    const unclosed = `${BASE.slice(0, after)} "x${BASE.slice(after)}`;
    // The new quote runs past the block's `}`.
    expect(editedSite(last.spans, changeBetween(BASE, unclosed), BASE, unclosed)).toBeUndefined();
    const opened = `${BASE.slice(0, after)} {${BASE.slice(after)}`;
    // A new block opens, and takes the site's `}`.
    expect(editedSite(last.spans, changeBetween(BASE, opened), BASE, opened)).toBeUndefined();
    expect(edited('{$HOME}')).toBeUndefined(); // environment substitution happens before lexing
    const inSnippet = BASE.indexOf('X-Common');
    const snippetEdit = `${BASE.slice(0, inSnippet)}Y${BASE.slice(inSnippet)}`;
    expect(editedSite(last.spans, changeBetween(BASE, snippetEdit), BASE, snippetEdit)).toBeUndefined();
  });

  it('keeps the line and column of what it keeps', () => {
    const last = whole(BASE);
    const isolated = isolate(BASE, last.spans, 3);
    expect(isolated.split('\n').length).toBe(BASE.split('\n').length);
    expect(isolated.split('\n')[16]).toBe('\trespnd "typo"');
    expect(isolated).not.toContain('a.test');
    expect(isolated).toContain('(common)');
  });
});
