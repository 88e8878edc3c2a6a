/**
 * caddy-l4 module syntax beyond the conformance corpus (the forms its docs show), and error positions.
 * Each test adapts a `layer4 { ... }` global option and looks at the JSON it gives.
 */
import { describe, expect, it } from 'vitest';
import type { Layer4ListenerWrapperConfig } from '@proxy/contract';
import {
  CaddyfileError,
  Dispenser,
  parse,
  parseLayer4ListenerWrapper,
  parseLayer4Option,
  stringifyConfig,
  type JsonObject,
} from '@proxy/parser';

/** Adapts `{ layer4 { TEXT } }` and returns the app value. */
function app(body: string, existing?: unknown): JsonObject {
  const { ast, diagnostics } = parse(`{\n\tlayer4 {\n${body}\n\t}\n}\n`, { filename: 'Caddyfile', env: {} });
  expect(diagnostics).toEqual([]);
  const seg = ast.blocks[0]!.segments.find((s) => s.tokens[0]?.text === 'layer4')!;
  // The tests below probe the app's JSON by key, as plain JSON rather than as the contract's Layer4App.
  return parseLayer4Option(new Dispenser(seg.tokens), existing).value as unknown as JsonObject;
}

/** The first route of srv0 for `:1 { ROUTES }`. */
function route(routes: string): JsonObject {
  const a = app(`:1 {\n${routes}\n}`);
  return ((a['servers'] as JsonObject)['srv0'] as { routes: JsonObject[] }).routes[0]!;
}

/** The matcher set of `@m MATCHER` used by a route. */
function matcherSet(matcher: string): JsonObject {
  return (route(`@m ${matcher}\nroute @m {\n}`)['match'] as JsonObject[])[0]!;
}

/** The first handler of a route with HANDLER. */
function handler(h: string): JsonObject {
  return (route(`route {\n${h}\n}`)['handle'] as JsonObject[])[0]!;
}

/** The error adapting a body gives: message and position. */
function error(body: string): { message: string; line: number; column: number } {
  try {
    app(body);
  } catch (e) {
    expect(e).toBeInstanceOf(CaddyfileError);
    const err = e as CaddyfileError;
    return { message: err.message, line: err.token!.range.line, column: err.token!.range.column };
  }
  throw new Error('expected an error');
}

describe('layer4 app', () => {
  it('numbers servers in order, merges a second layer4 option and keeps timeouts in struct order', () => {
    const first = app(':1 {\nidle_timeout 1m\nmatching_timeout 2s\n}');
    expect(stringifyConfig(first)).toBe(
      '{"servers":{"srv0":{"listen":[":1"],"idle_timeout":60000000000,"matching_timeout":2000000000}}}',
    );
    const merged = app('udp/:2 :3 {\n}', { kind: 'app', name: 'layer4', value: first });
    expect(Object.keys(merged['servers'] as JsonObject)).toEqual(['srv0', 'srv1']);
    expect((merged['servers'] as JsonObject)['srv1']).toEqual({ listen: ['udp/:2', ':3'] });
  });

  it('sorts srvN keys as Go sorts map keys', () => {
    const body = Array.from({ length: 11 }, (_, i) => `:${i + 1} {\n}`).join('\n');
    expect(Object.keys(app(body)['servers'] as JsonObject).slice(0, 3)).toEqual(['srv0', 'srv1', 'srv10']);
  });

  it('gives an empty app for an empty option', () => {
    expect(app('')).toEqual({});
  });

  it('allows a matcher set defined after the route that uses it, and ORs several sets', () => {
    const r = route('route @a @b {\necho\n}\n@a ssh\n@b xmpp');
    expect(r['match']).toEqual([{ ssh: {} }, { xmpp: {} }]);
  });

  it('keeps matcher struct order at the top level and sorts everything inside a subroute', () => {
    const m = { openvpn: { modes: ['auth'], group_key_file: '/k', auth_digest: 'sha1' } };
    const top = route('@m openvpn {\nmodes auth\nauth_digest sha1\ngroup_key_file /k\n}\nroute @m');
    expect(stringifyConfig(top['match'])).toBe(stringifyConfig([m]));
    const sub = handler(
      'subroute {\n@m openvpn {\nmodes auth\nauth_digest sha1\ngroup_key_file /k\n}\nroute @m {\nclose\n}\n}',
    );
    expect(stringifyConfig(sub)).toBe(
      '{"handler":"subroute","routes":[{"handle":[{"handler":"close"}],"match":[{"openvpn":{"auth_digest":"sha1","group_key_file":"/k","modes":["auth"]}}]}]}',
    );
  });

  it('names file, line and column in errors', () => {
    expect(error(':1 {\nroute {\n  nope\n}\n}')).toEqual({
      message:
        "getting module named 'layer4.handlers.nope': module not registered: layer4.handlers.nope, at Caddyfile:5",
      line: 5,
      column: 3,
    });
    expect(error(':1 {\n@a  bogus 1\n}')).toMatchObject({
      message: expect.stringContaining("'layer4.matchers.bogus'"),
      line: 4,
      column: 5,
    });
    expect(error(':1 {\nroute @x\n}')).toMatchObject({
      message: "undefined matcher set '@x', at Caddyfile:4",
      line: 4,
      column: 7,
    });
    expect(error(':1 {\n@a ssh\n@a xmpp\n}').message).toContain("duplicate matcher set '@a'");
    expect(error(':1 {\n@a ssh\nssh\n}').message).toContain('wrong argument count');
    expect(error(':1 {\n@a {\nssh\nssh\n}\n}').message).toContain("duplicate matcher module 'ssh'");
    expect(error(':1 {\nmatching_timeout 1s\nmatching_timeout 2s\n}').message).toContain(
      "duplicate layer4 server option 'matching_timeout'",
    );
    expect(error(':1 {\nmatching_timeout soon\n}').message).toContain('time: invalid duration "soon"');
    expect(error(':1 {\nroute {\nproxy {\nbogus\n}\n}\n}')).toMatchObject({
      message: expect.stringContaining("wrong argument count or unexpected line ending after 'bogus'"),
      line: 6,
    });
  });
});

describe('layer4 listener wrapper', () => {
  function wrapper(text: string): Layer4ListenerWrapperConfig {
    const { ast } = parse(`{\n${text}\n}\n`, { filename: 'Caddyfile', env: {} });
    return parseLayer4ListenerWrapper(new Dispenser(ast.blocks[0]!.segments[0]!.tokens));
  }

  it('is a module object with sorted keys and rejects idle_timeout', () => {
    expect(wrapper('layer4')).toEqual({ wrapper: 'layer4' });
    const w = wrapper('layer4 {\nmatching_timeout 1s\nroute {\necho\n}\n}');
    expect(stringifyConfig(w)).toBe(
      '{"matching_timeout":1000000000,"routes":[{"handle":[{"handler":"echo"}]}],"wrapper":"layer4"}',
    );
    expect(() => wrapper('layer4 {\nidle_timeout 1s\n}')).toThrow(/wrong argument count/);
    expect(() => wrapper('layer4 x')).toThrow(/wrong argument count/);
  });
});

describe('layer4 matchers', () => {
  const cases: [string, unknown][] = [
    [
      'clock from 08:00:00 Europe/Paris',
      { clock: { after: '08:00:00', before: '00:00:00', timezone: 'Europe/Paris' } },
    ],
    ['clock until 7:30:00', { clock: { after: '00:00:00', before: '7:30:00' } }],
    [
      'dns {\nallow example.com A\ndeny_regexp * ^TXT$ *\ndefault_deny\nprefer_allow\n}',
      {
        dns: {
          allow: [{ name: 'example.com', type: 'A' }],
          deny: [{ type_regexp: '^TXT$' }],
          default_deny: true,
          prefer_allow: true,
        },
      },
    ],
    ['http', { http: [{}] }],
    [
      'http {\npath /a\npath /b\nnot method POST\npath_regexp ^/c\n}',
      {
        http: [{ not: [{ method: ['POST'] }], path: ['/a', '/b'], path_regexp: { pattern: '^/c' } }],
      },
    ],
    [
      'local_ip private_ranges',
      { local_ip: { ranges: ['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8', '127.0.0.1/8', 'fd00::/8', '::1'] } },
    ],
    ['not {\nremote_ip 10.0.0.0/8\nssh\n}', { not: [{ remote_ip: { ranges: ['10.0.0.0/8'] }, ssh: {} }] }],
    ['not not ssh', { not: [{ not: [{ ssh: {} }] }] }],
    [
      'openvpn {\nmodes crypt2 auth\nignore_crypto\nignore_timestamp\nclient_key a\nclient_key b\nclient_key_file /c\nserver_key s\ngroup_key_direction inverse\n}',
      {
        openvpn: {
          modes: ['crypt2', 'auth'],
          ignore_crypto: true,
          ignore_timestamp: true,
          group_key_direction: 'inverse',
          client_keys: ['a', 'b'],
          client_key_files: ['/c'],
          server_key: 's',
        },
      },
    ],
    [
      'postgres {\nuser bob\nuser alice db1\nuser alice db2\nclient psql\nclient pgAdmin\ntls *\n}',
      {
        postgres: { user: { alice: ['db1', 'db2'], bob: null }, client: ['psql', 'pgAdmin'] },
      },
    ],
    ['postgres {\ntls enabled\n}', { postgres: { tls: 'enabled' } }],
    ['quic', { quic: {} }],
    [
      'rdp {\ncookie_ip 10.0.0.1 private_ranges\ncookie_port 3389 443\n}',
      {
        rdp: {
          cookie_ips: ['10.0.0.1', '192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8', '127.0.0.1/8', 'fd00::/8', '::1'],
          cookie_ports: [3389, 443],
        },
      },
    ],
    ['rdp', { rdp: {} }],
    ['regexp ^SSH hex 8', { regexp: { count: 8, hex: true, pattern: '^SSH' } }],
    [
      'remote_ip 1.2.3.4 private_ranges',
      {
        remote_ip: {
          ranges: ['1.2.3.4', ...['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8', '127.0.0.1/8', 'fd00::/8', '::1']],
        },
      },
    ],
    [
      'socks4 {\ncommands CONNECT\nnetworks 10.0.0.0/8\nports 80 443\n}',
      { socks4: { commands: ['CONNECT'], networks: ['10.0.0.0/8'], ports: [80, 443] } },
    ],
    ['socks5 {\nauth_methods 0 2\n}', { socks5: { auth_methods: [0, 2] } }],
    [
      'tls {\nsni a.example.com\nsni b.example.com\nsni_regexp ^(?<sub>.+)\\.example$\nremote_ip 10.0.0.0/8 !10.1.0.0/16\nlocal_ip 127.0.0.1\n}',
      {
        tls: {
          local_ip: { ranges: ['127.0.0.1'] },
          remote_ip: { ranges: ['10.0.0.0/8'], not_ranges: ['10.1.0.0/16'] },
          sni: ['a.example.com', 'b.example.com'],
          sni_regexp: { pattern: '^(?<sub>.+)\\.example$' },
        },
      },
    ],
    ['tls sni_regexp host ^h', { tls: { sni_regexp: { name: 'host', pattern: '^h' } } }],
    ['vars {l4.tls.server_name} a.example b.example', { vars: { '{l4.tls.server_name}': ['a.example', 'b.example'] } }],
    ['vars_regexp {l4.http.host} ^www', { vars_regexp: { '{l4.http.host}': { name: 'm', pattern: '^www' } } }],
    [
      'winbox {\nmodes standard romon\nusername_regexp ^admin\n}',
      { winbox: { modes: ['standard', 'romon'], username_regexp: '^admin' } },
    ],
    ['wireguard 0', { wireguard: {} }],
    ['xmpp', { xmpp: {} }],
  ];
  for (const [text, expected] of cases) {
    it(text.split('\n')[0]!, () => {
      const set = matcherSet(text);
      expect(set).toEqual(expected);
      expect(stringifyConfig(set)).toBe(stringifyConfig(expected));
    });
  }

  it('rejects bad arguments at their token', () => {
    expect(error(':1 {\n@a ssh extra\n}').message).toContain(
      "wrong argument count or unexpected line ending after 'ssh'",
    );
    expect(error(':1 {\n@a clock 25:00:00 26:00:00\n}').message).toContain('parsing clock matcher time');
    expect(error(':1 {\n@a postgres {\nusers x\n}\n}').message).toContain(
      "malformed layer4 connection matcher 'postgres': unrecognized option 'users'",
    );
    expect(error(':1 {\n@a rdp {\ncookie_hash a\ncustom_info b\n}\n}').message).toContain(
      "rdp option 'custom_info' can't be combined with other options",
    );
    expect(error(':1 {\n@a socks4 {\nports 70000\n}\n}').message).toContain(
      'parsing socks4 option \'ports\': strconv.ParseUint: parsing "70000": value out of range',
    );
    expect(error(':1 {\n@a tls bogus x\n}').message).toContain("getting matcher module 'bogus'");
    expect(error(':1 {\n@a remote_ip\n}')).toMatchObject({ line: 4, column: 4 });
  });
});

describe('layer4 handlers', () => {
  const cases: [string, unknown][] = [
    ['close', { handler: 'close' }],
    [
      'proxy {\nlb_policy ip_hash\nupstream {\ndial tcp/[::1]:5432\ntls_client_auth cert.pem key.pem\ntls_server_name db\ntls_timeout 3s\ntls_curves x25519 secp256r1\ntls_trust_pool file ca.pem\nweight 2\n}\n}',
      {
        handler: 'proxy',
        load_balancing: { selection: { policy: 'ip_hash' } },
        upstreams: [
          {
            dial: ['tcp/[::1]:5432'],
            tls: {
              ca: { pem_files: ['ca.pem'], provider: 'file' },
              client_certificate_file: 'cert.pem',
              client_certificate_key_file: 'key.pem',
              curves: ['x25519', 'secp256r1'],
              handshake_timeout: 3000000000,
              server_name: 'db',
            },
            weight: 2,
          },
        ],
      },
    ],
    [
      'proxy a:1 b:2 {\nproxy_protocol v1\nlb_policy random_choose\n}',
      {
        handler: 'proxy',
        load_balancing: { selection: { policy: 'random_choose' } },
        proxy_protocol: 'v1',
        upstreams: [{ dial: ['a:1'] }, { dial: ['b:2'] }],
      },
    ],
    ['proxy_protocol', { handler: 'proxy_protocol' }],
    [
      'proxy_protocol {\nallow private_ranges\nfallback_policy ignore\n}',
      {
        allow: ['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8', '127.0.0.1/8', 'fd00::/8', '::1'],
        handler: 'proxy_protocol',
      },
    ],
    ['socks5 {\nbind_ip 10.0.0.1\n}', { bind_ip: '10.0.0.1', handler: 'socks5' }],
    [
      'subroute {\nmatching_timeout 200ms\nroute {\necho\n}\n}',
      { handler: 'subroute', matching_timeout: 200000000, routes: [{ handle: [{ handler: 'echo' }] }] },
    ],
    [
      'throttle {\nread_bytes_per_second 1.5e6\nread_burst_size 1000\ntotal_read_bytes_per_second 2000000\nlatency 100ms\n}',
      {
        handler: 'throttle',
        latency: 100000000,
        read_burst_size: 1000,
        read_bytes_per_second: 1500000,
        total_read_bytes_per_second: 2000000,
      },
    ],
    [
      'tls {\nconnection_policy {\nmatch {\nsni a.example\n}\nalpn h2 http/1.1\nprotocols tls1.2 tls1.3\nciphers TLS_AES_128_GCM_SHA256\ndefault_sni a.example\ndrop\nclient_auth {\nmode request\ntrusted_leaf_cert AAAA\n}\n}\nconnection_policy {\n}\n}',
      {
        connection_policies: [
          {
            alpn: ['h2', 'http/1.1'],
            cipher_suites: ['TLS_AES_128_GCM_SHA256'],
            client_authentication: { mode: 'request', trusted_leaf_certs: ['AAAA'] },
            default_sni: 'a.example',
            drop: true,
            match: { sni: ['a.example'] },
            protocol_max: 'tls1.3',
            protocol_min: 'tls1.2',
          },
          {},
        ],
        handler: 'tls',
      },
    ],
    [
      'vars first 1 {\nsecond true\nthird "42"\nfourth {l4.conn.remote_addr}\n}',
      {
        first: 1,
        fourth: '{l4.conn.remote_addr}',
        handler: 'vars',
        second: true,
        third: '42',
      },
    ],
    [
      'tls {\nconnection_policy {\nclient_auth {\ntrust_pool combined {\nsource pki_root {\nauthority local\n}\nsource file ca.pem\n}\nverifier leaf {\nfile a.pem b.pem\n}\nverifier leaf {\nfolder /certs x\n}\n}\n}\n}',
      {
        connection_policies: [
          {
            client_authentication: {
              ca: {
                provider: 'combined',
                sources: [
                  { authority: ['local'], provider: 'pki_root' },
                  { pem_files: ['ca.pem'], provider: 'file' },
                ],
              },
              verifiers: [
                { leaf_certs_loaders: [{ files: ['a.pem', 'b.pem'], loader: 'file' }], verifier: 'leaf' },
                { leaf_certs_loaders: [{ folders: ['/certs', 'x'], loader: 'folder' }], verifier: 'leaf' },
              ],
            },
          },
        ],
        handler: 'tls',
      },
    ],
    [
      'tls {\nconnection_policy {\ncert_selection {\nany_tag a b\nall_tags c\npublic_key_algorithm RSA\nsubject_organization Org\nserial_number 007 -5\n}\n}\n}',
      {
        connection_policies: [
          {
            certificate_selection: {
              all_tags: ['c'],
              any_tag: ['a', 'b'],
              public_key_algorithm: 1,
              serial_number: ['7', '-5'],
              subject_organization: ['Org'],
            },
          },
        ],
        handler: 'tls',
      },
    ],
    ['tee {\necho\nclose\n}', { branch: [{ handler: 'echo' }, { handler: 'close' }], handler: 'tee' }],
  ];
  for (const [text, expected] of cases) {
    it(text.split('\n')[0]!, () => {
      const h = handler(text);
      expect(h).toEqual(expected);
      expect(stringifyConfig(h)).toBe(stringifyConfig(expected));
    });
  }

  it('rejects bad arguments at their token', () => {
    expect(error(':1 {\nroute {\necho 1\n}\n}').message).toContain(
      "wrong argument count or unexpected line ending after 'echo'",
    );
    expect(error(':1 {\nroute {\nclose {\nx\n}\n}\n}').message).toContain(
      'malformed close handler: blocks are not supported',
    );
    expect(error(':1 {\nroute {\nproxy {\nlb_policy nope\n}\n}\n}').message).toContain(
      "'layer4.proxy.selection_policies.nope'",
    );
    expect(error(':1 {\nroute {\nproxy {\nproxy_protocol v3\n}\n}\n}').message).toContain(
      "malformed proxy option 'proxy_protocol': unrecognized value 'v3'",
    );
    expect(error(':1 {\nroute {\nproxy {\nhealth_port x\n}\n}\n}').message).toContain(
      "parsing proxy option 'health_port': strconv.ParseInt",
    );
    expect(error(':1 {\nroute {\nproxy {\nupstream {\nmax_connections 1\n}\n}\n}\n}').message).toContain(
      'no dial address',
    );
    expect(error(':1 {\nroute {\nsocks5 {\ncredentials a\n}\n}\n}').message).toContain('wrong argument count');
    expect(error(':1 {\nroute {\ntls {\nconnection_policy {\nprotocols tls1.9\n}\n}\n}\n}').message).toContain(
      "protocol not supported: 'tls1.9'",
    );
  });
});
