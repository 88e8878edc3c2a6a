import { describe, expect, it } from 'vitest';
import { format } from '@proxy/parser';

/**
 * One case per formatting rule. Every expected string is what `caddy fmt` of Caddy 2.6.2 prints for the input
 * (checked against the real binary; format-differential.test.ts re-checks such inputs when `caddy` is installed).
 */
function rules(cases: Record<string, [input: string, expected: string]>): void {
  for (const [name, [input, expected]] of Object.entries(cases)) {
    it(name, () => {
      expect(format(input)).toBe(expected);
    });
  }
}

describe('format: trimming and the final newline', () => {
  rules({
    'empty input gives a lone newline': ['', '\n'],
    'white-space-only input gives a lone newline': [' \n\t\r\n ', '\n'],
    'leading and trailing space are trimmed, one newline is added': ['\n\n  a b  \n\n\n', 'a b\n'],
    'a BOM is not white space and is kept': ['\ufeffa {\nb\n}', '\ufeffa {\n\tb\n}\n'],
  });
});

describe('format: indentation and nesting', () => {
  rules({
    'a block body is indented with one tab': ['a {\nb\n}', 'a {\n\tb\n}\n'],
    'nested blocks get one tab per level': ['a {\nb {\nc\n}\nd\n}', 'a {\n\tb {\n\t\tc\n\t}\n\td\n}\n'],
    'existing indentation is replaced': ['   a {\n      b   c\n }', 'a {\n\tb c\n}\n'],
    'runs of spaces and tabs between words become one space': ['a    b\t\tc', 'a b c\n'],
    'Unicode spaces (NBSP, EM SPACE, NEL) separate words too': ['a\u00a0\u00a0b\u2003c\u0085d', 'a b c d\n'],
    'indentation stops growing at 10 levels': [
      'a {\n'.repeat(12) + 'x\n' + '}\n'.repeat(12),
      [
        ...Array.from({ length: 11 }, (_, i) => '\t'.repeat(i) + 'a {'),
        '\t'.repeat(10) + 'a {',
        '\t'.repeat(10) + 'x',
        ...Array.from({ length: 10 }, (_, i) => '\t'.repeat(9 - i) + '}'),
        '}',
        '}',
        '',
      ].join('\n'),
    ],
  });
});

describe('format: braces', () => {
  rules({
    '`{` on its own line moves up to the previous line': ['a\n{\nb\n}', 'a {\n\tb\n}\n'],
    'the global options block stays a bare `{`': [
      '{\nadmin off\n}\n\nexample.com\n{\nrespond 200\n}',
      '{\n\tadmin off\n}\n\nexample.com {\n\trespond 200\n}\n',
    ],
    '`{` glued to a word gets a space': ['a{\nb\n}', 'a {\n\tb\n}\n'],
    '`}` glued to a word goes to its own line': ['a {\nb}', 'a {\n\tb\n}\n'],
    'a one-line block is opened up': ['a { b c }', 'a {\n\tb c\n}\n'],
    'quirk: after a word that began with `{`, a glued `}` stays in its word': ['{a} b}\nc', '{a} b}\nc\n'],
    'a word after `}` on the same line starts a new paragraph at the top level': [
      'a {\n}  b {\n}',
      'a {\n}\n\nb {\n}\n',
    ],
    'adjacent top-level blocks are not separated': ['a {\n}\nb {\n}', 'a {\n}\nb {\n}\n'],
    'a `{` still pending at the end of the input is dropped': ['a {', 'a\n'],
    'unbalanced `}` each get a line and never indent below zero': ['a\n}}}', 'a\n}\n}\n}\n'],
    'a run of braces: `}` close, the trailing `{` are dropped': ['}}}{{{', '}\n}\n}\n'],
  });
});

describe('format: placeholders, snippets and imports', () => {
  rules({
    'placeholders are words': ['respond {path}   {http.request.host}', 'respond {path} {http.request.host}\n'],
    'env placeholders as site addresses and arguments': [
      '{$DOMAIN:localhost} {\nroot * {$ROOT}\n}',
      '{$DOMAIN:localhost} {\n\troot * {$ROOT}\n}\n',
    ],
    'an env placeholder with `{` on the next line': [
      '{$DOMAIN}\n{\nrespond {$MSG}\n}',
      '{$DOMAIN} {\n\trespond {$MSG}\n}\n',
    ],
    'snippets and import': [
      '(snip) {\nrespond 200\n}\nexample.com {\nimport snip\n}',
      '(snip) {\n\trespond 200\n}\nexample.com {\n\timport snip\n}\n',
    ],
    'an import with a block': [
      'example.com {\nimport snip {\nfoo bar\n}\n}',
      'example.com {\n\timport snip {\n\t\tfoo bar\n\t}\n}\n',
    ],
  });
});

describe('format: blank lines', () => {
  rules({
    'more than one blank line collapses to one': ['a\n\n\n\n\nb', 'a\n\nb\n'],
    'a single blank line is kept': ['a\n\nb', 'a\n\nb\n'],
    'blank lines after `{` and before `}` are removed': ['a {\n\n\nb\n\n\n}', 'a {\n\tb\n}\n'],
  });
});

describe('format: comments', () => {
  rules({
    'a comment is copied verbatim': ['# c   x\na', '# c   x\na\n'],
    'a comment is re-indented but its text is kept': [
      'a {\n    #   comment  with   spaces\n  b\n}',
      'a {\n\t#   comment  with   spaces\n\tb\n}\n',
    ],
    'a `{` inside a comment is not a brace': ['a # c {\nb', 'a # c {\nb\n'],
    'quirk: `#` starts a comment even in the middle of a word': ['a#b   c\nd   e', 'a#b   c\nd e\n'],
    'a comment keeps its `\\r`': ['# c\r\na\r\n', '# c\r\na\n'],
  });
});

describe('format: quotes, backticks, heredocs and escapes', () => {
  rules({
    'double-quoted text is copied verbatim': ['a "b   c"   d', 'a "b   c" d\n'],
    'a quoted segment may span lines': ['a "b\n   c"  d', 'a "b\n   c" d\n'],
    '`\\"` does not end a quoted segment': ['a "b \\" c   d"', 'a "b \\" c   d"\n'],
    'a quote opens a segment only at the start of a word': ['a"b   c"', 'a"b c"\n'],
    'quoted braces are not braces': ['a "{" "}"', 'a "{" "}"\n'],
    'quirk: backticks are not special to the 2.6.2 formatter': ['a `b   c` d', 'a `b c` d\n'],
    'quirk: heredoc bodies are reformatted like other words in 2.6.2': [
      'respond <<EOF\n    hello   world\n    EOF 200',
      'respond <<EOF\nhello world\nEOF 200\n',
    ],
    'escaped braces are words': ['a \\{   b \\}', 'a \\{ b \\}\n'],
    'an escaped space joins two words': ['a\\ b   c', 'a\\ b c\n'],
    'a backslash-newline continuation is kept': ['a \\\n   b', 'a \\\n b\n'],
  });
});

describe('format: line endings and encoding', () => {
  rules({
    'CRLF input gives LF output': ['a {\r\nb\r\n}\r\n', 'a {\n\tb\n}\n'],
    'non-ASCII words are copied': ['héllo   😀 {\nwörld\n}', 'héllo 😀 {\n\twörld\n}\n'],
    'a lone surrogate becomes U+FFFD, as Go does with invalid UTF-8': ['a \ud800 b', 'a \ufffd b\n'],
  });
});

describe('format: where caddy fmt is not idempotent, neither is format', () => {
  // format(x) === caddy fmt(x) for every x, so format(format(x)) differs from format(x) exactly where Caddy's does.
  rules({
    'a top-level `{` glued to a word ending in `}` goes to its own line...': [
      '{$SITE}{\nrespond 1\n}',
      '{$SITE}\n\n{\n\trespond 1\n}\n',
    ],
    '...and back up on the next pass': ['{$SITE}\n\n{\n\trespond 1\n}\n', '{$SITE} {\n\trespond 1\n}\n'],
    'a `{` before a backslash keeps its space but loses the brace...': ['a {\n\\', 'a  \\\n'],
    '...and the next pass drops the extra space': ['a  \\\n', 'a \\\n'],
    'an extra `}` after a block gets a blank line...': ['{a }}', '{a\n}\n\n}\n'],
    '...which the next pass removes': ['{a\n}\n\n}\n', '{a\n}\n}\n'],
  });
});

describe('format: robustness', () => {
  it('handles a large pathological input in one pass', () => {
    const input = '{ '.repeat(50_000) + '} a\\'.repeat(50_000) + '"'.repeat(3);
    const output = format(input);
    expect(output.endsWith('\n')).toBe(true);
    // Indentation is capped at 10 tabs per line, so the output stays within a constant factor of the input.
    expect(output.length).toBeLessThan(input.length * 12);
  });

  it('never throws on arbitrary text', () => {
    const alphabet = ['{', '}', '"', '\\', '#', '\n', '\r', ' ', '\t', 'a', '`', '<<', '\ud83d', '\u00a0'];
    let seed = 7;
    for (let run = 0; run < 500; run++) {
      let text = '';
      for (let i = 0; i < 40; i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
        text += alphabet[seed % alphabet.length];
      }
      expect(format(text).endsWith('\n')).toBe(true);
    }
  });
});
