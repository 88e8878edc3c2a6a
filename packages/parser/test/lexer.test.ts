import { describe, expect, it } from 'vitest';
import { tokenize } from '@proxy/parser';

const texts = (input: string) => tokenize(input, 'Caddyfile').tokens.map((t) => t.text);
const lines = (input: string) => tokenize(input, 'Caddyfile').tokens.map((t) => t.line);
const errors = (input: string) => tokenize(input, 'Caddyfile').diagnostics.map((d) => d.message);

describe('lexer: words and whitespace', () => {
  it('splits on any whitespace and counts lines', () => {
    expect(texts('host:123 {\n\tdir1 arg1\r\n}')).toEqual(['host:123', '{', 'dir1', 'arg1', '}']);
    expect(lines('a\nb\n\nc')).toEqual([1, 2, 4]);
  });
  it('treats braces as ordinary words unless alone', () => {
    expect(texts('foo{ {} } {bar}')).toEqual(['foo{', '{}', '}', '{bar}']);
  });
  it('drops a leading BOM', () => {
    expect(texts('\ufeffa b')).toEqual(['a', 'b']);
  });
  it('ignores CR outside quotes, even inside a word', () => {
    expect(texts('a\r\nb')).toEqual(['a', 'b']);
  });
  it('records exact ranges (1-based, end exclusive)', () => {
    const [a, b] = tokenize('  foo\n bar', 'F').tokens;
    expect(a!.range).toMatchObject({
      file: 'F',
      line: 1,
      column: 3,
      endLine: 1,
      endColumn: 6,
      offset: 2,
      endOffset: 5,
    });
    expect(b!.range).toMatchObject({ line: 2, column: 2, endColumn: 5 });
  });
});

describe('lexer: comments', () => {
  it('starts a comment only at the start of a token', () => {
    expect(texts('a#b # comment\nc')).toEqual(['a#b', 'c']);
    expect(texts('"# not a comment" x')).toEqual(['# not a comment', 'x']);
  });
  it('keeps comments for editors', () => {
    expect(tokenize('a # hi\n# two', 'F').comments.map((c) => [c.text, c.line, c.column])).toEqual([
      ['# hi', 1, 3],
      ['# two', 2, 1],
    ]);
  });
});

describe('lexer: double quotes', () => {
  it('unquotes and only \\" is an escape', () => {
    expect(texts('"a b" "C:\\php\\x" "\\}" "say \\"hi\\""')).toEqual(['a b', 'C:\\php\\x', '\\}', 'say "hi"']);
  });
  it('allows empty tokens and multi-line quotes keeping the start line', () => {
    const t = tokenize('"" "a\nb" c', 'F').tokens;
    expect(t.map((x) => [x.text, x.line, x.quote])).toEqual([
      ['', 1, '"'],
      ['a\nb', 1, '"'],
      ['c', 2, ''],
    ]);
  });
  it('starts quoting only at the start of a token', () => {
    expect(texts('a"b c"')).toEqual(['a"b', 'c"']);
  });
  it('reports an unterminated quote with its line', () => {
    expect(errors('respond "oops\nmore')).toEqual([
      `unterminated quoted string starting on line #1; expected a closing '"'`,
    ]);
  });
});

describe('lexer: backticks', () => {
  it('has no escapes at all', () => {
    expect(texts('`a\\"b` `"x"`')).toEqual(['a\\"b', '"x"']);
    expect(tokenize('`x`', 'F').tokens[0]!.quote).toBe('`');
  });
  it('reports an unterminated backtick string', () => {
    expect(errors('`abc')).toHaveLength(1);
  });
});

describe('lexer: backslashes outside quotes', () => {
  it('keeps the backslash of other escapes', () => {
    expect(texts('un\\escapable \\{')).toEqual(['un\\escapable', '\\{']);
  });
  it('joins lines with backslash-newline', () => {
    const t = tokenize('a \\\n  b\nc', 'F').tokens;
    expect(t.map((x) => [x.text, x.line])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 3],
    ]);
    expect(t[1]!.range.line).toBe(2);
  });
  it('drops the backslash of a word ending in backslash-newline', () => {
    expect(tokenize('a\\\nb', 'F').tokens.map((x) => [x.text, x.line])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
  it('\\< disables heredoc detection', () => {
    expect(texts('\\<<EOF')).toEqual(['<<EOF']);
  });
});

describe('lexer: heredocs', () => {
  it('strips the closing marker indentation', () => {
    const [t] = tokenize('<<EOF\n  a\n    b\n  EOF', 'F').tokens;
    expect(t).toMatchObject({ text: 'a\n  b', quote: '<', heredocMarker: 'EOF', line: 1 });
  });
  it('gives an empty string for an empty heredoc', () => {
    expect(texts('<<EOF\nEOF')).toEqual(['']);
  });
  it('is not a heredoc when a space follows the marker', () => {
    expect(texts('<<END foo')).toEqual(['<<END', 'foo']);
  });
  it('keeps text after the closing marker on that line', () => {
    const t = tokenize('respond <<EOF\n  hi\n  EOF 200\nnext', 'F').tokens;
    expect(t.map((x) => [x.text, x.line])).toEqual([
      ['respond', 1],
      ['hi', 2 - 1],
      ['200', 3],
      ['next', 4],
    ]);
  });
  it('keeps blank lines', () => {
    expect(texts('<<X\n  a\n\n  b\n  X')).toEqual(['a\n\nb']);
  });
  it('reports a missing marker', () => {
    expect(errors('respond <<\nfoo')).toEqual([
      'missing opening heredoc marker on line #1; must contain only alphanumeric characters, dashes and underscores; got empty string',
    ]);
  });
  it('reports too many <', () => {
    expect(errors('a <<<EOF\nx\nEOF')).toEqual([
      `too many '<' for heredoc on line #1; only use two, for example <<END`,
    ]);
  });
  it('reports a bad marker', () => {
    expect(errors('a <<END!\nx\nEND!')).toEqual([
      `heredoc marker on line #1 must contain only alphanumeric characters, dashes and underscores; got 'END!'`,
    ]);
  });
  it('reports mismatched indentation with the line', () => {
    expect(errors('a <<EOF\n  ok\n bad\n  EOF')).toEqual([
      'mismatched leading whitespace in heredoc <<EOF on line #3 [ bad], expected whitespace [  ] to match the closing marker',
    ]);
  });
  it('reports an unfinished heredoc', () => {
    expect(errors('a <<EOF\nno end')).toEqual(['incomplete heredoc <<EOF on line #1, expected ending marker EOF']);
  });
  it('ends at the first marker, even inside a word (what precedes it on that line is padding)', () => {
    expect(texts('<<END\nfooEND bar')).toEqual(['', 'bar']);
    expect(errors('<<END\n  a\n  xEND')).toEqual([
      'mismatched leading whitespace in heredoc <<END on line #2 [  a], expected whitespace [  x] to match the closing marker',
    ]);
  });
});
