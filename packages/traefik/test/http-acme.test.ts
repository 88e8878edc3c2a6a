/**
 * @module http-acme.test: where the static configuration meets HTTP routers: routers' certificate resolvers, entry
 * point settings applied to the routers' servers, and UDP entry points left to UDP routers.
 */
import type { HttpServer } from '@proxy/contract';
import { describe, expect, it } from 'vitest';
import { adaptTraefik, formatTraefikDiagnostic, type TraefikAdaptResult } from '../src/index.js';

const STATIC = [
  'entryPoints:',
  '  web:',
  '    address: ":8080"',
  '  websecure:',
  '    address: ":8443"',
  '    asDefault: true',
  '  dns:',
  '    address: ":5353/udp"',
  'certificatesResolvers:',
  '  le:',
  '    acme:',
  '      caServer: https://127.0.0.1:14000/dir',
  '      httpChallenge:',
  '        entryPoint: web',
  '  alpn:',
  '    acme:',
  '      tlsChallenge: {}',
];

const SERVICE = ['  services:', '    s:', '      loadBalancer:', '        servers: [{url: "http://127.0.0.1:9000"}]'];

function adapt(routers: string[], stat: string[] = STATIC): TraefikAdaptResult {
  return adaptTraefik({
    dynamic: { text: `${['http:', '  routers:', ...routers, ...SERVICE].join('\n')}\n`, file: 'd.yml' },
    static: { text: `${stat.join('\n')}\n`, file: 't.yml' },
  });
}

function ok(r: TraefikAdaptResult): NonNullable<TraefikAdaptResult['config']> {
  expect(r.errors.map((d) => formatTraefikDiagnostic(d))).toEqual([]);
  return r.config!;
}

const servers = (r: TraefikAdaptResult): Record<string, HttpServer> => ok(r).apps!.http!.servers!;

describe('HTTP routers with a certificate resolver', () => {
  it('obtain the Host names of their rule (lower case, no trailing dot), or tls.domains when given', () => {
    const r = adapt([
      '    by-rule:',
      '      rule: "Host(`App.example.com.`) || (Host(`www.example.com`) && PathPrefix(`/x`))"',
      '      service: s',
      '      tls:',
      '        certResolver: le',
      '    by-domains:',
      '      rule: "HostRegexp(`^.+\\\\.example\\\\.org$`)"',
      '      service: s',
      '      tls:',
      '        certResolver: alpn@file',
      '        domains:',
      '          - main: example.org',
      '            sans: [api.example.org]',
    ]);
    const tls = ok(r).apps!.tls!;
    expect(tls.certificates!.automate).toEqual(
      expect.arrayContaining(['app.example.com', 'www.example.com', 'example.org', 'api.example.org']),
    );
    const policies = tls.automation!.policies!;
    expect(policies[0]).toMatchObject({
      subjects: ['app.example.com', 'www.example.com'],
      issuers: [{ module: 'acme', ca: 'https://127.0.0.1:14000/dir', challenges: { http: { alternate_port: 8080 } } }],
    });
    expect(policies[1]).toMatchObject({
      subjects: ['example.org', 'api.example.org'],
      issuers: [{ module: 'acme', challenges: { http: { disabled: true } } }],
    });
    // Served by the routers' HTTPS server, on the default entry point only (the UDP one is not an HTTP one).
    expect(Object.keys(servers(r)).sort()).toEqual(['web', 'websecure']);
    expect(servers(r)['websecure']!.tls_connection_policies).toBeDefined();
  });

  it('warn when there is no name to obtain (a HostRegexp rule, no tls.domains)', () => {
    const r = adapt([
      '    r:',
      '      rule: "HostRegexp(`^.+$`)"',
      '      service: s',
      '      tls:',
      '        certResolver: alpn',
    ]);
    // only the default certificate's policy
    expect(ok(r).apps!.tls!.automation!.policies!.map((p) => p.issuers?.[0]?.module)).toEqual(['internal']);
    expect(r.warnings.map((d) => formatTraefikDiagnostic(d))).toEqual([
      'd.yml:7:9: http.routers.r.tls.certResolver: no domain to obtain a certificate for (no tls.domains, no host in the rule)',
    ]);
  });

  it('name an unknown resolver, and a UDP entry point, at their line', () => {
    const r = adapt([
      '    r:',
      '      entryPoints: [dns]',
      '      rule: "Host(`a.example.com`)"',
      '      service: s',
      '      tls:',
      '        certResolver: nope',
    ]);
    expect(r.config).toBeUndefined();
    expect(r.errors.map((d) => formatTraefikDiagnostic(d))).toEqual([
      'd.yml:8:9: http.routers.r.tls.certResolver: the certificate resolver "nope" does not exist (static configuration: le, alpn)',
    ]);
    const udp = adapt([
      '    r:',
      '      entryPoints: [dns]',
      '      rule: "Host(`a.example.com`)"',
      '      service: s',
    ]);
    expect(udp.errors.map((d) => formatTraefikDiagnostic(d))).toEqual([
      'd.yml:4:21: http.routers.r.entryPoints[0]: the entry point "dns" is a UDP one (address .../udp): HTTP routers cannot use it',
    ]);
  });
});

describe('entry point settings on the HTTP routers’ servers', () => {
  it('the httpChallenge entry point with HTTP routers keeps their server (no second one on its address)', () => {
    const s = servers(
      adapt([
        '    plain:',
        '      entryPoints: [web]',
        '      rule: "Host(`a.example.com`)"',
        '      service: s',
        '    secure:',
        '      rule: "Host(`a.example.com`)"',
        '      service: s',
        '      tls:',
        '        certResolver: le',
      ]),
    );
    expect(Object.keys(s).sort()).toEqual(['web', 'websecure']);
    expect(s['web']!.routes![0]!.match).toEqual([{ host: ['a.example.com'] }]);
  });

  it('a redirection comes before the routers of its entry point; forwardedHeaders and timeouts reach them', () => {
    const stat = [
      'entryPoints:',
      '  web:',
      '    address: ":8080"',
      '    forwardedHeaders:',
      '      trustedIPs: ["10.0.0.0/8"]',
      '    transport:',
      '      respondingTimeouts:',
      '        readTimeout: 5s',
      '    http:',
      '      redirections:',
      '        entryPoint:',
      '          to: websecure',
      '  websecure:',
      '    address: ":8443"',
    ];
    const s = servers(
      adapt(
        [
          '    plain:',
          '      entryPoints: [web]',
          '      rule: "Host(`a.example.com`)"',
          '      service: s',
          '    secure:',
          '      entryPoints: [websecure]',
          '      rule: "Host(`a.example.com`)"',
          '      service: s',
          '      tls: {}',
        ],
        stat,
      ),
    );
    const web = s['web']!;
    expect(web.routes!.map((r) => r.handle![0]!.handler)).toEqual([
      'static_response',
      'static_response',
      'invoke',
      'static_response',
    ]);
    expect(web.routes![0]).toMatchObject({
      match: [{ method: ['GET'] }],
      handle: [{ status_code: 301, headers: { Location: ['https://{http.request.host}:8443{http.request.uri}'] } }],
    });
    expect(web.trusted_proxies).toEqual({ source: 'static', ranges: ['10.0.0.0/8'] });
    expect(web.read_timeout).toBe('5s');
    // the HTTPS entry point's routers are untouched
    expect(s['websecure']!.routes![0]!.handle).toEqual([{ handler: 'invoke', name: 's' }]);
  });

  it('a redirection with a priority goes after the routers of higher priority, before the others', () => {
    const stat = [
      'entryPoints:',
      '  web:',
      '    address: ":8080"',
      '    http:',
      '      redirections:',
      '        entryPoint:',
      '          to: websecure',
      '          priority: 10',
      '  websecure:',
      '    address: ":8443"',
    ];
    const router = (name: string, rule: string, priority?: number) => [
      `    ${name}:`,
      '      entryPoints: [web]',
      `      rule: "${rule}"`,
      '      service: s',
      ...(priority ? [`      priority: ${priority}`] : []),
    ];
    const s = servers(
      adapt(
        [
          ...router('health', 'Path(`/health`)', 20),
          ...router('low', 'Host(`a.example.com`)', 5),
          // default priority: the rule's length (29)
          ...router('long', 'Host(`long-name.example.com`)'),
        ],
        stat,
      ),
    );
    const web = s['web']!;
    const shape = web.routes!.map((r) =>
      r.handle![0]!.handler === 'invoke'
        ? JSON.stringify(r.match)
        : `${(r.handle![0] as { status_code?: number }).status_code}`,
    );
    expect(shape).toEqual([
      '[{"host":["long-name.example.com"]}]',
      '[{"path_regexp":{"pattern":"^/health$"}}]',
      '301',
      '308',
      '[{"host":["a.example.com"]}]',
      '404',
    ]);
  });

  it('an entry point that redirects or answers http-01 stays plain HTTP: TLS routers are left out by default, refused by name', () => {
    const stat = [
      'entryPoints:',
      '  web:',
      '    address: ":8080"',
      '    http:',
      '      redirections:',
      '        entryPoint:',
      '          to: websecure',
      '  websecure:',
      '    address: ":8443"',
    ];
    const tlsRouter = ['    r:', '      rule: "Host(`a.example.com`)"', '      service: s', '      tls: {}'];
    const r = adapt(tlsRouter, stat);
    const s = servers(r);
    expect(s['web']!.tls_connection_policies).toBeUndefined();
    expect(s['web']!.routes!.map((x) => (x.handle![0] as { status_code?: number }).status_code)).toEqual([301, 308]);
    expect(s['websecure']!.tls_connection_policies).toBeDefined();
    expect(r.warnings.map((d) => formatTraefikDiagnostic(d))).toEqual([
      'd.yml:3:5: http.routers.r: not served on the entry point "web", which serves plain HTTP (its http.redirections): one entry point is either HTTP or HTTPS here (name its entryPoints)',
    ]);
    const explicit = adapt([...tlsRouter, '      entryPoints: [web, websecure]'], stat);
    expect(explicit.config).toBeUndefined();
    expect(explicit.errors.map((d) => formatTraefikDiagnostic(d))).toEqual([
      'd.yml:3:5: http.routers.r: the entry point "web" serves plain HTTP (its http.redirections): TLS routers on it are not supported by this adapter (one entry point is either HTTP or HTTPS here)',
    ]);
    // the httpChallenge entry point of a resolver, the same
    const challenge = adapt(
      ['    r:', '      rule: "Host(`a.example.com`)"', '      service: s', '      tls:', '        certResolver: le'],
      STATIC.filter((l) => !l.includes('asDefault')),
    );
    expect(Object.keys(servers(challenge)).sort()).toEqual(['web', 'websecure']);
    expect(servers(challenge)['web']!.tls_connection_policies).toBeUndefined();
    expect(challenge.warnings.map((d) => formatTraefikDiagnostic(d))).toEqual([
      'd.yml:3:5: http.routers.r: not served on the entry point "web", which serves plain HTTP (ACME http-01 challenges): one entry point is either HTTP or HTTPS here (name its entryPoints)',
    ]);
  });
});
