/**
 * The trust pool sources (`tls.ca_pool.source.*`) have one implementation, whichever directive loads them:
 * `client_auth`'s `trust_pool` (tls directive) and the http transport's `tls_trust_pool` agree.
 */
import { describe, expect, it } from 'vitest';
import { at, cfg, errOf } from './adapt-helpers.js';

const clientAuth = (pool: string) =>
  `a.example {\n\ttls internal {\n\t\tclient_auth {\n\t\t\ttrust_pool ${pool}\n\t\t}\n\t}\n}\n`;
const transport = (pool: string) =>
  `http://:1 {\n\treverse_proxy https://x:1 {\n\t\ttransport http {\n\t\t\ttls_trust_pool ${pool}\n\t\t}\n\t}\n}\n`;
const transportCA = (pool: string) =>
  at(cfg(transport(pool)), 'apps.http.servers.srv0.routes.0.handle.0.transport.tls.ca');
const clientAuthCA = (pool: string) =>
  at(cfg(clientAuth(pool)), 'apps.http.servers.srv0.tls_connection_policies.0.client_authentication.ca');

describe('trust pool sources', () => {
  it('the http source works in tls_trust_pool as in client_auth', () => {
    const pool = 'http https://ca.example/roots.pem';
    const want = { endpoints: ['https://ca.example/roots.pem'], provider: 'http' };
    expect(transportCA(pool)).toEqual(want);
    expect(clientAuthCA(pool)).toEqual(want);
  });

  it('inline takes no arguments on its line, in client_auth as in tls_trust_pool', () => {
    const pool = 'inline X {\n\t\t\t\ttrust_der AAAA\n\t\t\t}';
    expect(errOf(transport(pool))).toContain('no certificates specified');
    expect(errOf(clientAuth(pool))).toContain('no certificates specified');
  });

  it('an empty combined pool leaves sources out (omitempty), in client_auth as in tls_trust_pool', () => {
    expect(transportCA('combined {\n\t\t\t}')).toEqual({ provider: 'combined' });
    expect(clientAuthCA('combined {\n\t\t\t}')).toEqual({ provider: 'combined' });
  });
});
