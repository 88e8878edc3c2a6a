import { describe, expect, it } from 'vitest';
import type { StaticResponseHandler } from '@proxy/contract';
import { moduleObject, struct, type JsonObject } from '../src/adapt/json.js';

describe('struct typed against the contract', () => {
  it('compiles only with the fields the type defines', () => {
    // The errors below are the point: `pnpm typecheck:tests` fails when one of them stops being an error.
    // @ts-expect-error a field StaticResponseHandler does not have
    struct<StaticResponseHandler>({ handler: 'static_response', bodyy: 'x' });
    // @ts-expect-error a field of the wrong kind (body is a string)
    struct<StaticResponseHandler>({ handler: 'static_response', body: 1 });
    // @ts-expect-error a type literal of JSON fields is a contract type too, not an untyped object
    struct<{ choose?: number }>({ chose: 1 });
    // @ts-expect-error a kept field the type does not have
    struct<StaticResponseHandler>({ handler: 'static_response' }, ['bodyy']);
    const typed: StaticResponseHandler = struct<StaticResponseHandler>({
      handler: 'static_response',
      body: 'x',
      close: false,
    });
    expect(typed).toEqual({ handler: 'static_response', body: 'x' });
    // Untyped, any fields go, and the result is a JsonObject whatever the context expects.
    const untyped: JsonObject = struct({ anything: 1, empty: '' }, ['empty']);
    expect(untyped).toEqual({ anything: 1, empty: '' });
  });

  it('moduleObject checks the module name and the fields against the type', () => {
    // @ts-expect-error a module name the type does not have
    moduleObject<StaticResponseHandler>('handler', 'static_respons', {});
    // @ts-expect-error a field the type does not have
    moduleObject<StaticResponseHandler>('handler', 'static_response', { bodyy: 'x' });
    // @ts-expect-error a name field the type does not have
    moduleObject<StaticResponseHandler>('handlr', 'static_response', {});
    const typed: StaticResponseHandler = moduleObject<StaticResponseHandler>('handler', 'static_response', {
      status_code: 200,
      body: '',
    });
    expect(JSON.stringify(typed)).toBe('{"body":"","handler":"static_response","status_code":200}');
    const untyped: JsonObject = moduleObject('anything', 'x', { b: 1, a: 2 });
    expect(JSON.stringify(untyped)).toBe('{"a":2,"anything":"x","b":1}');
  });
});
