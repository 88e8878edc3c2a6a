import { describe, expect, it } from 'vitest';
import { nodeAt, parse } from '@proxy/parser';

const TEXT = [
  '{', //                                      0
  '\temail a@b.c', //                          1
  '}', //                                      2
  '(unused) {', //                             3
  '\theader X-A {args[0]}', //                 4
  '}', //                                      5
  'a.example, b.example {', //                 6
  '\t@api path /api/*', //                     7
  '\treverse_proxy @api localhost:9000 {', //  8
  '\t\tlb_policy first', //                    9
  '\t\theader_up Host {upstream_hostport}', // 10
  '\t}', //                                    11
  '\trespond /x "hi {http.request.uri}"', //   12
  '}', //                                      13
  '',
].join('\n');

const { ast } = parse(TEXT);

/** The offset of the `n`th occurrence of `needle` (plus `delta`). */
function at(needle: string, delta = 0, n = 0): number {
  let i = -1;
  for (let k = 0; k <= n; k++) i = TEXT.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`no ${needle}`);
  return i + delta;
}

describe('nodeAt', () => {
  it('finds a global option and its argument', () => {
    const n = nodeAt(ast, at('a@b.c', 1))!;
    expect(n.block.kind).toBe('global');
    expect(n.directive?.name).toBe('email');
    expect(n.argument).toMatchObject({ index: 0, token: { text: 'a@b.c' } });
  });

  it('finds a site address', () => {
    const n = nodeAt(ast, at('b.example', 2))!;
    expect(n.block).toMatchObject({ kind: 'site', index: 1 });
    expect(n.key).toMatchObject({ index: 1, token: { text: 'b.example' } });
  });

  it('finds a matcher definition and a matcher token', () => {
    const def = nodeAt(ast, at('@api', 1))!;
    expect(def.matcher).toMatchObject({ name: 'api', definition: true });
    expect(def.directive?.name).toBe('@api');
    const use = nodeAt(ast, at('@api', 2, 1))!;
    expect(use.directive?.name).toBe('reverse_proxy');
    expect(use.matcher).toMatchObject({ name: 'api', definition: false });
    expect(use.argument?.index).toBe(0);
    const path = nodeAt(ast, at('/x', 1))!;
    expect(path.matcher).toMatchObject({ name: '/x', definition: false });
  });

  it('finds a subdirective and its argument index', () => {
    const sub = nodeAt(ast, at('lb_policy', 3))!;
    expect(sub.directive?.name).toBe('reverse_proxy');
    expect(sub.subdirectives.map((t) => t.text)).toEqual(['lb_policy']);
    expect(sub.argument).toBeUndefined();
    const arg = nodeAt(ast, at('first', 2))!;
    expect(arg.argument).toMatchObject({ index: 0, token: { text: 'first' } });
    expect(arg.subdirectives.map((t) => t.text)).toEqual(['lb_policy']);
  });

  it('finds a placeholder inside a token, quoted or not', () => {
    const p = nodeAt(ast, at('upstream_hostport', 3))!;
    expect(p.placeholder).toEqual({
      name: 'upstream_hostport',
      offset: at('{upstream_hostport}'),
      endOffset: at('{upstream_hostport}') + 19,
    });
    expect(p.argument?.index).toBe(1);
    const q = nodeAt(ast, at('http.request.uri', 5))!;
    expect(q.placeholder?.name).toBe('http.request.uri');
    expect(TEXT.slice(q.placeholder!.offset, q.placeholder!.endOffset)).toBe('{http.request.uri}');
  });

  it('finds nodes in an unused snippet, which the AST keeps', () => {
    expect(ast.snippets.map((s) => s.name)).toEqual(['unused']);
    const n = nodeAt(ast, at('X-A', 1))!;
    expect(n.block).toMatchObject({ kind: 'snippet', name: 'unused' });
    expect(n.directive?.name).toBe('header');
    expect(n.argument?.index).toBe(0);
  });

  it('gives the enclosing block between tokens, and nothing outside blocks', () => {
    const n = nodeAt(ast, at('\t\tlb_policy'))!;
    expect(n.directive?.name).toBe('reverse_proxy');
    expect(n.token).toBeUndefined();
    expect(nodeAt(ast, TEXT.length)).toBeUndefined();
  });
});
