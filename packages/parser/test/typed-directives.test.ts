/**
 * Handler directives emit the contract's handler types: a directive whose handler has a field (or a module
 * name) the contract does not define does not compile. `pnpm typecheck:tests` fails when one of the errors
 * below stops being an error.
 */
import { describe, expect, it } from 'vitest';
import type { ReverseProxyHandler, SelectionPolicies, StaticResponseHandler } from '@proxy/contract';
import { lookup, moduleObject, struct, type ModuleOfKind } from '@proxy/parser';
import { helperFor } from './support/test-helper.js';

const text = { syntax: 'x', doc: 'x' };

describe('handler directives are typed by the contract', () => {
  it('a handler with a field its type lacks does not compile', () => {
    const typo: ModuleOfKind<'handler-directive'> = {
      kind: 'handler-directive',
      name: 'typo',
      ...text,
      // @ts-expect-error `bodyy` is no field of static_response
      parse: () => struct<StaticResponseHandler>({ handler: 'static_response', bodyy: 'x' }),
    };
    const literal: ModuleOfKind<'directive'> = {
      kind: 'directive',
      name: 'literal',
      ...text,
      // @ts-expect-error a handler literal given to newRoute is checked against the handler union
      parse: (h) => h.newRoute(undefined, { handler: 'static_response', bodyy: 'x' }),
    };
    const unknownModule: ModuleOfKind<'handler-directive'> = {
      kind: 'handler-directive',
      name: 'unknown',
      ...text,
      // @ts-expect-error a handler module the contract does not define
      parse: () => ({ handler: 'no_such_handler' }),
    };
    const untyped: ModuleOfKind<'handler-directive'> = {
      kind: 'handler-directive',
      name: 'untyped',
      ...text,
      // @ts-expect-error an untyped JSON object is no contract handler
      parse: () => struct({ handler: 'static_response', body: 'x' }),
    };
    // @ts-expect-error reverse_proxy fields are checked as well (`upstream` is not `upstreams`)
    moduleObject<ReverseProxyHandler>('handler', 'reverse_proxy', { upstream: [{ dial: 'a:1' }] });
    // @ts-expect-error a selection policy's fields are those of its own kind
    const badPolicy: SelectionPolicies['cookie'] = { name: 'lb', key: 'x' };
    const ok: ModuleOfKind<'handler-directive'> = {
      kind: 'handler-directive',
      name: 'ok',
      ...text,
      parse: () => struct<StaticResponseHandler>({ handler: 'static_response', body: 'x', close: false }),
    };
    expect([typo, literal, unknownModule, untyped, badPolicy].length).toBe(5);
    expect(ok.parse(helperFor('ok'))).toEqual({ handler: 'static_response', body: 'x' });
  });

  it('the real directives return contract handlers', () => {
    const respond = lookup('handler-directive', 'respond');
    const rp = lookup('handler-directive', 'reverse_proxy');
    expect(respond?.parse(helperFor('respond "hi" 201'))).toEqual({
      body: 'hi',
      handler: 'static_response',
      status_code: 201,
    });
    const proxied = rp?.parse(helperFor('reverse_proxy localhost:9000 {\n lb_policy cookie lb\n}'));
    expect(proxied).toEqual({
      handler: 'reverse_proxy',
      load_balancing: { selection_policy: { name: 'lb', policy: 'cookie' } },
      upstreams: [{ dial: 'localhost:9000' }],
    });
  });
});
