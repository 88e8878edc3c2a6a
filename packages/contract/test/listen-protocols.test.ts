import { describe, expect, it } from 'vitest';
import { check, httpServerSchema, type ModuleLookup, type ValidationError } from '@proxy/contract';

const none: ModuleLookup = { lookup: () => undefined };

describe('listen_protocols', () => {
  it('accepts null for a listener without its own protocols, as the adapter (and current Caddy) emit it', () => {
    // `bind 127.0.0.1 { protocols h1 }` next to a plain `bind 127.0.0.2` adapts to [["h1"], null].
    const out: ValidationError[] = [];
    check(
      { listen: ['127.0.0.1:80', '127.0.0.2:80'], listen_protocols: [['h1'], null] },
      httpServerSchema,
      's',
      none,
      out,
    );
    expect(out).toEqual([]);
    check({ listen_protocols: [['h1'], 'h2'] }, httpServerSchema, 's', none, out);
    expect(out).toEqual([{ path: 's.listen_protocols[1]', message: 'expected an array, got string' }]);
  });
});
