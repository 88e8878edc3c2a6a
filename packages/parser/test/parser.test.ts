import { describe, expect, it } from 'vitest';
import { parse, type ParseOptions } from '@proxy/parser';

function blocks(text: string, options: ParseOptions = {}) {
  const r = parse(text, { env: {}, ...options });
  return {
    blocks: r.ast.blocks.map((b) => ({
      keys: b.keys.map((k) => k.text),
      segments: b.segments.map((s) => s.tokens.map((t) => t.text).join(' ')),
      ...(b.hasBraces ? {} : { hasBraces: false }),
      ...(b.isNamedRoute ? { isNamedRoute: true } : {}),
    })),
    errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column}: ${d.message}`),
    warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message),
  };
}

describe('parser: blocks and segments', () => {
  it('groups a site with directives and nested blocks', () => {
    expect(blocks('a.com {\n\thandle /x {\n\t\trespond hi\n\t}\n\tlog\n}')).toEqual({
      blocks: [{ keys: ['a.com'], segments: ['handle /x { respond hi }', 'log'] }],
      errors: [],
      warnings: [],
    });
  });
  it('reads the global options block as a block without keys', () => {
    expect(blocks('{\n\tdebug\n}\n:80 {\n}').blocks).toEqual([
      { keys: [], segments: ['debug'] },
      { keys: [':80'], segments: [] },
    ]);
  });
  it('supports a site without braces, whose directives run to the end', () => {
    expect(blocks('localhost\nrespond hi\nlog').blocks).toEqual([
      { keys: ['localhost'], segments: ['respond hi', 'log'], hasBraces: false },
    ]);
  });
  it('accepts a file with only an address', () => {
    expect(blocks('localhost').blocks).toEqual([{ keys: ['localhost'], segments: [], hasBraces: false }]);
  });
  it('reads several addresses, with optional commas and a trailing comma continuing the line', () => {
    expect(blocks('a.com b.com, c.com,\n  d.com {\n}').blocks[0]!.keys).toEqual(['a.com', 'b.com', 'c.com', 'd.com']);
  });
  it('accepts the opening brace of a site on the next line', () => {
    expect(blocks('a.com\n{\n\trespond\n}').blocks).toEqual([{ keys: ['a.com'], segments: ['respond'] }]);
  });
  it('keeps heredoc arguments on the directive line', () => {
    expect(blocks('a {\n\trespond <<EOF\n\t\thi\n\t\tEOF 200\n\tlog\n}').blocks[0]!.segments).toEqual([
      'respond hi 200',
      'log',
    ]);
  });
  it('keeps words after a closing brace on the same segment', () => {
    expect(blocks('a {\n\tfoo {\n\t\tx\n\t} bar\n}').blocks[0]!.segments).toEqual(['foo { x } bar']);
  });
  it('makes named routes a block with the name and a raw segment', () => {
    expect(blocks('&(api) {\n\trespond hi\n}').blocks).toEqual([
      { keys: ['api'], segments: ['api { respond hi }'], isNamedRoute: true },
    ]);
  });
  it('treats quoted braces as plain arguments', () => {
    expect(blocks('a {\n\trespond "{" "}"\n}').blocks[0]!.segments).toEqual(['respond { }']);
  });
});

describe('parser: errors', () => {
  it('rejects a { on a new line in a directive', () => {
    expect(blocks('a {\n\thandle\n\t{\n\t\trespond\n\t}\n}').errors).toContain(
      "3:2: Unexpected '{' on a new line; did you mean to place the '{' on the previous line?",
    );
  });
  it('rejects tokens after { on the same line', () => {
    expect(blocks('a {\n\thandle { respond\n\t}\n}').errors[0]).toContain(
      "Unexpected next token after '{' on same line",
    );
  });
  it('rejects a stray closing brace', () => {
    expect(blocks('a {\n}\n}').errors).toEqual(["3:1: Unexpected '}' because no matching opening brace"]);
    expect(blocks('a { respond hi }').errors).toEqual(["1:16: Unexpected '}' because no matching opening brace"]);
  });
  it('reports an unclosed brace at end of file', () => {
    expect(blocks('a {\n\thandle {\n\t\trespond').errors[0]).toMatch(/unexpected EOF/);
  });
  it("rejects '{}' at the end of a line", () => {
    expect(blocks('a {\n\tfoo {}\n}').errors).toEqual(["2:6: Unexpected '{}' at end of line"]);
  });
  it('checks addresses', () => {
    expect(blocks('@m {\n}').errors[0]).toContain(
      'request matchers may not be defined globally, they must be in a site block; found @m',
    );
    expect(blocks('a.com{\n}').errors[0]).toContain("Site addresses cannot end with a curly brace: 'a.com{'");
    expect(blocks('a.com,b.com {\n}').errors[0]).toContain("Site addresses cannot contain a comma ','");
    expect(blocks('a.com, {\n}').errors[0]).toContain("Expected another address but had '{' - check for extra comma");
  });
  it('reports several mistakes in one file, each with a range', () => {
    const r = parse('a {\n\thandle\n\t{\n\t}\n}\nb {\n\tfoo {}\n}\nc {\n}\n}', { env: {} });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errs.length).toBeGreaterThanOrEqual(3);
    for (const d of errs) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.endLine).toBeGreaterThanOrEqual(d.line);
    }
  });
  it('keeps the tree it recovered in source order, and reports the mistake once', () => {
    // Recovery makes up the missing line break after `{`: the partial AST must stay in source order.
    const text = 'localhost\n\nrespond "hi"\ntls client_auth {\t\tmode request\n\t\ttrusted_ca_cert_file x\n\t}\n';
    const r = parse(text, { env: {} });
    expect(r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual([
      "4:20: Unexpected next token after '{' on same line",
    ]);
    const [block] = r.ast.blocks;
    expect(block!.keys.map((k) => k.text)).toEqual(['localhost']);
    expect(block!.segments.map((s) => s.tokens.map((t) => t.text).join(' '))).toEqual([
      'respond hi',
      'tls client_auth { mode request trusted_ca_cert_file x }',
    ]);
    expect(block!.range).toMatchObject({ line: 1, column: 1, endLine: 6, endColumn: 3 });
  });
});
