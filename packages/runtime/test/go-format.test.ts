/** Values printed as Go prints them, and placeholder scanning as Caddy's replacer scans. */
import { describe, expect, it } from 'vitest';
import { goDuration, goFloat, goPathBase, goPathExt } from '../src/util/go-format.js';
import { goReplaceAll } from '../src/util/go-expand.js';
import { cleanPath, escapePath, queryEscape } from '../src/http/go-url.js';
import { compileTemplate } from '../src/util/template.js';

describe('Go formatting', () => {
  it('time.Duration.String', () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(999)).toBe('999ns');
    expect(goDuration(77_998)).toBe('77.998µs');
    expect(goDuration(1_500_000)).toBe('1.5ms');
    expect(goDuration(2_000_000_000)).toBe('2s');
    expect(goDuration(62_000_400_000)).toBe('1m2.0004s');
    expect(goDuration(3_723_000_000_000)).toBe('1h2m3s');
  });

  it('FormatFloat with -1 precision never uses an exponent', () => {
    expect(goFloat(0.08089400000000001)).toBe('0.08089400000000001');
    expect(goFloat(7.5e21)).toBe('7500000000000000000000');
    expect(goFloat(1.5e-7)).toBe('0.00000015');
  });

  it('path.Base and path.Ext', () => {
    expect(goPathBase('/a/b/')).toBe('b');
    expect(goPathBase('/')).toBe('/');
    expect(goPathExt('/a.b/c')).toBe('');
    expect(goPathExt('/x.tar.gz')).toBe('.gz');
  });

  it('regexp replacement templates', () => {
    expect(goReplaceAll('foo-bar', /(\w+)-(\w+)/g, '$2 ${1} $$ $9 $1x')).toBe('bar foo $  ');
    expect(goReplaceAll('ab', /(?<n>a)/g, '[${n}]')).toBe('[a]b');
  });

  it("url escaping and Caddy's path cleaning", () => {
    expect(escapePath("/é (x)!*'~?#")).toBe('/%C3%A9%20%28x%29%21%2A%27~%3F%23');
    expect(queryEscape('a b&c~*/')).toBe('a+b%26c~%2A%2F');
    expect(cleanPath('/a/../b//c/', true)).toBe('/b/c/');
    expect(cleanPath('/a/../b//c', false)).toBe('/b//c');
  });
});

describe('placeholder scanning', () => {
  const res = (k: string) => (({ a: 'A', 'http.request.method': 'GET' }) as Record<string, string>)[k];
  it('keeps unknown placeholders only when asked, and rescans them for known ones inside', () => {
    const t = compileTemplate('{a} {b c} {} \\{a\\} {"m": "{http.request.method}"} {unclosed');
    expect(t.render(res, true)).toBe('A {b c} {} {a} {"m": "GET"} {unclosed');
    expect(t.render(res)).toBe('A   {a} "} {unclosed');
  });
});
