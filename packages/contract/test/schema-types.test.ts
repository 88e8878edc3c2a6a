import { describe, expect, it } from 'vitest';
import {
  check,
  s,
  staticResponseSchema,
  type ModuleLookup,
  type Own,
  type StaticResponseHandler,
  type ValidationError,
} from '@proxy/contract';

type Fields = Own<StaticResponseHandler, 'handler'>;
const none: ModuleLookup = { lookup: () => undefined };

describe('schemas typed against the contract', () => {
  it('compile only when they name every field of the type, with a schema of its kind', () => {
    // The errors below are the point: `pnpm typecheck:tests` fails when one of them stops being an error.
    s.obj<Fields>({
      status_code: s.intOrStr,
      headers: s.map(s.strs),
      body: s.str,
      close: s.bool,
      abort: s.bool,
      // @ts-expect-error a field the type does not have
      bodyy: s.str,
    });
    // @ts-expect-error a field of the type the schema lacks (abort)
    s.obj<Fields>({ status_code: s.intOrStr, headers: s.map(s.strs), body: s.str, close: s.bool });
    // @ts-expect-error a field of the wrong kind (body is a string)
    s.obj<Fields>({ status_code: s.intOrStr, headers: s.map(s.strs), body: s.int, close: s.bool, abort: s.bool });
    // @ts-expect-error a nested object (typed) with a field its type does not have
    s.obj<{ a?: { b?: string } }>({ a: s.obj<{ b?: string }>({ b: s.str, c: s.str }) });
    // @ts-expect-error a nested object (inferred) with a field of the wrong kind
    s.obj<{ a?: { b?: string } }>({ a: s.obj({ b: s.int }) });
    const ok = s.obj<Fields>({
      status_code: s.intOrStr,
      headers: s.map(s.strs),
      body: s.str,
      close: s.bool,
      abort: s.bool,
    });
    expect(ok).toEqual(staticResponseSchema);
  });

  it('check what they describe', () => {
    const out: ValidationError[] = [];
    check({ status_code: [200], bodyy: 'x' }, staticResponseSchema, 'h', none, out);
    expect(out).toEqual([
      { path: 'h.status_code', message: 'expected an integer or a string, got array' },
      { path: 'h.bodyy', message: 'unknown field "bodyy"' },
    ]);
  });
});
