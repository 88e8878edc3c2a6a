import { describe, expect, it } from 'vitest';
import { at, cfg, errOf } from './adapt-helpers.js';

const tls = (block: string, host = 'example.com') => cfg(`${host} {\n\ttls ${block}\n}\n`);

describe('tls directive', () => {
  it('connection policy settings', () => {
    const c = tls(
      '{\n\t\tprotocols tls1.2 tls1.3\n\t\tciphers TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n\t\tcurves x25519 secp256r1\n\t\talpn h2 http/1.1\n\t}',
    );
    expect(at(c, 'apps.http.servers.srv0.tls_connection_policies')).toEqual([
      {
        match: { sni: ['example.com'] },
        cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384'],
        curves: ['x25519', 'secp256r1'],
        alpn: ['h2', 'http/1.1'],
        protocol_min: 'tls1.2',
        protocol_max: 'tls1.3',
      },
      {},
    ]);
  });
  it('rejects unknown names', () => {
    expect(errOf('a.com {\n\ttls {\n\t\tprotocols tls1.0\n\t}\n}\n')).toContain(
      "wrong protocol name or protocol not supported: 'tls1.0'",
    );
    expect(errOf('a.com {\n\ttls {\n\t\tciphers NOPE\n\t}\n}\n')).toContain(
      "wrong cipher suite name or cipher suite not supported: 'NOPE'",
    );
    expect(errOf('a.com {\n\ttls {\n\t\tnope\n\t}\n}\n')).toContain('unknown subdirective: nope');
    expect(errOf('a.com {\n\ttls\n}\n')).toContain("wrong argument count or unexpected line ending after 'tls'");
    expect(errOf('a.com {\n\ttls foo\n}\n')).toContain(
      "single argument must either be 'internal', 'force_automate', or an email address",
    );
  });
  it('email gives the default ACME issuers with that email', () => {
    const c = tls('me@example.com');
    expect(at(c, 'apps.tls.automation.policies.0')).toEqual({
      subjects: ['example.com'],
      issuers: [
        { email: 'me@example.com', module: 'acme' },
        { ca: 'https://acme.zerossl.com/v2/DV90', email: 'me@example.com', module: 'acme' },
      ],
    });
  });
  it('internal issuer, key type, on demand, reuse keys', () => {
    const c = tls('internal {\n\t\tkey_type p256\n\t\ton_demand\n\t\treuse_private_keys\n\t}');
    expect(at(c, 'apps.tls.automation.policies.0')).toEqual({
      subjects: ['example.com'],
      issuers: [{ module: 'internal' }],
      key_type: 'p256',
      on_demand: true,
      reuse_private_keys: true,
    });
  });
  it('explicit issuer blocks', () => {
    const c = tls(
      '{\n\t\tissuer acme https://ca.example/dir {\n\t\t\temail a@b.c\n\t\t\ttimeout 30s\n\t\t\talt_http_port 8080\n\t\t\tpreferred_chains smallest\n\t\t}\n\t\tissuer zerossl KEY {\n\t\t\tvalidity_days 90\n\t\t}\n\t}',
    );
    expect(at(c, 'apps.tls.automation.policies.0.issuers')).toEqual([
      {
        acme_timeout: 30e9,
        ca: 'https://ca.example/dir',
        challenges: { http: { alternate_port: 8080 } },
        email: 'a@b.c',
        module: 'acme',
        preferred_chains: { smallest: true },
      },
      { api_key: 'KEY', module: 'zerossl', validity_days: 90 },
    ]);
    expect(errOf('a.com {\n\ttls {\n\t\tissuer acme {\n\t\t\tbogus\n\t\t}\n\t}\n}\n')).toContain(
      'unrecognized ACME issuer property: bogus',
    );
    expect(errOf('a.com {\n\ttls {\n\t\tissuer internal\n\t\tca https://x\n\t}\n}\n')).toContain(
      'cannot mix issuer subdirective',
    );
  });
  it('DNS challenge settings need a provider', () => {
    const c = tls(
      '{\n\t\tdns mock x\n\t\tpropagation_timeout -1\n\t\tdns_ttl 1m\n\t\tdns_challenge_override_domain other.com\n\t}',
    );
    expect(at(c, 'apps.tls.automation.policies.0.issuers.0')).toEqual({
      challenges: {
        dns: {
          override_domain: 'other.com',
          propagation_timeout: -1,
          provider: { argument: 'x', name: 'mock' },
          ttl: 60e9,
        },
      },
      module: 'acme',
    });
    expect(errOf('a.com {\n\ttls {\n\t\tresolvers 1.1.1.1\n\t}\n}\n')).toContain(
      'setting DNS challenge options [resolvers] requires a DNS provider',
    );
  });
  it('certificate files are loaded once and tagged', () => {
    const c = cfg('a.com {\n\ttls a.crt a.key\n}\nb.com {\n\ttls b.crt b.key\n}\nc.com {\n\ttls a.crt a.key\n}\n');
    expect(at(c, 'apps.tls.certificates.load_files')).toEqual([
      { certificate: 'a.crt', key: 'a.key', tags: ['cert0'] },
      { certificate: 'b.crt', key: 'b.key', tags: ['cert1'] },
    ]);
    const cps = at(c, 'apps.http.servers.srv0.tls_connection_policies') as unknown[];
    expect(cps.map((p) => at(p, 'certificate_selection.any_tag'))).toContainEqual(['cert0']);
  });
  it('load folders and get_certificate managers', () => {
    const c = tls('{\n\t\tload /certs\n\t\tget_certificate tailscale\n\t}', 'x.ts.net');
    expect(at(c, 'apps.tls.certificates.load_folders')).toEqual(['/certs']);
    expect(at(c, 'apps.tls.automation.policies.0')).toEqual({
      subjects: ['x.ts.net'],
      get_certificate: [{ via: 'tailscale' }],
    });
  });
  it('client_auth with a trust pool and leaf certs', () => {
    const c = tls(
      '{\n\t\tclient_auth {\n\t\t\tmode require_and_verify\n\t\t\ttrust_pool file /ca.pem\n\t\t\ttrusted_leaf_cert AAAA\n\t\t}\n\t}',
    );
    expect(at(c, 'apps.http.servers.srv0.tls_connection_policies.0.client_authentication')).toEqual({
      ca: { pem_files: ['/ca.pem'], provider: 'file' },
      trusted_leaf_certs: ['AAAA'],
      mode: 'require_and_verify',
    });
  });
  it('internal names get the internal issuer beside public ones', () => {
    const c = cfg('example.com, localhost {\n\trespond x\n}\n');
    expect(at(c, 'apps.tls.automation.policies')).toEqual([
      { subjects: ['example.com'] },
      { subjects: ['localhost'], issuers: [{ module: 'internal' }] },
    ]);
  });
  it('hosts sharing a block with a hostless key are automated', () => {
    const c = cfg(':443, example.com {\n\trespond x\n}\n');
    expect(at(c, 'apps.tls.certificates.automate')).toEqual(['example.com']);
  });
  it('on-demand catch-all site gets a connection policy', () => {
    const c = cfg(':8443 {\n\ttls internal {\n\t\ton_demand\n\t}\n}\n');
    expect(at(c, 'apps.http.servers.srv0.tls_connection_policies')).toEqual([{}]);
  });
});
