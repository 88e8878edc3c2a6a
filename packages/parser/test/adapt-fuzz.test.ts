import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adapt } from '@proxy/parser';

const words = [
  'respond',
  'redir',
  'error',
  'abort',
  'root',
  'fs',
  'bind',
  'tls',
  'handle',
  'handle_path',
  'route',
  'handle_errors',
  'invoke',
  '@m',
  'path',
  'header',
  'not',
  'internal',
  'on_demand',
  '*',
  '/a*',
  '@m',
  '200',
  '404',
  'https://x',
  'a@b.c',
  '{host}',
  '127.0.0.1',
  'h2',
  'protocols',
  'dns',
  'mock',
  'issuer',
  'acme',
  'client_auth',
  'mode',
  'expression',
  '"q"',
  '4xx',
  'permanent',
];
const keys = [
  ':80',
  ':443',
  'a.com',
  'http://b.com',
  'https://c.com:8443',
  '*.d.com',
  'localhost',
  '[::1]:8080',
  'e.com/path',
];
const options = [
  'debug',
  'http_port 8080',
  'auto_https off',
  'local_certs',
  'email x@y.z',
  'admin off',
  'default_sni a.com',
  'servers {\n\tprotocols h1\n}',
  'order respond first',
  'skip_install_trust',
  'acme_dns mock',
  'grace_period 5s',
];

const line = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));
const body: fc.Arbitrary<string> = fc.letrec<{ body: string }>((tie) => ({
  body: fc
    .array(
      fc.oneof(
        { depthSize: 'small' },
        line,
        fc.tuple(line, tie('body')).map(([l, b]) => `${l} {\n${b}\n}`),
      ),
      { maxLength: 5 },
    )
    .map((ls) => ls.join('\n')),
})).body;
const site = fc
  .tuple(fc.subarray(keys, { minLength: 1, maxLength: 3 }), body)
  .map(([ks, b]) => `${ks.join(', ')} {\n${b}\n}\n`);
const file = fc
  .tuple(fc.subarray(options, { maxLength: 3 }), fc.array(site, { minLength: 1, maxLength: 3 }))
  .map(([os, ss]) => (os.length > 0 ? `{\n${os.join('\n')}\n}\n` : '') + ss.join(''));

describe('adapt on generated Caddyfiles', () => {
  it('never throws and never hits an internal error', () => {
    fc.assert(
      fc.property(file, (text) => {
        const r = adapt(text, { filename: 'Caddyfile', env: {} });
        expect(r.errors.some((e) => e.message.startsWith('internal error'))).toBe(false);
        if (r.errors.length === 0) expect(r.config).toBeDefined();
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});
