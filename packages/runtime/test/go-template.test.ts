import { describe, expect, it } from 'vitest';
import { def, Template } from '../src/util/go-template/template.js';
import { goFloat } from '../src/util/go-template/values.js';

class Point {
  X = 1;
  Y = 'two';
  Add(n: number): number {
    return this.X + n;
  }
  Str(): string {
    return `(${this.X},${this.Y})`;
  }
}

const data = {
  s: 'hello',
  n: 3,
  f: 1.5,
  t: true,
  list: ['a', 'b', 'c'],
  empty: [] as string[],
  m: { b: 2, a: 1, c: 3 },
  p: new Point(),
  nums: [3, 1, 2],
  nested: { inner: { v: 'deep' } },
  fn: (a: number, b: number) => a + b,
  im: new Map<number, string>([
    [10, 'b'],
    [2, 'a'],
    [1, 'c'],
  ]),
};

async function run(text: string, dot: unknown = data): Promise<string> {
  return new Template('t')
    .addFuncs({
      float64: def((n: number) => goFloat(n), 1),
      double: def((n: number) => n * 2, 1),
      fail: def(() => {
        throw new Error('boom');
      }, 0),
    })
    .parse(text)
    .execute(dot);
}

// Each case: template, what Go's text/template prints for it.
const cases: Array<[string, string]> = [
  ['plain text', 'plain text'],
  ['{{.s}}', 'hello'],
  ['{{.n}} {{.f}} {{.t}}', '3 1.5 true'],
  ['{{.missing}}', '<no value>'],
  ['{{.nested.inner.v}}', 'deep'],
  ['{{.list}}', '[a b c]'],
  ['{{.m}}', 'map[a:1 b:2 c:3]'],
  ['{{.p.X}} {{.p.Y}}', '1 two'],
  ['{{.p.Add 4}}', '5'],
  ['{{.p.Str}}', '(1,two)'],
  ['{{"a\\tb"}}', 'a\tb'],
  ['{{`raw\\n`}}', 'raw\\n'],
  ["{{'a'}}", '97'],
  ['{{1.5e3}} {{0x1F}} {{-7}}', '1500 31 -7'],
  ['{{print nil}}', '<nil>'],
  ['{{$x := 5}}{{$x}}', '5'],
  ['{{$x := 1}}{{$x = 2}}{{$x}}', '2'],
  ['{{$x := 1}}{{if true}}{{$x = 3}}{{end}}{{$x}}', '3'],
  ['{{with $y := .s}}{{$y}}{{end}}', 'hello'],
  ['{{if .t}}yes{{else}}no{{end}}', 'yes'],
  ['{{if .empty}}yes{{else}}no{{end}}', 'no'],
  ['{{if eq .n 1}}one{{else if eq .n 3}}three{{else}}other{{end}}', 'three'],
  ['{{with .s}}{{.}}{{else}}none{{end}}', 'hello'],
  ['{{with .missing}}{{.}}{{else}}none{{end}}', 'none'],
  ['{{with .missing}}x{{else with .s}}{{.}}{{end}}', 'hello'],
  ['{{range .list}}{{.}},{{end}}', 'a,b,c,'],
  ['{{range $i, $e := .list}}{{$i}}={{$e}} {{end}}', '0=a 1=b 2=c '],
  ['{{range $k, $v := .m}}{{$k}}{{$v}}{{end}}', 'a1b2c3'],
  ['{{range .empty}}x{{else}}empty{{end}}', 'empty'],
  ['{{range .list}}{{if eq . "b"}}{{break}}{{end}}{{.}}{{end}}', 'a'],
  ['{{range .list}}{{if eq . "b"}}{{continue}}{{end}}{{.}}{{end}}', 'ac'],
  ['{{range 3}}{{.}}{{end}}', '012'],
  ['{{range $x := .list}}{{$x}}{{end}}', 'abc'],
  ['a  {{- .s -}}  b', 'ahellob'],
  ['a\n{{- /* comment */ -}}\nb', 'ab'],
  ['{{/* c */}}x', 'x'],
  ['{{define "T"}}[{{.}}]{{end}}{{template "T" .s}}', '[hello]'],
  ['{{block "B" .n}}<{{.}}>{{end}}', '<3>'],
  ['{{define "R"}}{{if gt . 0}}{{.}}{{template "R" (double . | printf "%d" | len | print | len)}}{{end}}{{end}}x', 'x'],
  ['{{and 1 0 "x"}} {{and 1 2}} {{or 0 "" "z"}} {{or 0 ""}}', '0 2 z '],
  ['{{not .t}} {{not 0}}', 'false true'],
  ['{{len .list}} {{len .s}} {{len .m}} {{len "héllo"}}', '3 5 3 6'],
  ['{{index .list 1}} {{index .m "b"}} {{index "abc" 0}}', 'b 2 97'],
  ['{{index .m "zz"}}', '<no value>'],
  ['{{slice .list 1}} {{slice .list 1 2}} {{slice "hello" 1 3}}', '[b c] [b] el'],
  ['{{print "a" 1 2 "b"}}', 'a1 2b'],
  ['{{println "a" 1}}', 'a 1\n'],
  ['{{printf "%d|%5d|%-5d|%05d|%x|%X|%o|%b|%c" 42 42 42 42 255 255 8 5 65}}', '42|   42|42   |00042|ff|FF|10|101|A'],
  ['{{printf "%s|%q|%v|%10s|%-4s|%.2s" "go" "go" "go" "r" "l" "trunc"}}', 'go|"go"|go|         r|l   |tr'],
  ['{{printf "%f|%.2f|%e|%g|%v" 3.14159 3.14159 1234.5678 0.000012 2.5}}', '3.141590|3.14|1.234568e+03|1.2e-05|2.5'],
  ['{{printf "%t|%v|%T|%T|%T" true .list "s" 1 .m}}', 'true|[a b c]|string|int|map[string]interface {}'],
  ['{{printf "%d" "x"}}', '%!d(string=x)'],
  ['{{printf "%d %d" 1}}', '1 %!d(MISSING)'],
  ['{{printf "%d" 1 2}}', '1%!(EXTRA int=2)'],
  ['{{printf "%%|%+d|% d|%#x|%#o" 5 5 255 8}}', '%|+5| 5|0xff|010'],
  ['{{printf "%q" .list}}', '["a" "b" "c"]'],
  ['{{printf "%x" "hi"}} {{printf "%U" 65}}', '6869 U+0041'],
  ['{{printf "%6.2f|%-8.3f|" 3.14159 2.5}}', '  3.14|2.500   |'],
  ['{{html "<a href=\\"x\\">&\'"}}', '&lt;a href=&#34;x&#34;&gt;&amp;&#39;'],
  ['{{js "it\'s <b> \\"q\\" a=b\\n"}}', 'it\\\'s \\u003Cb\\u003E \\"q\\" a\\u003Db\\u000A'],
  ['{{urlquery "a b&c=d/é"}}', 'a+b%26c%3Dd%2F%C3%A9'],
  [
    '{{eq 1 1}} {{eq "a" "b"}} {{eq 1 2 3 1}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}',
    'true false true true true true true false',
  ],
  ['{{eq .missing "x"}}', 'false'],
  ['{{.s | printf "%s!"}}', 'hello!'],
  ['{{"x" | printf "%s%s" "y"}}', 'yx'],
  ['{{(index .list 2) | print}}', 'c'],
  ['{{(.p).X}}', '1'],
  ['{{call .fn 2 3}}', '5'],
  ['{{double 21}}', '42'],
  [
    '{{1e6}} {{0.1}} {{1e-5}} {{123456789.5}} {{3.0}} {{123456789.0}}',
    '1e+06 0.1 1e-05 1.234567895e+08 3 1.23456789e+08',
  ],
  ['{{printf "%d|%v|%T" 3.0 2.0 1e3}}', '%!d(float64=3)|2|float64'],
  ['{{eq 2.0 2.0}} {{lt 1.0 1.5}} {{float64 1}}', 'true true 1'],
  ['{{printf "%v %v" 1e21 100000.0}}', '1e+21 100000'],
  ['{{printf "%.3g|%g|%G" 1234.5678 1e20 1e-7}}', '1.23e+03|1e+20|1E-07'],
  ['{{$}}', 'map[a:1 b:2 c:3]'],
  ['{{printf "%+v|%v" .m .nested}}', 'map[a:1 b:2 c:3]|map[inner:map[v:deep]]'],
  ['{{printf "%+v" .p}}', '{X:1 Y:two}'],
  ['{{printf "%*d|%-*d|" 4 7 3 1}}', '   7|1  |'],
  ['{{printf "%*d" 2000000 1}}', '%!(BADWIDTH)1'],
  ['{{range $i, $e := .im}}{{$i}}{{$e}}{{end}}', '1c2a10b'],
  ['{{define "x"}}{{$}}{{end}}{{template "x" 5}}', '5'],
  ['{{$x := 1}}{{range .list}}{{$x = .}}{{end}}{{$x}}', 'c'],
  ['{{with $v := .s}}{{$v}}{{end}}{{if true}}{{$y := 2}}{{$y}}{{end}}', 'hello2'],
  ['{{- "a" -}} \n\t {{- "b" }}', 'ab'],
  ['{{3 -}} x {{- -3}}', '3x-3'],
  // Exact halves round to even, as strconv does (JS's toFixed would give -1.3 and 1.13e+00).
  ['{{printf "%.1f %.0f %.2e %.3g %.0f" -1.25 0.5 1.125 2.675 1.5}}', '-1.2 0 1.12e+00 2.67 2'],
  ['{{printf "%[3]d|%[2]s %[1]s" 1 "b"}}', '%!d(BADINDEX)|b %!s(int=1)'],
  ['{{printf "%.3f|%10.4e|%g" 1e-10 123456.789 1e-320}}', '0.000|1.2346e+05|1e-320'],
];

describe('go text/template engine', () => {
  for (const [text, want] of cases) {
    it(text, async () => {
      const dot = text === '{{$}}' ? data.m : data;
      expect(await run(text, dot)).toBe(want);
    });
  }
});

// Each case: template, the error Go reports (parse errors have the line, execution errors line:col and node).
const errors: Array<[string, string]> = [
  ['{{.s', 'template: t:1: unclosed action'],
  ['{{if .t}}x', 'template: t:1: unexpected EOF'],
  ['{{end}}', 'template: t:1: unexpected {{end}}'],
  ['{{nofunc 1}}', 'template: t:1: function "nofunc" not defined'],
  ['{{$u}}', 'template: t:1: undefined variable "$u"'],
  ['{{break}}', 'template: t:1: {{break}} outside {{range}}'],
  ['{{range .list}}{{else}}{{else}}{{end}}', 'template: t:1: expected end; found {{else}}'],
  ['{{.s | 3}}', 'template: t:1: non executable command in pipeline stage 2'],
  ['{{"a" "b"}}', 'template: t:1:2: executing "t" at <"a">: can\'t give argument to non-function "a"'],
  ['{{template "nope"}}', 'template: t:1:11: executing "t" at <{{template "nope"}}>: template "nope" not defined'],
  ['\n{{.p.Nope}}', 'template: t:2:4: executing "t" at <.p.Nope>: can\'t evaluate field Nope in type *Point'],
  [
    '{{index .list 5}}',
    'template: t:1:2: executing "t" at <index .list 5>: error calling index: index out of range: 5',
  ],
  ['{{fail}}', 'template: t:1:2: executing "t" at <fail>: error calling fail: boom'],
  ['{{len 3}}', 'template: t:1:2: executing "t" at <len 3>: error calling len: len of type int'],
  [
    '{{index .list 1.0}}',
    'template: t:1:2: executing "t" at <index .list 1.0>: error calling index: cannot index slice/array with type float64',
  ],
  ['{{eq 2.0 2}}', 'template: t:1:2: executing "t" at <eq 2.0 2>: error calling eq: incompatible types for comparison'],
  ['{{lt 1 "a"}}', 'template: t:1:2: executing "t" at <lt 1 "a">: error calling lt: incompatible types for comparison'],
  [
    '{{range .n}}{{end}}x{{range .t}}{{end}}',
    'template: t:1:28: executing "t" at <.t>: range can\'t iterate over true',
  ],
  ['{{double}}', 'template: t:1:2: executing "t" at <double>: wrong number of args for double: want 1 got 0'],
  ['{{.s 1}}', 'template: t:1:2: executing "t" at <.s>: s is not a method but has arguments'],
  ['{{range 100}}{{printf "%900000d" 1}}{{end}}', 'template output exceeds 67108864 characters'],
  ['{{printf 5}}', 'template: t:1:9: executing "t" at <5>: expected string; found 5'],
  ['{{printf .n}}', 'template: t:1:9: executing "t" at <.n>: wrong type for value; expected string; got int'],
  ['{{range $i, $c := "abc"}}{{end}}', 'template: t:1:18: executing "t" at <"abc">: range can\'t iterate over abc'],
  ['{{eq .list .list}}', 'error calling eq: non-comparable type [a b c]: []interface {}'],
  ['{{nil}}', 'template: t:1:2: executing "t" at <nil>: nil is not a command'],
];

describe('go text/template errors', () => {
  for (const [text, want] of errors) {
    it(text, async () => {
      await expect(run(text)).rejects.toThrow(want);
    });
  }
});
