import { describe, expect, it } from 'vitest';
import { parse, replaceEnvVars } from '@proxy/parser';

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
