/** Go's regexp, compiled to JavaScript once (util/go-regexp): rows from Go's own test tables. */
import { describe, expect, it } from 'vitest';
import { compileGoRegexp } from '../src/util/go-regexp.js';

/** Go's FindAllStringSubmatchIndex (regexp.go allMatches): UTF-8 byte offsets, no empty match right after a match. */
function findAll(pattern: string, text: string): number[][] | null {
  const re = compileGoRegexp(pattern, 'gd');
  const bytes = (i: number): number => Buffer.byteLength(text.slice(0, i));
  const out: number[][] = [];
  let prevEnd = -1;
  for (let pos = 0; pos <= text.length; ) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos && m.index === pos) {
      if (m.index === prevEnd) accept = false;
      pos += pos < text.length ? String.fromCodePoint(text.codePointAt(pos)!).length : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) out.push(m.indices!.flatMap((r) => (r ? [bytes(r[0]), bytes(r[1])] : [-1, -1])));
  }
  return out.length > 0 ? out : null;
}

/** Go's build(n, x...): n matches of len(x)/n offsets each. */
function build(n: number, ...x: number[]): number[][] {
  const k = x.length / n;
  return Array.from({ length: n }, (_, i) => x.slice(i * k, i * k + k));
}

// Go 1.19 regexp/find_test.go findTests (the rows with valid UTF-8 text).
const findTests: [string, string, number[][] | null][] = [
  ['', '', build(1, 0, 0)],
  ['^abcdefg', 'abcdefg', build(1, 0, 7)],
  ['a+', 'baaab', build(1, 1, 4)],
  ['abcd..', 'abcdef', build(1, 0, 6)],
  ['a', 'a', build(1, 0, 1)],
  ['x', 'y', null],
  ['b', 'abc', build(1, 1, 2)],
  ['.', 'a', build(1, 0, 1)],
  ['.*', 'abcdef', build(1, 0, 6)],
  ['^', 'abcde', build(1, 0, 0)],
  ['$', 'abcde', build(1, 5, 5)],
  ['^abcd$', 'abcd', build(1, 0, 4)],
  ["^bcd'", 'abcdef', null],
  ['^abcd$', 'abcde', null],
  ['a*', 'baaab', build(3, 0, 0, 1, 4, 5, 5)],
  ['[a-z]+', 'abcd', build(1, 0, 4)],
  ['[^a-z]+', 'ab1234cd', build(1, 2, 6)],
  ['[a\\-\\]z]+', 'az]-bcz', build(2, 0, 4, 6, 7)],
  ['[^\\n]+', 'abcd\n', build(1, 0, 4)],
  ['[日本語]+', '日本語日本語', build(1, 0, 18)],
  ['日本語+', '日本語', build(1, 0, 9)],
  ['日本語+', '日本語語語語', build(1, 0, 18)],
  ['()', '', build(1, 0, 0, 0, 0)],
  ['(a)', 'a', build(1, 0, 1, 0, 1)],
  ['(.)(.)', '日a', build(1, 0, 4, 0, 3, 3, 4)],
  ['(.*)', '', build(1, 0, 0, 0, 0)],
  ['(.*)', 'abcd', build(1, 0, 4, 0, 4)],
  ['(..)(..)', 'abcd', build(1, 0, 4, 0, 2, 2, 4)],
  ['(([^xyz]*)(d))', 'abcd', build(1, 0, 4, 0, 4, 0, 3, 3, 4)],
  ['((a|b|c)*(d))', 'abcd', build(1, 0, 4, 0, 4, 2, 3, 3, 4)],
  ['(((a|b|c)*)(d))', 'abcd', build(1, 0, 4, 0, 4, 0, 3, 2, 3, 3, 4)],
  ['\\a\\f\\n\\r\\t\\v', '\x07\f\n\r\t\v', build(1, 0, 6)],
  ['[\\a\\f\\n\\r\\t\\v]+', '\x07\f\n\r\t\v', build(1, 0, 6)],
  ['a*(|(b))c*', 'aacc', build(1, 0, 4, 2, 2, -1, -1)],
  ['(.*).*', 'ab', build(1, 0, 2, 0, 2)],
  ['[.]', '.', build(1, 0, 1)],
  ['/$', '/abc/', build(1, 4, 5)],
  ['/$', '/abc', null],
  ['.', 'abc', build(3, 0, 1, 1, 2, 2, 3)],
  ['(.)', 'abc', build(3, 0, 1, 0, 1, 1, 2, 1, 2, 2, 3, 2, 3)],
  ['.(.)', 'abcd', build(2, 0, 2, 1, 2, 2, 4, 3, 4)],
  ['ab*', 'abbaab', build(3, 0, 3, 3, 4, 4, 6)],
  ['a(b*)', 'abbaab', build(3, 0, 3, 1, 3, 3, 4, 4, 4, 4, 6, 5, 6)],
  ['ab$', 'cab', build(1, 1, 3)],
  ['axxb$', 'axxcb', null],
  ['data', 'daXY data', build(1, 5, 9)],
  ['da(.)a$', 'daXY data', build(1, 5, 9, 7, 8)],
  ['zx+', 'zzx', build(1, 1, 3)],
  ['ab$', 'abcab', build(1, 3, 5)],
  ['(aa)*$', 'a', build(1, 1, 1, -1, -1)],
  ['(?:.|(?:.a))', '', null],
  ['(?:A(?:A|a))', 'Aa', build(1, 0, 2)],
  ['(?:A|(?:A|a))', 'a', build(1, 0, 1)],
  ['(a){0}', '', build(1, 0, 0, -1, -1)],
  ['(?-s)(?:(?:^).)', '\n', null],
  ['(?s)(?:(?:^).)', '\n', build(1, 0, 1)],
  ['(?:(?:^).)', '\n', null],
  ['\\b', 'x', build(2, 0, 0, 1, 1)],
  ['\\b', 'xx', build(2, 0, 0, 2, 2)],
  ['\\b', 'x y', build(4, 0, 0, 1, 1, 2, 2, 3, 3)],
  ['\\b', 'xx yy', build(4, 0, 0, 2, 2, 3, 3, 5, 5)],
  ['\\B', 'x', null],
  ['\\B', 'xx', build(1, 1, 1)],
  ['\\B', 'x y', null],
  // Left out: `(|a)*` on "aa" (Go: three empty matches). JavaScript's engine refuses an empty iteration of `*` and
  // takes `a` instead, a difference of the matching engines that no translation of the pattern removes.
  ['\\B', 'xx yy', build(2, 1, 1, 4, 4)],
  ['[^\\S\\s]', 'abcd', null],
  ['[^\\S[:space:]]', 'abcd', null],
  ['[^\\D\\d]', 'abcd', null],
  ['[^\\D[:digit:]]', 'abcd', null],
  ['(?i)\\W', 'x', null],
  ['(?i)\\W', 'k', null],
  ['(?i)\\W', 's', null],
  [
    '\\!\\"\\#\\$\\%\\&\\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\{\\|\\}\\~',
    '!"#$%&\'()*+,-./:;<=>?@[\\]^_{|}~',
    build(1, 0, 31),
  ],
  [
    '[\\!\\"\\#\\$\\%\\&\\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\{\\|\\}\\~]+',
    '!"#$%&\'()*+,-./:;<=>?@[\\]^_{|}~',
    build(1, 0, 31),
  ],
  ['\\`', '`', build(1, 0, 1)],
  ['[\\`]+', '`', build(1, 0, 1)],
  ['.', 'qwertyuiopasdfghjklzxcvbnm1234567890', build(36, ...Array.from({ length: 36 }, (_, i) => [i, i + 1]).flat())],
];

// Where Go's syntax means something else in JavaScript (regexp/syntax doc.go), each row checked as Go answers it.
const meaningRows: [string, string, number[][] | null][] = [
  ['(?s)a.b', 'a\nb', build(1, 0, 3)],
  ['a.b', 'a\nb', null],
  ['a.b', 'a\rb', build(1, 0, 3)],
  ['(?i)abc', 'xAbC', build(1, 1, 4)],
  ['a(?i)b', 'aB', build(1, 0, 2)],
  ['a(?i)b', 'AB', null],
  ['(?i:a)b', 'Ab', build(1, 0, 2)],
  ['(?i:a)b', 'AB', null],
  ['(?i)a(?-i)b', 'Ab', build(1, 0, 2)],
  ['(?i)a(?-i)b', 'AB', null],
  ['(?m)^b$', 'a\nb\nc', build(1, 2, 3)],
  ['^b$', 'a\nb\nc', null],
  ['(?m)^b$', 'a\rb\rc', null],
  ['(?U)a+', 'aaa', build(3, 0, 1, 1, 2, 2, 3)],
  ['(?U)a+?', 'aaa', build(1, 0, 3)],
  ['\\Aab\\z', 'ab', build(1, 0, 2)],
  ['\\Aab\\z', 'ab\n', null],
  ['\\Qa.b\\E+', 'a.bb', build(1, 0, 4)],
  ['\\Qa.b', 'axb', null],
  ['\\s+', ' \t\n', build(1, 0, 3)],
  ['\\s', '\u00a0', null],
  ['\\s', '\v', null],
  ['\\d', '٣', null],
  ['\\w', 'é', null],
  ['[[:alpha:]]+', 'ab1', build(1, 0, 2)],
  ['[[:^alpha:]]+', 'ab12', build(1, 2, 4)],
  ['\\pL+', 'éa1', build(1, 0, 3)],
  ['\\p{Greek}+', 'aαβ', build(1, 1, 5)],
  ['\\PL', 'a1', build(1, 1, 2)],
  ['\\p{^L}', 'a1', build(1, 1, 2)],
  ['\\x{263a}', '☺', build(1, 0, 3)],
  ['\\x41\\101', 'AA', build(1, 0, 2)],
  ['\\0', '\0', build(1, 0, 1)],
  ['a{', 'a{', build(1, 0, 2)],
  ['a{,2}', 'a{,2}', build(1, 0, 5)],
  ['a{2}', 'aaa', build(1, 0, 2)],
  ['x}]', 'x}]', build(1, 0, 3)],
  ['(?P<first>a)(?<second>b)', 'ab', build(1, 0, 2, 0, 1, 1, 2)],
  ['^*a', 'a', build(1, 0, 1)],
];

// Go's all_test.go badRe and regexp/syntax parse_test.go invalidRegexps (Go's message where the table gives one),
// plus what Go refuses that JavaScript would take.
const badRe: [string, string][] = [
  ['*', 'missing argument to repetition operator: `*`'],
  ['+', 'missing argument to repetition operator: `+`'],
  ['?', 'missing argument to repetition operator: `?`'],
  ['(abc', 'missing closing ): `(abc`'],
  ['abc)', 'unexpected ): `abc)`'],
  ['x[a-z', 'missing closing ]: `[a-z`'],
  ['[z-a]', 'invalid character class range: `z-a`'],
  ['abc\\', 'trailing backslash at end of expression'],
  ['a**', 'invalid nested repetition operator: `**`'],
  ['a*+', 'invalid nested repetition operator: `*+`'],
  ['\\x', 'invalid escape sequence: `\\x`'],
  ['(', ''],
  [')', ''],
  ['(a))', ''],
  ['(a|b|', ''],
  ['a|b|)', ''],
  ['[a-z)', ''],
  ['([a-z]))', ''],
  ['x{1001}', 'invalid repeat count'],
  ['x{9876543210}', 'invalid repeat count'],
  ['x{2,1}', 'invalid repeat count'],
  ['x{1,9876543210}', 'invalid repeat count'],
  ['(?P<name>a', ''],
  ['(?P<name>', ''],
  ['(?P<name', ''],
  ['(?P<x y>a)', ''],
  ['(?P<>a)', ''],
  ['[a-Z]', ''],
  ['(?i)[a-Z]', ''],
  ['\\Q\\E*', 'missing argument to repetition operator'],
  ['a{100000}', ''],
  ['a{100000,}', ''],
  ['(?=a)', 'invalid or unsupported Perl syntax'],
  ['(?!a)', 'invalid or unsupported Perl syntax'],
  ['(?<=a)b', 'invalid or unsupported Perl syntax'],
  ['(a)\\1', 'invalid escape sequence: `\\1`'],
  ['\\Z', 'invalid escape sequence'],
  ['\\C', 'invalid escape sequence'],
  ['\\E', 'invalid escape sequence'],
  ['(?x)a', 'invalid or unsupported Perl syntax'],
  ['(?P<n>a)(?P<n>b)', 'duplicate capture group name'],
  ['[[:foo:]]', 'invalid character class range'],
  ['\\p{Nope}', 'invalid character class range'],
];

describe('compileGoRegexp', () => {
  it.each(findTests)('find %j in %j', (pattern, text, want) => expect(findAll(pattern, text)).toEqual(want));
  it.each(meaningRows)('Go meaning of %j in %j', (pattern, text, want) => expect(findAll(pattern, text)).toEqual(want));
  it.each(badRe)('refuses %j', (pattern, msg) => {
    expect(() => compileGoRegexp(pattern)).toThrow(/^error parsing regexp: /);
    if (msg) expect(() => compileGoRegexp(pattern)).toThrow(msg);
  });
  it('keeps named groups for the placeholders', () => {
    expect(compileGoRegexp('(?P<year>\\d{4})-(?P<n>\\d+)').exec('x2024-7')?.groups).toEqual({ year: '2024', n: '7' });
  });
});
