import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '@proxy/parser';

function run(text: string, dir?: string) {
  const r = parse(text, { env: {}, ...(dir ? { dir } : {}) });
  return {
    blocks: r.ast.blocks.map((b) => [
      b.keys.map((k) => k.text).join(' '),
      ...b.segments.map((s) => s.tokens.map((t) => t.text).join(' ')),
    ]),
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message),
    ast: r.ast,
  };
}

describe('snippets', () => {
  it('expands a snippet with positional and variadic arguments', () => {
    const r = run('(s) {\n\trespond "{args[0]} {args.1}" {args[2:]}\n}\na {\n\timport s x y 1 2\n}');
    expect(r.blocks).toEqual([['a', 'respond x y 1 2']]);
  });
  it('substitutes {block} and {blocks.KEY}', () => {
    const r = run(
      '(s) {\n\theader {\n\t\t{block}\n\t}\n\theader {\n\t\t{blocks.x}\n\t\t{blocks.missing}\n\t}\n}\na {\n\timport s {\n\t\tx {\n\t\t\tA b\n\t\t}\n\t}\n}',
    );
    expect(r.blocks).toEqual([['a', 'header { x { A b } }', 'header { A b }']]);
  });
  it('is available only after it is defined', () => {
    expect(run('a {\n\timport s\n}\n(s) {\n\tlog\n}').errors).toEqual(['File to import not found: s']);
  });
  it('rejects redeclaration', () => {
    expect(run('(s) {\n}\n(s) {\n}').errors).toEqual(['redeclaration of previously declared snippet s']);
  });
  it('can hold whole site blocks, imported at the top level', () => {
    expect(run('(sites) {\n\t{args[0]} {\n\t\trespond hi\n\t}\n}\nimport sites a.com').blocks).toEqual([
      ['a.com', 'respond hi'],
    ]);
  });
  it('marks imported tokens with the import chain, never on the same line as outside tokens', () => {
    const r = run('(s) {\n\tlog\n}\na {\n\timport s\n}');
    expect(r.ast.blocks[0]!.segments[0]!.tokens[0]!.imports).toEqual(['Caddyfile:5 (import s)']);
  });
  it('detects import cycles', () => {
    expect(run('(a) {\n\timport b\n}\n(b) {\n\timport a\n}\nimport a').errors).toEqual([
      'a cycle of imports exists between Caddyfile:b and Caddyfile:a',
    ]);
  });
  it('rejects anonymous blocks and a missing pattern', () => {
    expect(run('(s) {\n}\na {\n\timport s {\n\t\t{\n\t\t}\n\t}\n}').errors).toEqual([
      'anonymous blocks are not supported',
    ]);
    expect(run('a {\n\timport\n}').errors).toEqual(["wrong argument count or unexpected line ending after 'import'"]);
    expect(run('a {\n\timport ""\n}').errors).toEqual(['Import requires a non-empty filepath']);
  });
  it('warns about bad placeholders and leaves them', () => {
    const r = run('(s) {\n\trespond {args[5]}\n}\na {\n\timport s x\n}');
    expect(r.blocks).toEqual([['a', 'respond {args[5]}']]);
    expect(r.warnings).toHaveLength(1);
  });
});

describe('file imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-imports-'));
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'common.conf'), 'header X-A {args[0]}\n');
  writeFileSync(join(dir, 'conf.d', 'one.caddy'), 'one.com {\n\trespond one\n}\n');
  writeFileSync(join(dir, 'conf.d', 'two.caddy'), 'two.com {\n\trespond two\n}\n');
  writeFileSync(join(dir, 'conf.d', '.hidden'), 'hidden.com {\n}\n');
  writeFileSync(join(dir, 'empty.conf'), '  \n');
  writeFileSync(join(dir, 'loop.conf'), 'import loop.conf\n');

  it('imports a file relative to the importing file, with arguments', () => {
    const r = run('a {\n\timport common.conf v\n}', dir);
    expect(r.blocks).toEqual([['a', 'header X-A v']]);
    expect(r.ast.blocks[0]!.segments[0]!.tokens[0]!.file).toBe(join(dir, 'common.conf'));
  });
  it('imports globs in sorted order and skips dot files for a leading *', () => {
    expect(run('import conf.d/*', dir).blocks).toEqual([
      ['one.com', 'respond one'],
      ['two.com', 'respond two'],
    ]);
  });
  it('warns on a glob without matches and on empty files, errors on a missing file', () => {
    expect(run('import nothing/*.conf', dir).warnings).toHaveLength(1);
    expect(run('a {\n\timport empty.conf\n}', dir).warnings).toHaveLength(1);
    expect(run('import missing.conf', dir).errors).toEqual(['File to import not found: missing.conf']);
  });
  it('limits wildcards', () => {
    expect(run('import */*.conf', dir).errors[0]).toMatch(/^Glob pattern may only contain one wildcard/);
  });
  it('detects a file importing itself', () => {
    expect(run('import loop.conf', dir).errors[0]).toMatch(
      /^a cycle of imports exists between .*loop.conf and .*loop.conf$/,
    );
  });
});
