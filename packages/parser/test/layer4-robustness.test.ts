/**
 * Bad `layer4` input never crashes the adapter: random token soup from the layer4 vocabulary gives either a
 * config or a positioned Caddyfile error, never an internal error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';

const WORDS = [
  '@a',
  '@b',
  'route',
  'matching_timeout',
  'idle_timeout',
  '1s',
  'x',
  '*',
  '{',
  '}',
  '\n',
  'tls',
  'sni',
  'alpn',
  'sni_regexp',
  'remote_ip',
  'local_ip',
  'not',
  'http',
  'host',
  'path',
  'postgres',
  'user',
  'client',
  'proxy',
  'upstream',
  'dial',
  'lb_policy',
  'random_choose',
  'health_port',
  'subroute',
  'tee',
  'vars',
  'vars_regexp',
  'clock',
  '08:00:00',
  'regexp',
  'hex',
  '4',
  'dns',
  'allow',
  'openvpn',
  'modes',
  'rdp',
  'cookie_port',
  'socks4',
  'socks5',
  'winbox',
  'wireguard',
  'throttle',
  'connection_policy',
  'client_auth',
  'trust_pool',
  'cert_selection',
  'proxy_protocol',
  'echo',
  'close',
  'postgres_tls',
  ':1',
  'private_ranges',
  '10.0.0.0/8',
];

/** Where the soup starts: a server block, a matcher set, a route, a handler's block, a connection policy. */
const PREFIXES = [
  '',
  '@a ',
  'route {\n',
  'route {\nproxy {\n',
  'route {\ntls {\nconnection_policy {\n',
  '@a tls {\n',
  '@a http {\n',
];

describe('layer4 robustness', () => {
  it('gives a positioned error or a config for any token soup', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PREFIXES),
        fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }),
        (prefix, words) => {
          const body = prefix + words.map((w) => (w === '\n' ? '\n' : ` ${w}`)).join('');
          const text = `{\n\tlayer4 {\n:1 {\n${body}\n}\n\t}\n}\n`;
          const r = adapt(text, { filename: 'Caddyfile', env: {} });
          for (const e of r.errors) {
            expect(e.message).not.toMatch(/internal error/);
            expect(e.line).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
