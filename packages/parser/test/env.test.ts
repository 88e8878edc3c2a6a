import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, replaceEnvVars, tokenizeFile } from '@proxy/parser';

describe('{$ENV} substitution', () => {
  const env = { HOST: 'example.com', EMPTY: '', SPACED: 'a b' };
  it('replaces set variables anywhere, even in quotes and comments', () => {
    expect(replaceEnvVars('{$HOST} "x{$HOST}" # {$HOST}', env)).toBe('example.com "xexample.com" # example.com');
  });
  it('uses the default only when unset', () => {
    expect(replaceEnvVars('{$NOPE:dflt} {$EMPTY:dflt} {$NOPE}', env)).toBe('dflt  ');
  });
  it('leaves {$} and unterminated ones alone, and does not recurse', () => {
    expect(replaceEnvVars('{$} {$A:$B} {$HOST', env)).toBe('{$} $B {$HOST');
  });
  it('is lexed after substitution, so values can make several tokens', () => {
    const { ast } = parse('{$SPACED} {\n\trespond {env.KEEP}\n}', { env });
    expect(ast.blocks[0]!.keys.map((k) => k.text)).toEqual(['a', 'b']);
    expect(ast.blocks[0]!.segments[0]!.tokens.map((t) => t.text)).toEqual(['respond', '{env.KEEP}']);
  });
});

describe('positions after {$ENV} substitution are those of the original text', () => {
  const env = { GREETING: 'Hello from a long greeting', MULTI: 'header a b\n\theader c d', BRACE: 'x {' };
  const tokensOf = (text: string) =>
    parse(text, { env }).ast.blocks.flatMap((b) => b.segments.flatMap((s) => s.tokens));

  it('reports the token after a long placeholder at its own column', () => {
    const text = ':80 {\n\trespond "{$GREETING}" 200\n}';
    const [respond, greeting, status] = tokensOf(text);
    expect(respond!.range).toMatchObject({ line: 2, column: 2 });
    // The quoted token made of the substituted value covers the placeholder and its quotes.
    expect(greeting!.text).toBe('Hello from a long greeting');
    expect(greeting!.range).toMatchObject({ line: 2, column: 10, endLine: 2, endColumn: 23 });
    expect(text.slice(greeting!.range.offset, greeting!.range.endOffset)).toBe('"{$GREETING}"');
    expect(status!.text).toBe('200');
    expect(status!.range).toMatchObject({ line: 2, column: 24, endLine: 2, endColumn: 27 });
    expect(text.slice(status!.range.offset, status!.range.endOffset)).toBe('200');
  });

  it('gives tokens of a multi-line value the placeholder range, and later lines their true line', () => {
    const text = ':80 {\n\t{$MULTI}\n\trespond hi\n}';
    const { ast } = parse(text, { env });
    const segs = ast.blocks[0]!.segments;
    expect(segs.map((s) => s.tokens.map((t) => t.text).join(' '))).toEqual(['header a b', 'header c d', 'respond hi']);
    for (const t of [...segs[0]!.tokens, ...segs[1]!.tokens]) {
      expect(t.range).toMatchObject({ line: 2, column: 2, endLine: 2, endColumn: 10 });
    }
    // Caddy's own line numbers still count the inserted line break (they decide what shares a line).
    expect(segs[2]!.tokens[0]!.line).toBe(4);
    expect(segs[2]!.tokens[0]!.range).toMatchObject({ line: 3, column: 2, endColumn: 9 });
    expect(segs[2]!.tokens[1]!.range).toMatchObject({ line: 3, column: 10, endColumn: 12 });
  });

  it('puts a token that is part substitution, part text, over both', () => {
    const text = 'a{$GREETING:x}b';
    const { tokens } = tokenizeFile(text, 'F', {});
    expect(tokens.map((t) => t.text)).toEqual(['axb']);
    expect(tokens[0]!.range).toMatchObject({ line: 1, column: 1, endColumn: 16, offset: 0, endOffset: 15 });
  });

  it('reports diagnostics after a placeholder at their true range', () => {
    const parsed = parse(':80 {\n\trespond {$GREETING} {}\n}', { env });
    expect(parsed.diagnostics.map((d) => [d.message, d.line, d.column, d.endColumn])).toEqual([
      ["Unexpected '{}' at end of line", 2, 22, 24],
    ]);
    const lexed = parse(':80 {\n\trespond {$GREETING} "open\n}', { env });
    expect(lexed.diagnostics[0]).toMatchObject({ code: 'lexing-error', line: 2, column: 22 });
  });

  it('keeps comment places in the original text', () => {
    const { comments } = tokenizeFile('{$GREETING} # hi\n{$MULTI}\n# two', 'F', env);
    expect(comments.map((c) => [c.text, c.line, c.column])).toEqual([
      ['# hi', 1, 13],
      ['# two', 3, 1],
    ]);
  });

  it('lets a value bring in braces that change the structure, still at the placeholder', () => {
    const text = '{$BRACE}\n\trespond hi\n}';
    const { ast, diagnostics } = parse(text, { env });
    expect(diagnostics).toEqual([]);
    expect(ast.blocks[0]!.keys.map((k) => [k.text, k.range.column, k.range.endColumn])).toEqual([['x', 1, 9]]);
    expect(ast.blocks[0]!.range).toMatchObject({ line: 1, column: 1, endLine: 3, endColumn: 2 });
  });
});

describe('positions after {$ENV} substitution in an imported file', () => {
  it('are those of the imported file as written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-import-'));
    const file = join(dir, 'site.caddy');
    writeFileSync(file, 'respond "{$GREETING}" 200\n');
    const { ast } = parse(':80 {\n\timport site.caddy\n}', { env: { GREETING: 'Hello from a long greeting' }, dir });
    rmSync(dir, { recursive: true, force: true });
    const tokens = ast.blocks[0]!.segments[0]!.tokens;
    expect(tokens.map((t) => [t.text, t.file, t.range.line, t.range.column, t.range.endColumn])).toEqual([
      ['respond', file, 1, 1, 8],
      ['Hello from a long greeting', file, 1, 9, 22],
      ['200', file, 1, 23, 26],
    ]);
  });
});
