import { describe, expect, it } from 'vitest';
import { expandPlaceholders, originalOffset } from '../src/http/cel/placeholders.js';
import { celEnvironment, parseCollecting } from '../src/http/cel/env.js';

describe('CEL placeholder sugar', () => {
  it('turns {name} into ph(req, "name") as current Caddy does', () => {
    expect(expandPlaceholders('{http.request.uri.path} == "/"').text).toBe('ph(req, "http.request.uri.path") == "/"');
    expect(expandPlaceholders('{a-b.c_d} + {xy}').text).toBe('ph(req, "a-b.c_d") + ph(req, "xy")');
  });

  it('leaves what is no placeholder: one character, digits first, empty, and escaped ones (backslash dropped)', () => {
    expect(expandPlaceholders('{x}').text).toBe('{x}');
    expect(expandPlaceholders('"x".matches("^a{2}$")').text).toBe('"x".matches("^a{2}$")');
    expect(expandPlaceholders('{} == {}').text).toBe('{} == {}');
    expect(expandPlaceholders('"\\{literal}" == {pp}').text).toBe('"{literal}" == ph(req, "pp")');
  });

  it('maps offsets in the expanded text back to the expression as written', () => {
    const e = expandPlaceholders('{path} == {method} +');
    const plus = e.text.lastIndexOf('+');
    expect(originalOffset(e, plus)).toBe('{path} == {method} +'.lastIndexOf('+'));
    // Inside an expansion: the placeholder's start.
    expect(originalOffset(e, e.text.indexOf('method'))).toBe('{path} == '.length);
    expect(originalOffset(e, 0)).toBe(0);
  });
});

describe("cel-go's string extensions the library lacks", () => {
  const run = (expr: string): unknown => {
    const { parsed } = parseCollecting(celEnvironment(), expr);
    expect(parsed.check().valid).toBe(true);
    return parsed({});
  };

  it('charAt counts code points and gives "" at the end', () => {
    expect(run('"héllo".charAt(1)')).toBe('é');
    expect(run('"ab".charAt(2)')).toBe('');
    expect(() => run('"ab".charAt(3)')).toThrow();
  });

  it("replace is Go's strings.Replace", () => {
    expect(run('"aXaXa".replace("a", "b")')).toBe('bXbXb');
    expect(run('"aXaXa".replace("a", "b", 2)')).toBe('bXbXa');
    expect(run('"aXa".replace("a", "b", 0)')).toBe('aXa');
    expect(run('"ab".replace("", "-")')).toBe('-a-b-');
    expect(run('"ab".replace("", "-", 2)')).toBe('-a-b');
  });

  it('matches() is a Go regexp', () => {
    expect(run('"ABC".matches("(?i)b")')).toBe(true);
    expect(run('matches("x1", "\\\\d")')).toBe(true);
    expect(run('"abc".matches("^b")')).toBe(false);
  });
});
