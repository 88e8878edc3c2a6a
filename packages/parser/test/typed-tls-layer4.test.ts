/**
 * The TLS and caddy-l4 parts of the adapter are typed by the contract: a parser that emits a field the
 * contract does not define fails to compile. `pnpm typecheck:tests` fails when one of the errors below stops
 * being an error.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionPolicy, InternalIssuer, Layer4ClockMatcher, Own } from '@proxy/contract';
import { struct } from '../src/adapt/json.js';
import { handler, matcher, type Layer4HandlerFields } from '../src/adapt/layer4/registry.js';
import type { TlsGuestFields } from '../src/adapt/tls/modules.js';

const text = { syntax: 'x', doc: 'x' };

describe('typed TLS and layer4 adapter', () => {
  it('rejects fields the contract lacks at compile time', () => {
    // @ts-expect-error a layer4 handler parser returning a field its handler does not have
    handler('throttle', text, (): Layer4HandlerFields<'throttle'> => ({ latency: 1, latenc: 1 }));
    // @ts-expect-error the same without an annotation: caught only when no field is right (weak type check)
    handler('throttle', text, () => ({ latenc: 1 }));
    // @ts-expect-error a handler the contract does not know
    handler('bogus', text, () => ({}));
    // @ts-expect-error a typo in a handler built with `struct`
    handler('proxy', text, () => struct<Layer4HandlerFields<'proxy'>>({ upstream: [] }));
    // @ts-expect-error a layer4 matcher parser returning a field its matcher does not have
    matcher('clock', text, () => ({ aftr: '08:00:00' }));
    // @ts-expect-error the same, through struct
    matcher('clock', text, () => struct<Layer4ClockMatcher>({ aftr: '08:00:00' }));
    // @ts-expect-error a connection policy field that does not exist
    struct<ConnectionPolicy>({ alpn_protocols: ['h2'] });
    // @ts-expect-error no issuer has this field
    const issuer: TlsGuestFields<'tls-issuer'> = { api_keyy: 'x' };
    // @ts-expect-error a typo in a module's own fields (an Omit type: a mapped type, checked too)
    struct<Own<InternalIssuer, 'module'>>({ lifetim: 1 });
    expect(issuer).toBeDefined();
  });

  it('builds the own fields of a module: empty fields dropped, kept ones kept', () => {
    expect(struct<Own<InternalIssuer, 'module'>>({ ca: 'local', sign_with_root: false })).toEqual({ ca: 'local' });
    expect(struct<Layer4HandlerFields<'proxy'>>({ upstreams: [], proxy_protocol: 'v2' })).toEqual({
      proxy_protocol: 'v2',
    });
  });
});
