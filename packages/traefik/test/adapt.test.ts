import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CERT_NAME } from '../src/default-cert.js';
import { adaptTraefik, formatTraefikDiagnostic, type TraefikFile } from '../src/index.js';

const seedDir = fileURLToPath(new URL('./fixtures/seed/', import.meta.url));
const seed = (name: string): TraefikFile => ({ text: readFileSync(seedDir + name, 'utf8'), file: name });

function errors(dynamic: TraefikFile | TraefikFile[], stat?: TraefikFile): string[] {
  const r = adaptTraefik({ dynamic, ...(stat ? { static: stat } : {}) });
  expect(r.config).toBeUndefined();
  return r.errors.map((d) => formatTraefikDiagnostic(d));
}

function routes(text: string, file = 'dynamic.yml'): unknown[] {
  const r = adaptTraefik({ dynamic: { text, file } });
  expect(r.errors.map((d) => formatTraefikDiagnostic(d))).toEqual([]);
  const servers = (r.config!.apps!['layer4'] as { servers: Record<string, { routes: unknown[] }> }).servers;
  return servers['http']!.routes;
}

describe('the seed examples (Traefik TLS on TCP docs)', () => {
  for (const example of ['termination', 'passthrough']) {
    it(`${example}: the YAML and the TOML tab give the same JSON`, () => {
      const service = seed('service.yml');
      const yaml = adaptTraefik({ dynamic: [seed(`${example}.yml`), service] });
      const toml = adaptTraefik({ dynamic: [seed(`${example}.toml`), service] });
      expect(yaml.errors).toEqual([]);
      expect(toml.errors).toEqual([]);
      expect(yaml.config).toEqual(toml.config);
      const route = (yaml.config!.apps!['layer4'] as { servers: { http: { routes: unknown[] } } }).servers.http
        .routes[1];
      const proxy = { handler: 'proxy', upstreams: [{ dial: ['127.0.0.1:5432'] }] };
      const fallback = { default_sni: DEFAULT_CERT_NAME, fallback_sni: DEFAULT_CERT_NAME };
      expect(route).toEqual({
        match: [{ tls: { sni: ['foo-domain'] } }],
        handle: example === 'termination' ? [{ handler: 'tls', connection_policies: [fallback] }, proxy] : [proxy],
      });
      // Traefik's default certificate: only needed when something is terminated.
      expect(yaml.config!.apps!.tls !== undefined).toBe(example === 'termination');
    });
  }

  it('alone (no service defined), names the missing service at its line, in both formats', () => {
    expect(errors(seed('termination.yml'))).toEqual([
      'termination.yml:6:7: tcp.routers.Router-1.service: the TCP service "service-id" does not exist',
    ]);
    expect(errors(seed('passthrough.toml'))).toEqual([
      'passthrough.toml:5:5: tcp.routers.Router-1.service: the TCP service "service-id" does not exist',
    ]);
  });
});

describe('errors name the key path and its line', () => {
  it('in YAML lists and nested tables', () => {
    const text = [
      'tcp:',
      '  services:',
      '    s:',
      '      loadBalancer:',
      '        servers:',
      '          - address: "127.0.0.1:1"',
      '          - address: "no-port"',
    ].join('\n');
    expect(errors({ text, file: 'd.yml' })).toEqual([
      'd.yml:7:13: tcp.services.s.loadBalancer.servers[1].address: invalid address "no-port" (want host:port)',
    ]);
  });

  it('in TOML arrays of tables, dotted keys and quoted keys', () => {
    const text = [
      '[tcp.services."my.svc".loadBalancer]',
      '  [[tcp.services."my.svc".loadBalancer.servers]]',
      '    address = "127.0.0.1:1"',
      '  [[tcp.services."my.svc".loadBalancer.servers]]',
      '    address = "127.0.0.1:2"',
      '    tls = "yes"',
      '[tcp.routers.r]',
      '  tls.passthrough = "maybe"',
    ].join('\n');
    expect(errors({ text, file: 'd.toml' })).toEqual([
      'd.toml:6:5: tcp.services.my.svc.loadBalancer.servers[1].tls: expected true or false, got "yes"',
      'd.toml:8:3: tcp.routers.r.tls.passthrough: expected true or false, got "maybe"',
    ]);
  });

  it('for syntax errors of either format', () => {
    expect(errors({ text: 'tcp:\n  routers: [\n', file: 'bad.yml' })[0]).toMatch(/^bad\.yml:3:1: /);
    expect(errors({ text: '[tcp]\nrouters = \n', file: 'bad.toml' })[0]).toMatch(/^bad\.toml:2:\d+: /);
  });

  it('refuses Go templates with a clear error', () => {
    expect(errors({ text: 'tcp:\n  routers:\n{{ range $i := until 3 }}\n', file: 't.yml' })).toEqual([
      't.yml:3:1: Go templates in Traefik files are not supported: render the file first',
    ]);
  });

  it('in the static configuration', () => {
    const dyn = { text: 'tcp: {}\n', file: 'd.yml' };
    expect(errors(dyn, { text: 'entryPoints:\n  db:\n    address: ":5432/sctp"\n', file: 's.yml' })).toEqual([
      's.yml:3:5: entryPoints.db.address: invalid address ":5432/sctp" (want [host]:port, maybe with /tcp or /udp)',
    ]);
    expect(errors(dyn, { text: 'log:\n  level: DEBUG\n', file: 's.yml' })).toEqual([
      's.yml:1:1: log: log is not supported by this adapter',
    ]);
    expect(errors(dyn, { text: 'pilot:\n  token: x\n', file: 's.yml' })[0]).toContain(
      's.yml:1:1: pilot: unsupported key "pilot" under the static configuration',
    );
  });

  it('for a router defined in two files, pointing at the first', () => {
    const a = { text: 'tcp:\n  routers:\n    r:\n      rule: "HostSNI(`*`)"\n      service: s\n', file: 'a.yml' };
    const b = { text: '[tcp.routers.r]\nrule = "HostSNI(`*`)"\nservice = "s"\n', file: 'b.toml' };
    expect(errors([a, b])).toEqual(['b.toml:1:1: tcp.routers.r: the TCP router "r" is also defined at a.yml:3']);
  });

  it('for a router on an entry point the static configuration does not have', () => {
    const dyn = {
      text: 'tcp:\n  routers:\n    r:\n      entryPoints: [web]\n      rule: "HostSNI(`*`)"\n      service: s\n  services:\n    s:\n      loadBalancer:\n        servers: [{address: "h:1"}]\n',
      file: 'd.yml',
    };
    expect(errors(dyn)).toEqual([
      'd.yml:4:21: tcp.routers.r.entryPoints[0]: the entry point "web" does not exist (static configuration: http)',
    ]);
  });
});

describe('sections', () => {
  it('accept empty files and empty http/udp sections; check http routers', () => {
    expect(adaptTraefik({ dynamic: { text: '', file: 'e.yml' } }).config).toEqual({ apps: {} });
    expect(adaptTraefik({ dynamic: { text: 'http: {}\nudp:\n', file: 'e.yml' } }).config).toEqual({ apps: {} });
    expect(errors({ text: '[http.routers.web]\nrule = "Host(`a`)"\n', file: 'h.toml' })).toEqual([
      'h.toml:1:1: http.routers.web: an HTTP router needs a service',
    ]);
  });
});

describe('YAML', () => {
  it('takes anchors, aliases and merge keys', () => {
    const text = [
      'tcp:',
      '  routers:',
      '    a: &base',
      '      rule: "HostSNI(`*`)"',
      '      service: s',
      '    b:',
      '      <<: *base',
      '      rule: "HostSNI(`*`) && ClientIP(`10.0.0.1`)"',
      '  services:',
      '    s:',
      '      loadBalancer:',
      '        servers: [{address: "h:1"}]',
    ].join('\n');
    const r = routes(text);
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({ match: [{ remote_ip: { ranges: ['10.0.0.1'] } }] });
  });
});

describe('keys', () => {
  it('match without regard to case, as Traefik decodes them', () => {
    const r = routes(
      'TCP:\n  Routers:\n    r:\n      RULE: "HostSNI(`*`)"\n      Service: s\n  services:\n    s:\n      loadbalancer:\n        SERVERS: [{Address: "h:1"}]\n',
    );
    expect(r).toEqual([{ handle: [{ handler: 'proxy', upstreams: [{ dial: ['h:1'] }] }] }]);
  });
});

describe('priority', () => {
  const config = (routers: Record<string, { rule: string; priority?: number }>): string =>
    [
      'tcp:',
      '  routers:',
      ...Object.entries(routers).flatMap(([name, r]) => [
        `    ${name}:`,
        `      rule: ${JSON.stringify(r.rule)}`,
        ...(r.priority !== undefined ? [`      priority: ${r.priority}`] : []),
        `      service: ${name}`,
        '      tls:',
        '        passthrough: true',
      ]),
      '  services:',
      ...Object.keys(routers).flatMap((name) => [
        `    ${name}:`,
        '      loadBalancer:',
        `        servers: [{address: "${name}:1"}]`,
      ]),
    ].join('\n');
  const order = (rs: unknown[]): string[] =>
    rs
      .slice(1)
      .map(
        (r) =>
          (r as { handle: { upstreams: { dial: string[] }[] }[] }).handle[0]!.upstreams[0]!.dial[0]!.split(':')[0]!,
      );

  it('defaults to the rule length, longest first (Traefik: routes sorted by descending priority)', () => {
    const r = routes(
      config({
        a: { rule: 'HostSNI(`a.io`)' },
        b: { rule: 'HostSNI(`bbbbbbbbbbbbb.io`)' },
        c: { rule: 'HostSNI(`c.io`) || HostSNI(`cc.io`)' },
        d: { rule: 'HostSNI(`*`)' },
      }),
    );
    expect(order(r)).toEqual(['c', 'b', 'a', 'd']);
  });

  it('takes an explicit priority over the length, 0 meaning the default, negative ones last', () => {
    const r = routes(
      config({
        a: { rule: 'HostSNI(`a.io`)', priority: 100 },
        b: { rule: 'HostSNI(`bbbbbbbbbbbbb.io`)', priority: 0 },
        c: { rule: 'HostSNI(`c.io`)', priority: -3 },
        d: { rule: 'HostSNI(`*`)', priority: 2 },
      }),
    );
    expect(order(r)).toEqual(['a', 'b', 'd', 'c']);
  });

  it('counts the rule length in bytes, as Go does', () => {
    // both 23 characters; b's is 24 bytes, so it goes first (by name, a would)
    const r = routes(config({ a: { rule: 'ALPN(`ab`) || ALPN(`x`)' }, b: { rule: 'ALPN(`é`) || ALPN(`xx`)' } }));
    expect(order(r)).toEqual(['b', 'a']);
  });

  it('breaks ties by router name', () => {
    const r = routes(config({ z: { rule: 'HostSNI(`z.io`)' }, y: { rule: 'HostSNI(`y.io`)' } }));
    expect(order(r)).toEqual(['y', 'z']);
  });
});
