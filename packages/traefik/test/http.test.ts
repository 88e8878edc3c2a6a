import type { HttpServer } from '@proxy/contract';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CERT_NAME } from '../src/default-cert.js';
import { countGroups, goTemplateToPlaceholders } from '../src/http-middlewares.js';
import { defaultCookieName } from '../src/http-services.js';
import { adaptTraefik, formatTraefikDiagnostic, type TraefikFile } from '../src/index.js';

const yml = (lines: string[]): TraefikFile => ({ text: `${lines.join('\n')}\n`, file: 'd.yml' });

/** The forwarded headers every proxy sets, as Traefik's. */
const FWD = { 'X-Forwarded-Server': ['{system.hostname}'], 'X-Real-Ip': ['{http.vars.client_ip}'] };

const SERVICE = ['  services:', '    s:', '      loadBalancer:', '        servers: [{url: "http://127.0.0.1:8080"}]'];

function adapt(dynamic: TraefikFile, stat?: string[]) {
  return adaptTraefik({ dynamic, ...(stat ? { static: { text: `${stat.join('\n')}\n`, file: 't.yml' } } : {}) });
}

function errors(dynamic: TraefikFile, stat?: string[]): string[] {
  const r = adapt(dynamic, stat);
  expect(r.config).toBeUndefined();
  return r.errors.map((d) => formatTraefikDiagnostic(d));
}

function servers(dynamic: TraefikFile, stat?: string[]): Record<string, HttpServer> {
  const r = adapt(dynamic, stat);
  expect(r.errors.map((d) => formatTraefikDiagnostic(d))).toEqual([]);
  return r.config!.apps!.http!.servers!;
}

/** One router on the default entry point with the given middleware definitions; its route's handlers. */
function handlersWith(middlewares: string[], service = SERVICE): unknown[] {
  const names = middlewares.filter((l) => /^ {4}\S/.test(l)).map((l) => l.trim().replace(/:$/, ''));
  const s = servers(
    yml([
      'http:',
      '  routers:',
      '    r:',
      '      rule: "Host(`a.io`)"',
      '      service: s',
      `      middlewares: [${names.join(', ')}]`,
      '  middlewares:',
      ...middlewares,
      ...service,
    ]),
  );
  const handle = s['http']!.routes![0]!.handle!;
  const invoke = handle.at(-1) as { handler: string; name: string };
  expect(invoke.handler).toBe('invoke');
  // the middlewares, then the service's named route
  return [...handle.slice(0, -1), ...s['http']!.named_routes![invoke.name]!.handle!];
}

describe('HTTP routers', () => {
  it('become terminal routes by priority (rule length by default), then Traefik’s 404; no automatic HTTPS', () => {
    const s = servers(
      yml([
        'http:',
        '  routers:',
        '    short:',
        '      rule: "Host(`a.io`)"',
        '      service: s@file',
        '    long:',
        '      rule: "Host(`a.io`) && PathPrefix(`/api`)"',
        '      service: s',
        '    pinned:',
        '      rule: "Path(`/`)"',
        '      priority: 1000',
        '      service: s',
        ...SERVICE,
      ]),
    );
    const server = s['http']!;
    expect(server.listen).toEqual([':80']);
    expect(server.automatic_https).toEqual({ disable: true });
    expect(server.routes!.map((r) => r.match)).toEqual([
      [{ path_regexp: { pattern: '^/$' } }],
      [{ host: ['a.io'], path_regexp: { pattern: '^/api' } }],
      [{ host: ['a.io'] }],
      undefined,
    ]);
    expect(server.routes!.slice(0, 3).every((r) => r.terminal)).toBe(true);
    expect(server.routes![3]!.handle).toEqual([
      {
        handler: 'static_response',
        status_code: 404,
        headers: { 'Content-Type': ['text/plain; charset=utf-8'], 'X-Content-Type-Options': ['nosniff'] },
        body: '404 page not found\n',
      },
    ]);
  });

  it('share one named route per service on a server, so its proxy (health checks, round robin) is one', () => {
    const s = servers(
      yml([
        'http:',
        '  routers:',
        '    a:',
        '      rule: "Host(`a.io`)"',
        '      service: s',
        '    b:',
        '      rule: "Host(`b.io`)"',
        '      service: s@file',
        ...SERVICE,
      ]),
    )['http']!;
    expect(s.routes!.slice(0, 2).map((r) => r.handle)).toEqual([
      [{ handler: 'invoke', name: 's' }],
      [{ handler: 'invoke', name: 's' }],
    ]);
    expect(s.named_routes).toEqual({
      s: {
        handle: [
          { handler: 'reverse_proxy', headers: { request: { set: FWD } }, upstreams: [{ dial: '127.0.0.1:8080' }] },
        ],
      },
    });
  });

  it('name what is wrong at its line', () => {
    const base = ['http:', '  routers:', '    r:', '      rule: "Host(`a.io`)"'];
    expect(errors(yml([...base, '      service: nope', ...SERVICE]))).toEqual([
      'd.yml:5:7: http.routers.r.service: the HTTP service "nope" does not exist',
    ]);
    expect(errors(yml([...base, '      service: s@docker', ...SERVICE]))).toEqual([
      'd.yml:5:7: http.routers.r.service: only services of the file provider (@file) can be referred to',
    ]);
    expect(errors(yml([...base, '      service: s', '      middlewares: [m]', ...SERVICE]))).toEqual([
      'd.yml:6:21: http.routers.r.middlewares[0]: the HTTP middleware "m" does not exist',
    ]);
    expect(errors(yml([...base, '      service: s', '      entryPoints: [websecure]', ...SERVICE]))).toEqual([
      'd.yml:6:21: http.routers.r.entryPoints[0]: the entry point "websecure" does not exist (static configuration: http)',
    ]);
    expect(errors(yml([...base, '      service: s', '      tls:', '        certResolver: le', ...SERVICE]))).toEqual([
      'd.yml:7:9: http.routers.r.tls.certResolver: the certificate resolver "le" does not exist (static configuration: no certificatesResolvers)',
    ]);
    expect(errors(yml([...base, '      service: s', '      observability: {}', ...SERVICE]))).toEqual([
      'd.yml:6:7: http.routers.r.observability: observability is not supported by this adapter',
    ]);
  });

  it('serve HTTPS on an entry point of TLS routers, with options chosen by Host and the default certificate', () => {
    const r = adapt(
      yml([
        'http:',
        '  routers:',
        '    a:',
        '      rule: "Host(`a.io`)"',
        '      service: s',
        '      tls: {options: modern}',
        '    b:',
        '      rule: "Host(`b.io`)"',
        '      service: s',
        '      tls: {}',
        ...SERVICE,
        'tls:',
        '  options:',
        '    modern:',
        '      minVersion: VersionTLS13',
      ]),
    );
    expect(r.errors).toEqual([]);
    const fallback = { default_sni: DEFAULT_CERT_NAME, fallback_sni: DEFAULT_CERT_NAME };
    expect(r.config!.apps!.http!.servers!['http']!.tls_connection_policies).toEqual([
      { match: { sni: ['a.io'] }, protocol_min: 'tls1.3', ...fallback },
      fallback,
    ]);
    // the default certificate is issued by the local CA
    expect(r.config!.apps!.tls!.certificates!.automate).toEqual([DEFAULT_CERT_NAME]);
  });

  it('keep an entry point HTTP or HTTPS: default-attached routers of the other kind are left out with a warning', () => {
    const stat = ['entryPoints:', '  web: {address: ":8080"}', '  websecure: {address: ":8443"}'];
    const r = adapt(
      yml([
        'http:',
        '  routers:',
        '    secure:',
        '      rule: "Host(`a.io`)"',
        '      entryPoints: [websecure]',
        '      service: s',
        '      tls: {}',
        '    plain:',
        '      rule: "Host(`a.io`)"',
        '      service: s',
        ...SERVICE,
      ]),
      stat,
    );
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((d) => formatTraefikDiagnostic(d, 'warning'))).toEqual([
      'd.yml:8:5: warning: http.routers.plain: not served on the entry point "websecure", which has TLS routers: one entry point is either HTTP or HTTPS here (name its entryPoints)',
    ]);
    const s = r.config!.apps!.http!.servers!;
    expect(s['web']!.tls_connection_policies).toBeUndefined();
    expect(s['websecure']!.routes!.length).toBe(2);
    expect(
      errors(
        yml([
          'http:',
          '  routers:',
          '    secure:',
          '      rule: "Host(`a.io`)"',
          '      service: s',
          '      tls: {}',
          '    plain:',
          '      rule: "Host(`b.io`)"',
          '      service: s',
          ...SERVICE,
        ]),
      )[0],
    ).toContain('the entry point "http" has TLS routers (secure) and non-TLS routers (plain)');
  });

  it('refuse TCP and HTTP routers on one entry point', () => {
    const text = yml([
      'tcp:',
      '  routers:',
      '    t:',
      '      rule: "HostSNI(`*`)"',
      '      service: t',
      '  services:',
      '    t:',
      '      loadBalancer:',
      '        servers: [{address: "127.0.0.1:1"}]',
      'http:',
      '  routers:',
      '    r:',
      '      rule: "Host(`a.io`)"',
      '      service: s',
      ...SERVICE,
    ]);
    expect(errors(text)).toEqual([
      'd.yml:12:5: http.routers.r: the entry point "http" also has TCP routers: TCP and HTTP routers on one entry point are not supported by this adapter',
    ]);
  });
});

describe('HTTP services', () => {
  const lb = (lines: string[], extra: string[] = []): unknown[] =>
    handlersWith([], ['  services:', '    s:', '      loadBalancer:', ...lines.map((l) => `        ${l}`), ...extra]);
  const lbErrors = (lines: string[], extra: string[] = []): string[] =>
    errors(
      yml([
        'http:',
        '  routers:',
        '    r:',
        '      rule: "Host(`a.io`)"',
        '      service: s',
        '  services:',
        '    s:',
        '      loadBalancer:',
        ...lines.map((l) => `        ${l}`),
        ...extra,
      ]),
    );

  it('round-robin over server URLs (weighted when weights differ), with https through a TLS transport', () => {
    expect(lb(['servers:', '  - url: "http://a:81"', '  - url: "http://b"'])).toEqual([
      {
        handler: 'reverse_proxy',
        load_balancing: { selection_policy: { policy: 'round_robin' } },
        headers: { request: { set: FWD } },
        upstreams: [{ dial: 'a:81' }, { dial: 'b:80' }],
      },
    ]);
    const transport = [
      '  serversTransports:',
      '    t:',
      '      insecureSkipVerify: true',
      '      serverName: back.internal',
      '      rootCAs: [/etc/ca.pem]',
      '      disableHTTP2: true',
      '      forwardingTimeouts: {dialTimeout: 5, responseHeaderTimeout: "1m30s"}',
    ];
    expect(
      lb(
        [
          'serversTransport: t@file',
          'servers:',
          '  - {url: "https://a", weight: 3}',
          '  - {url: "https://b:8443", weight: 1}',
          '  - {url: "https://c", weight: 0}',
        ],
        transport,
      ),
    ).toEqual([
      {
        handler: 'reverse_proxy',
        load_balancing: { selection_policy: { policy: 'weighted_round_robin', weights: [3, 1] } },
        headers: { request: { set: FWD } },
        transport: {
          protocol: 'http',
          dial_timeout: '5s',
          response_header_timeout: '1m30s',
          versions: ['1.1'],
          tls: { server_name: 'back.internal', insecure_skip_verify: true, root_ca_pem_files: ['/etc/ca.pem'] },
        },
        upstreams: [{ dial: 'a:443' }, { dial: 'b:8443' }],
      },
    ]);
  });

  it('map passHostHeader, healthCheck and sticky cookies', () => {
    expect(
      lb([
        'passHostHeader: false',
        'healthCheck: {path: /health, interval: 10, timeout: 3s, hostname: h.io, headers: {X-Probe: "1"}, status: 204, port: 9000}',
        'sticky:',
        '  cookie: {httpOnly: true, secure: true, sameSite: lax, maxAge: 60}',
        'servers: [{url: "http://a"}, {url: "http://b"}]',
      ]),
    ).toEqual([
      {
        handler: 'headers',
        response: {
          replace: {
            'Set-Cookie': [
              {
                search_regexp: `^(${defaultCookieName('s@file')}=[^;]*).*$`,
                replace: '$1; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax',
              },
            ],
          },
          deferred: true,
        },
      },
      {
        handler: 'reverse_proxy',
        load_balancing: {
          selection_policy: {
            policy: 'cookie',
            name: defaultCookieName('s@file'),
            fallback: { policy: 'round_robin' },
          },
        },
        health_checks: {
          active: {
            uri: '/health',
            port: 9000,
            headers: { Host: ['h.io'], 'X-Probe': ['1'] },
            interval: '10s',
            timeout: '3s',
            expect_status: 204,
          },
        },
        headers: { request: { set: { ...FWD, Host: ['{http.reverse_proxy.upstream.host}'] } } },
        upstreams: [{ dial: 'a:80' }, { dial: 'b:80' }],
      },
    ]);
    // Traefik's name for a service's cookie: "_" and six hex digits
    expect(defaultCookieName('s@file')).toMatch(/^_[0-9a-f]{6}$/);
  });

  it('refuse what they cannot serve, by name and line', () => {
    expect(lbErrors(['servers: [{url: "http://a/path"}]'])).toEqual([
      'd.yml:9:20: http.services.s.loadBalancer.servers[0].url: only scheme://host[:port] is supported in a server URL (no path, query or user)',
    ]);
    expect(lbErrors(['servers: [{url: "http://a"}, {url: "https://b"}]'])[0]).toContain(
      'servers[1]: the servers of one service must all be http or all https',
    );
    expect(lbErrors(['healthCheck: {scheme: https}', 'servers: [{url: "http://a"}]'])[0]).toContain(
      "healthCheck.scheme: health checks use the servers' scheme (http) here",
    );
    expect(lbErrors(['healthCheck: {mode: grpc}', 'servers: [{url: "http://a"}]'])[0]).toContain(
      'health check mode "grpc" is not supported',
    );
    expect(lbErrors(['servers: [{url: "http://a"}]', 'serversTransport: nope'])[0]).toContain(
      'the HTTP servers transport "nope" does not exist',
    );
    expect(
      errors(
        yml([
          'http:',
          '  services:',
          '    m:',
          '      mirroring: {service: s}',
          '    f:',
          '      failover: {service: s, fallback: t}',
        ]),
      ),
    ).toEqual([
      'd.yml:4:7: http.services.m.mirroring: mirroring services are not supported by this adapter (loadBalancer, weighted are)',
      'd.yml:6:7: http.services.f.failover: failover services are not supported by this adapter (loadBalancer, weighted are)',
    ]);
  });

  const weighted = (children: string[]): TraefikFile =>
    yml([
      'http:',
      '  routers:',
      '    r:',
      '      rule: "Host(`a.io`)"',
      '      service: w',
      '  services:',
      '    w:',
      '      weighted:',
      '        services: [{name: v1, weight: 3}, {name: v2@file, weight: 1}]',
      ...children,
    ]);

  it('flatten weighted services into one weighted round robin by share', () => {
    const s = servers(
      weighted([
        '    v1:',
        '      loadBalancer:',
        '        servers: [{url: "http://a:1"}, {url: "http://a:2"}]',
        '    v2:',
        '      weighted:',
        '        services: [{name: v3, weight: 1}]',
        '    v3:',
        '      loadBalancer:',
        '        servers: [{url: "http://b:1"}]',
      ]),
    )['http']!;
    expect(s.named_routes!['w']!.handle).toEqual([
      {
        handler: 'reverse_proxy',
        load_balancing: { selection_policy: { policy: 'weighted_round_robin', weights: [3, 3, 2] } },
        headers: { request: { set: FWD } },
        upstreams: [{ dial: 'a:1' }, { dial: 'a:2' }, { dial: 'b:1' }],
      },
    ]);
  });

  it('refuse weighted services whose children cannot be one proxy, and loops', () => {
    const lbOf = (name: string, extra: string[] = []) => [
      `    ${name}:`,
      '      loadBalancer:',
      `        servers: [{url: "http://${name}"}]`,
      ...extra.map((l) => `        ${l}`),
    ];
    expect(errors(weighted([...lbOf('v1'), ...lbOf('v2', ['passHostHeader: false'])]))).toEqual([
      'd.yml:9:44: http.services.w.weighted.services[1].name: the services of a weighted service are one proxy here: their passHostHeader, healthCheck, serversTransport and responseForwarding must be the same',
    ]);
    expect(errors(weighted([...lbOf('v1'), ...lbOf('v2', ['sticky: {cookie: {}}'])]))[0]).toContain(
      'a sticky service inside a weighted service is not supported by this adapter',
    );
    expect(errors(weighted([...lbOf('v1'), '    v2:', '      weighted:', '        services: [{name: w}]']))).toEqual([
      'd.yml:15:21: http.services.v2.weighted.services[0].name: the weighted services loop: w -> v2 -> w',
      'd.yml:9:44: http.services.w.weighted.services[1].name: the weighted services loop: v2 -> w -> v2',
    ]);
  });
});

describe('HTTP middlewares', () => {
  it('stripPrefix: the first matching prefix, case-sensitively, with X-Forwarded-Prefix', () => {
    expect(handlersWith(['    strip:', '      stripPrefix:', '        prefixes: [/api, /v1]'])[0]).toEqual({
      handler: 'subroute',
      routes: ['/api', '/v1'].map((p) => ({
        group: 'strip_prefix',
        match: [{ path_regexp: { pattern: `^${p}` } }],
        handle: [
          { handler: 'headers', request: { add: { 'X-Forwarded-Prefix': [p] } } },
          { handler: 'rewrite', strip_path_prefix: p },
        ],
      })),
    });
  });

  it('headers: custom headers (empty deletes) and the security headers, HSTS only over HTTPS', () => {
    const h = handlersWith([
      '    h:',
      '      headers:',
      '        customRequestHeaders: {X-Script-Name: test, x-drop: ""}',
      '        customResponseHeaders: {X-Custom: "{v}", Server: ""}',
      '        frameDeny: true',
      '        contentTypeNosniff: true',
      '        browserXssFilter: true',
      '        referrerPolicy: no-referrer',
      '        stsSeconds: 31536000',
      '        stsIncludeSubdomains: true',
    ]);
    expect(h.slice(0, 3)).toEqual([
      { handler: 'headers', request: { set: { 'X-Script-Name': ['test'] }, delete: ['X-Drop'] } },
      {
        handler: 'headers',
        response: {
          set: {
            'X-Frame-Options': ['DENY'],
            'X-Content-Type-Options': ['nosniff'],
            'X-XSS-Protection': ['1; mode=block'],
            'Referrer-Policy': ['no-referrer'],
            'X-Custom': ['\\{v\\}'],
          },
          delete: ['Server'],
          deferred: true,
        },
      },
      {
        handler: 'subroute',
        routes: [
          {
            match: [{ protocol: 'https' }],
            handle: [
              {
                handler: 'headers',
                response: {
                  set: { 'Strict-Transport-Security': ['max-age=31536000; includeSubDomains'] },
                  deferred: true,
                },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('chain: expanded in order; loops and missing members named', () => {
    const h = handlersWith([
      '    c:',
      '      chain: {middlewares: [a, b@file]}',
      '    a:',
      '      addPrefix: {prefix: /pre}',
      '    b:',
      '      replacePath: {path: /x}',
    ]);
    expect(h.slice(0, 3)).toEqual([
      { handler: 'rewrite', uri: '/pre{http.request.uri.path}' },
      { handler: 'headers', request: { add: { 'X-Replaced-Path': ['{http.request.uri.path}'] } } },
      { handler: 'rewrite', uri: '/x' },
    ]);
    const loop = errors(
      yml([
        'http:',
        '  routers:',
        '    r:',
        '      rule: "Host(`a.io`)"',
        '      service: s',
        '      middlewares: [c1]',
        '  middlewares:',
        '    c1:',
        '      chain: {middlewares: [c2]}',
        '    c2:',
        '      chain: {middlewares: [c1]}',
        ...SERVICE,
      ]),
    );
    expect(loop).toEqual([
      'd.yml:11:29: http.middlewares.c2.chain.middlewares[0]: the middleware chain loops: c1 -> c2 -> c1',
    ]);
  });

  it('basicAuth: bcrypt users; other hashes refused by name', () => {
    const hash = '$2y$05$Nj1Ll2LvgyAFbo.XRCp1eOR1iyMWJ1Kjk3tI1iK3vKdzHBUvhc5n2';
    const [h] = handlersWith([
      '    auth:',
      '      basicAuth:',
      `        users: ["bob:${hash}"]`,
      '        headerField: X-User',
    ]);
    expect(h).toMatchObject({
      handler: 'subroute',
      routes: [
        {
          handle: [
            {
              handler: 'authentication',
              providers: {
                http_basic: {
                  accounts: [{ username: 'bob', password: hash }],
                  hash: { algorithm: 'bcrypt' },
                  realm: 'traefik',
                },
              },
            },
            { handler: 'headers', request: { set: { 'X-User': ['{http.auth.user.id}'] } } },
          ],
        },
      ],
    });
    const refused = (user: string): string =>
      errors(
        yml(['http:', '  middlewares:', '    auth:', '      basicAuth:', '        users:', `          - "${user}"`]),
      )[0]!;
    expect(refused('bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=')).toBe(
      'd.yml:6:13: http.middlewares.auth.basicAuth.users[0]: user "bob": SHA-1 ({SHA}) hashes are not supported by the runtime: use bcrypt (htpasswd -nbB, or proxy hash-password)',
    );
    expect(refused('bob:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/')).toContain('MD5 (apr1) hashes are not supported');
    expect(refused('bob')).toContain('a user is "name:hash" (htpasswd)');
  });

  it('redirectRegex: the Go replacement as capture placeholders around the match', () => {
    expect(countGroups('^(a)(?:b)(?P<n>c)[(]\\(')).toBe(2);
    expect(goTemplateToPlaceholders('https://x/${1}$n$$ {y}$', 'r', 1)).toBe(
      'https://x/{http.regexp.r.2}{http.regexp.r.n}$ \\{y\\}$',
    );
    const [h] = handlersWith([
      '    rr:',
      '      redirectRegex: {regex: "^http://a.io/(.*)", replacement: "https://b.io/${1}", permanent: true}',
    ]);
    const routes = (h as { routes: { match: unknown[]; handle: { status_code: number; headers: unknown }[] }[] })
      .routes;
    expect(routes.map((r) => r.handle[0]!.status_code)).toEqual([301, 308]);
    expect(routes[0]!.match).toEqual([
      {
        vars_regexp: {
          '{http.request.scheme}://{http.request.hostport}{http.request.uri}': {
            name: 'traefik_rr_url',
            pattern: '^(.*?)(?:^http://a.io/(.*))(.*)$',
          },
        },
        method: ['GET'],
      },
    ]);
    expect(routes[0]!.handle[0]!.headers).toEqual({
      Location: [
        '{http.regexp.traefik_rr_url.1}https://b.io/{http.regexp.traefik_rr_url.2}{http.regexp.traefik_rr_url.3}',
      ],
      'Content-Type': ['text/plain; charset=utf-8'],
    });
  });

  it('ipAllowList and compress; what has no equivalent is refused by name', () => {
    expect(
      handlersWith(['    ip:', '      ipAllowList: {sourceRange: [10.0.0.0/8], rejectStatusCode: 404}'])[0],
    ).toEqual({
      handler: 'subroute',
      routes: [
        {
          match: [{ not: [{ remote_ip: { ranges: ['10.0.0.0/8'] } }] }],
          handle: [
            {
              handler: 'static_response',
              status_code: 404,
              headers: { 'Content-Type': ['text/plain; charset=utf-8'] },
              body: 'Not Found',
            },
          ],
        },
      ],
    });
    expect(handlersWith(['    gz:', '      compress: {encodings: [gzip], minResponseBodyBytes: 100}'])[0]).toEqual({
      handler: 'encode',
      encodings: { gzip: {} },
      prefer: ['gzip'],
      minimum_length: 100,
      match: { headers: { 'Content-Type': ['*'] } },
    });
    const refused = (lines: string[]): string => errors(yml(['http:', '  middlewares:', ...lines]))[0]!;
    expect(refused(['    rl:', '      rateLimit: {average: 1}'])).toBe(
      'd.yml:4:7: http.middlewares.rl.rateLimit: the rateLimit middleware is not supported by this adapter',
    );
    expect(refused(['    ip:', '      ipAllowList: {sourceRange: [10.0.0.0/8], ipStrategy: {depth: 2}}'])).toContain(
      'ipAllowList.ipStrategy.depth: ipStrategy.depth (X-Forwarded-For) is not supported by this adapter',
    );
    expect(refused(['    gz:', '      compress: {encodings: [br, gzip]}'])).toContain(
      'compress.encodings[0]: br (brotli) is not supported by the runtime',
    );
    expect(refused(['    h:', '      headers: {accessControlAllowOriginList: ["*"]}'])).toContain(
      'headers.accessControlAllowOriginList: accessControlAllowOriginList is not supported by this adapter',
    );
    expect(refused(['    x:', '      frobnicate: {}'])).toContain(
      'unsupported key "frobnicate" under an HTTP middleware',
    );
  });
});
