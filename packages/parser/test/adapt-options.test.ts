import { describe, expect, it } from 'vitest';
import { at, cfg, errOf } from './adapt-helpers.js';

const site = ':80 {\n\trespond x\n}\n';
const withOpts = (opts: string, body = site) => cfg(`{\n${opts}\n}\n${body}`);

describe('global options', () => {
  it('ports and durations go to the http app', () => {
    const c = withOpts(
      '\thttp_port 8080\n\thttps_port 8443\n\tgrace_period 10s\n\tshutdown_delay 1m',
      ':8080 {\n\trespond x\n}\n',
    );
    expect(at(c, 'apps.http.http_port')).toBe(8080);
    expect(at(c, 'apps.http.https_port')).toBe(8443);
    expect(at(c, 'apps.http.grace_period')).toBe(10_000_000_000);
    expect(at(c, 'apps.http.shutdown_delay')).toBe(60_000_000_000);
    expect(errOf('{\n\thttp_port abc\n}\n' + site)).toContain("converting port 'abc' to integer value");
    expect(errOf('{\n\tgrace_period 10\n}\n' + site)).toContain('missing unit in duration');
  });
  it('rejects unknown options with position', () => {
    expect(errOf('{\n\tnope\n}\n' + site)).toBe('Caddyfile:2: unrecognized global option: nope');
  });
  it('admin: off, address, origins', () => {
    expect(at(withOpts('\tadmin off'), 'admin')).toEqual({ disabled: true });
    expect(at(withOpts('\tadmin'), 'admin')).toEqual({ listen: 'localhost:2019' });
    expect(at(withOpts('\tadmin :2020 {\n\t\tenforce_origin\n\t\torigins a b\n\t}'), 'admin')).toEqual({
      listen: ':2020',
      enforce_origin: true,
      origins: ['a', 'b'],
    });
    expect(errOf('{\n\tadmin off {\n\t}\n}\n' + site)).toContain(
      'No more option is allowed after turning off admin config',
    );
    expect(at(withOpts('\tpersist_config off'), 'admin')).toEqual({ config: { persist: false } });
  });
  it('storage', () => {
    expect(at(withOpts('\tstorage file_system /data'), 'storage')).toEqual({ module: 'file_system', root: '/data' });
    expect(at(withOpts('\tstorage file_system {\n\t\troot /d\n\t}'), 'storage')).toEqual({
      module: 'file_system',
      root: '/d',
    });
    expect(errOf('{\n\tstorage nope\n}\n' + site)).toContain("getting module named 'caddy.storage.nope'");
  });
  it('auto_https values map to server fields', () => {
    const c = withOpts('\tauto_https disable_redirects ignore_loaded_certs');
    expect(at(c, 'apps.http.servers.srv0.automatic_https')).toEqual({
      disable_redirects: true,
      ignore_loaded_certificates: true,
    });
    expect(at(withOpts('\tauto_https off'), 'apps.http.servers.srv0.automatic_https')).toEqual({ disable: true });
    expect(errOf('{\n\tauto_https maybe\n}\n' + site)).toContain('auto_https must be one of');
  });
  it('default_bind applies to sites without bind', () => {
    const c = withOpts('\tdefault_bind 127.0.0.1');
    expect(at(c, 'apps.http.servers.srv0.listen')).toEqual(['127.0.0.1:80']);
  });
  it('tls app options', () => {
    const c = withOpts(
      '\tstorage_check off\n\tstorage_clean_interval off\n\trenew_interval 1h\n\tocsp_interval 2h\n\tocsp_stapling off',
    );
    expect(at(c, 'apps.tls')).toEqual({
      automation: {
        policies: [{ disable_ocsp_stapling: true }],
        ocsp_interval: 7_200_000_000_000,
        renew_interval: 3_600_000_000_000,
      },
      disable_ocsp_stapling: true,
      disable_storage_check: true,
      disable_storage_clean: true,
    });
    expect(at(withOpts('\tstorage_clean_interval 24h'), 'apps.tls.automation.storage_clean_interval')).toBe(
      86_400_000_000_000,
    );
  });
  it('on_demand_tls', () => {
    expect(
      at(withOpts('\ton_demand_tls {\n\t\task http://localhost/ok\n\t}'), 'apps.tls.automation.on_demand'),
    ).toEqual({ permission: { endpoint: 'http://localhost/ok', module: 'http' } });
    expect(errOf('{\n\ton_demand_tls {\n\t\tinterval 1m\n\t}\n}\n' + site)).toContain(
      "the on_demand_tls 'interval' option is no longer supported",
    );
    expect(errOf('{\n\ton_demand_tls\n}\n' + site)).toContain(
      'expected at least one config parameter for on_demand_tls',
    );
  });
  it('email and acme_ca give default issuers to public names', () => {
    const c = withOpts('\temail a@b.c', 'example.com {\n\trespond x\n}\n');
    expect(at(c, 'apps.tls.automation.policies')).toEqual(
      [
        {
          subjects: ['example.com'],
          issuers: [
            { email: 'a@b.c', module: 'acme' },
            { ca: 'https://acme.zerossl.com/v2/DV90', email: 'a@b.c', module: 'acme' },
          ],
        },
        {
          issuers: [
            { email: 'a@b.c', module: 'acme' },
            { ca: 'https://acme.zerossl.com/v2/DV90', email: 'a@b.c', module: 'acme' },
          ],
        },
      ].slice(0, 1),
    );
    const d = withOpts(
      '\tacme_ca https://ca.example/dir\n\tacme_eab {\n\t\tkey_id k\n\t\tmac_key m\n\t}',
      'example.com {\n\trespond x\n}\n',
    );
    expect(at(d, 'apps.tls.automation.policies.0.issuers')).toEqual([
      { ca: 'https://ca.example/dir', external_account: { key_id: 'k', mac_key: 'm' }, module: 'acme' },
    ]);
  });
  it('local_certs and cert_issuer are mutually exclusive', () => {
    expect(errOf('{\n\tlocal_certs\n\tcert_issuer internal\n}\nexample.com {\n}\n')).toContain(
      'global options are ambiguous',
    );
  });
  it('cert_issuer accumulates', () => {
    const c = withOpts(
      '\tcert_issuer acme {\n\t\tdisable_http_challenge\n\t}\n\tcert_issuer internal {\n\t\tlifetime 1d\n\t}',
      'example.com {\n\trespond x\n}\n',
    );
    expect(at(c, 'apps.tls.automation.policies')).toEqual([
      {
        issuers: [
          { challenges: { http: { disabled: true } }, module: 'acme' },
          { lifetime: 86_400_000_000_000, module: 'internal' },
        ],
      },
    ]);
  });
  it('pki CAs', () => {
    const c = withOpts(
      '\tpki {\n\t\tca corp {\n\t\t\tname "Corp CA"\n\t\t\troot_cn root\n\t\t\tintermediate_lifetime 7d\n\t\t\troot {\n\t\t\t\tcert /r.crt\n\t\t\t\tkey /r.key\n\t\t\t}\n\t\t}\n\t}',
    );
    expect(at(c, 'apps.pki.certificate_authorities')).toEqual({
      corp: {
        name: 'Corp CA',
        root_common_name: 'root',
        intermediate_lifetime: 604_800_000_000_000,
        root: { certificate: '/r.crt', private_key: '/r.key' },
      },
    });
    expect(errOf('{\n\tpki {\n\t\tca {\n\t\t\tnope x\n\t\t}\n\t}\n}\n' + site)).toContain(
      "unrecognized pki ca option 'nope'",
    );
  });
  it('skip_install_trust adds a local CA without trust installation', () => {
    expect(at(withOpts('\tskip_install_trust'), 'apps.pki')).toEqual({
      certificate_authorities: { local: { install_trust: false } },
    });
  });
  it('metrics', () => {
    expect(at(withOpts('\tmetrics {\n\t\tper_host\n\t}'), 'apps.http.metrics')).toEqual({ per_host: true });
  });
  it('debug sets the default logger level', () => {
    expect(at(withOpts('\tdebug'), 'logging')).toEqual({ logs: { default: { level: 'DEBUG' } } });
  });
});

describe('servers option', () => {
  it('timeouts, sizes, protocols and proxies', () => {
    const c = withOpts(
      '\tservers {\n\t\ttimeouts {\n\t\t\tread_body 10s\n\t\t\tread_header 5s\n\t\t\twrite 30s\n\t\t\tidle 2m\n\t\t}\n\t\tmax_header_size 5MB\n\t\tprotocols h1 h2\n\t\ttrusted_proxies static private_ranges\n\t\tclient_ip_headers X-Forwarded-For X-Real-IP\n\t\tstrict_sni_host\n\t\tlog_credentials\n\t}',
    );
    expect(at(c, 'apps.http.servers.srv0')).toEqual({
      listen: [':80'],
      read_timeout: 10e9,
      read_header_timeout: 5e9,
      write_timeout: 30e9,
      idle_timeout: 120e9,
      max_header_bytes: 5_000_000,
      routes: [{ handle: [{ body: 'x', handler: 'static_response' }] }],
      strict_sni_host: true,
      trusted_proxies: {
        ranges: ['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8', '127.0.0.1/8', 'fd00::/8', '::1'],
        source: 'static',
      },
      client_ip_headers: ['X-Forwarded-For', 'X-Real-IP'],
      logs: { should_log_credentials: true },
      protocols: ['h1', 'h2'],
    });
  });
  it('names servers by listener address and checks duplicates', () => {
    const c = withOpts('\tservers :80 {\n\t\tname web\n\t}');
    expect(Object.keys(at(c, 'apps.http.servers') as object)).toEqual(['web']);
    expect(errOf('{\n\tservers {\n\t\tname x\n\t}\n}\n' + site)).toContain(
      'cannot set a name for a server without a listener address',
    );
    expect(errOf('{\n\tservers :80 {\n\t}\n\tservers :80 {\n\t}\n}\n' + site)).toContain(
      "cannot have 'servers' global options with duplicate listener addresses: :80",
    );
    expect(errOf('{\n\tservers {\n\t\tprotocols h4\n\t}\n}\n' + site)).toContain("unknown protocol 'h4'");
  });
  it('listener wrappers in order, with proxy_protocol options', () => {
    const c = withOpts(
      '\tservers {\n\t\tlistener_wrappers {\n\t\t\tproxy_protocol {\n\t\t\t\ttimeout 2s\n\t\t\t\tallow 10.0.0.0/8\n\t\t\t\tfallback_policy reject\n\t\t\t}\n\t\t\ttls\n\t\t}\n\t}',
    );
    expect(at(c, 'apps.http.servers.srv0.listener_wrappers')).toEqual([
      { allow: ['10.0.0.0/8'], fallback_policy: 'REJECT', timeout: 2e9, wrapper: 'proxy_protocol' },
      { wrapper: 'tls' },
    ]);
    expect(errOf('{\n\tservers {\n\t\tlistener_wrappers {\n\t\t\tnope\n\t\t}\n\t}\n}\n' + site)).toContain(
      "getting module named 'caddy.listeners.nope'",
    );
  });
});
