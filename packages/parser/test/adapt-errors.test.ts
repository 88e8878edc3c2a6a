import { describe, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';

describe('adapt reports every semantic error', () => {
  it('reports a bad lb_policy on line 3 and an unknown directive on line 5, each with a code and a range', () => {
    const r = adapt(
      ':8080 {\n\treverse_proxy localhost:9000 {\n\t\tlb_policy bogus\n\t}\n\tfoo bar\n\trespond hi\n}\n',
    );
    expect(r.config).toBeUndefined();
    expect(r.errors.map((e) => [e.code, e.line, e.column, e.endLine, e.endColumn, e.message, e.directive])).toEqual([
      [
        'unknown-module',
        3,
        13,
        3,
        18,
        "getting module named 'http.reverse_proxy.selection_policies.bogus': module not registered: http.reverse_proxy.selection_policies.bogus",
        'reverse_proxy',
      ],
      ['unknown-directive', 5, 2, 5, 5, 'unrecognized directive: foo', undefined],
    ]);
    // The first keeps Caddy's full wording, the one Caddy stops at.
    expect(r.errors[0]!.caddyMessage).toBe(
      "parsing caddyfile tokens for 'reverse_proxy': getting module named 'http.reverse_proxy.selection_policies.bogus': module not registered: http.reverse_proxy.selection_policies.bogus, at Caddyfile:3",
    );
    expect(r.errors[1]!.caddyMessage).toBe('Caddyfile:5: unrecognized directive: foo');
  });

  it('codes argument, subdirective and global option errors, across options and sites', () => {
    const r = adapt(
      '{\n\tbogus_option\n\temail\n}\na.example {\n\tfile_server {\n\t\tnope\n\t}\n}\nb.example {\n\troot a b c d\n}\n',
    );
    expect(r.errors.map((e) => [e.code, e.line])).toEqual([
      ['unknown-global-option', 2],
      ['bad-argument', 3],
      ['unknown-subdirective', 7],
      ['bad-argument', 11],
    ]);
    expect(r.errors.every((e) => !/, at /.test(e.message))).toBe(true);
  });

  it('keeps going inside a site after a bad matcher definition', () => {
    const r = adapt(':80 {\n\t@m bogus_matcher\n\tnot_a_directive\n}\n');
    expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it('keeps going inside nested blocks: the first error as Caddy reports it, the rest in source order', () => {
    const r = adapt(
      ':80 {\n\thandle /a {\n\t\tbogus1\n\t\troute {\n\t\t\trespond {\n\t\t\t\tx\n\t\t\t}\n\t\t\tbogus2\n\t\t}\n\t\tencode nope\n\t}\n\tbogus3\n}\n',
    );
    expect(r.errors.map((e) => [e.code, e.line, e.column])).toEqual([
      ['unknown-directive', 3, 3],
      ['bad-argument', 5, 4],
      ['unknown-directive', 8, 4],
      ['unknown-module', 10, 10],
      ['unknown-directive', 12, 2],
    ]);
    // Caddy's text (and its position, the end of the block) for the first, the range at the directive.
    expect(r.errors[0]!.caddyMessage).toBe(
      "parsing caddyfile tokens for 'handle': unrecognized directive: bogus1 - are you sure your Caddyfile structure (nesting and braces) is correct?, at Caddyfile:11",
    );
  });

  it('gives valid input no errors', () => {
    const r = adapt(':80 {\n\trespond hi\n}\n');
    expect(r.errors).toEqual([]);
    expect(r.json).toContain('"static_response"');
  });
});
