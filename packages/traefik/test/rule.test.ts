import { describe, expect, it } from 'vitest';
import { parseRule, RuleSyntaxError, type RuleExpr } from '../src/rule.js';

/** A compact form: matchers as Name(args), operators in prefix form. */
function show(e: RuleExpr): string {
  switch (e.kind) {
    case 'matcher':
      return `${e.name}(${e.args.join(',')})`;
    case 'not':
      return `!${show(e.expr)}`;
    default:
      return `${e.kind}(${show(e.left)} ${show(e.right)})`;
  }
}

function errorOf(rule: string): { message: string; offset: number } {
  try {
    parseRule(rule);
  } catch (e) {
    if (e instanceof RuleSyntaxError) return { message: e.message, offset: e.offset };
    throw e;
  }
  throw new Error(`no error for ${rule}`);
}

describe('Traefik rule parser', () => {
  it('reads one matcher with a backtick or a double-quoted argument', () => {
    expect(show(parseRule('HostSNI(`a.example.com`)'))).toBe('HostSNI(a.example.com)');
    expect(show(parseRule('HostSNI("a.example.com")'))).toBe('HostSNI(a.example.com)');
  });

  it('binds && tighter than ||, and ! tightest; operators are left-associative', () => {
    expect(show(parseRule('HostSNI(`a`) || HostSNI(`b`) && ALPN(`h2`)'))).toBe(
      'or(HostSNI(a) and(HostSNI(b) ALPN(h2)))',
    );
    expect(show(parseRule('!HostSNI(`a`) && ALPN(`h2`)'))).toBe('and(!HostSNI(a) ALPN(h2))');
    expect(show(parseRule('ALPN(`a`) || ALPN(`b`) || ALPN(`c`)'))).toBe('or(or(ALPN(a) ALPN(b)) ALPN(c))');
    expect(show(parseRule('ALPN(`a`) && ALPN(`b`) && ALPN(`c`)'))).toBe('and(and(ALPN(a) ALPN(b)) ALPN(c))');
  });

  it('lets parentheses override precedence, and ! apply to a group', () => {
    expect(show(parseRule('(HostSNI(`a`) || HostSNI(`b`)) && ALPN(`h2`)'))).toBe(
      'and(or(HostSNI(a) HostSNI(b)) ALPN(h2))',
    );
    expect(show(parseRule('!(ClientIP(`10.0.0.0/8`) || ClientIP(`::1`))'))).toBe(
      '!or(ClientIP(10.0.0.0/8) ClientIP(::1))',
    );
    expect(show(parseRule('!!ALPN(`h2`)'))).toBe('!!ALPN(h2)');
  });

  it('reads Go escapes in double quotes and none in backticks', () => {
    expect(show(parseRule('HostSNIRegexp("^a\\\\.b$")'))).toBe('HostSNIRegexp(^a\\.b$)');
    expect(show(parseRule('HostSNIRegexp(`^a\\.b$`)'))).toBe('HostSNIRegexp(^a\\.b$)');
    expect(show(parseRule('ALPN("\\x68\\u0032")'))).toBe('ALPN(h2)');
    expect(show(parseRule('ALPN("a\\"b")'))).toBe('ALPN(a"b)');
  });

  it('ignores white space between tokens, including newlines', () => {
    expect(show(parseRule('  HostSNI( `a` )\n&&\tALPN(`h2`)  '))).toBe('and(HostSNI(a) ALPN(h2))');
  });

  it('keeps each matcher position and several arguments (checked later)', () => {
    const e = parseRule('ALPN(`h2`) && HostSNI(`a`, `b`)');
    expect(e.kind).toBe('and');
    const right = (e as { right: RuleExpr }).right;
    expect(right).toMatchObject({
      kind: 'matcher',
      name: 'HostSNI',
      args: ['a', 'b'],
      offset: 14,
      argOffsets: [22, 27],
    });
  });

  it('reports bad rules with the offset of the problem', () => {
    expect(errorOf('')).toEqual({ message: 'empty rule', offset: 0 });
    expect(errorOf('HostSNI(`a`')).toEqual({ message: 'expected "," or ")", found the end of the rule', offset: 11 });
    expect(errorOf('HostSNI(`a)')).toEqual({ message: 'unterminated backtick string', offset: 8 });
    expect(errorOf('HostSNI("a)')).toEqual({ message: 'unterminated double-quoted string', offset: 8 });
    expect(errorOf('HostSNI("\\q")')).toEqual({ message: 'invalid escape sequence in string', offset: 9 });
    expect(errorOf('HostSNI(`a`) & ALPN(`b`)')).toEqual({ message: 'unexpected character "&"', offset: 13 });
    expect(errorOf('HostSNI(`a`) ALPN(`b`)')).toEqual({
      message: 'expected "&&", "||" or the end of the rule, found "ALPN"',
      offset: 13,
    });
    expect(errorOf('HostSNI(a)')).toEqual({
      message: 'expected a string in backticks or double quotes, found "a"',
      offset: 8,
    });
    expect(errorOf('HostSNI')).toEqual({ message: 'expected "(" after HostSNI, found the end of the rule', offset: 7 });
    expect(errorOf('(HostSNI(`a`)')).toEqual({ message: 'expected ")", found the end of the rule', offset: 13 });
    expect(errorOf('HostSNI(`a`) ||')).toEqual({
      message: 'expected a matcher, "!" or "(", found the end of the rule',
      offset: 15,
    });
    expect(errorOf('&& HostSNI(`a`)')).toEqual({ message: 'expected a matcher, "!" or "(", found "&&"', offset: 0 });
  });
});
