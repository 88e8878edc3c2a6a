/**
 * @module bench/lib/configs: equivalent server configs for proxy, Caddy, nginx and HAProxy, generated from one
 * description of a scenario (pure functions: no I/O, so `pnpm test` can check them).
 */

/**
 * @typedef {object} Description
 * @property {'https-respond' | 'tls-terminate' | 'sni-passthrough' | 'pg-starttls'} kind
 * @property {number} port         where the server listens (127.0.0.1)
 * @property {number} [upstream]   the upstream's port (127.0.0.1)
 * @property {string} [sni]        the server name routed (sni-passthrough, pg-starttls)
 * @property {{cert: string, key: string, pem: string}} tls  certificate files (pem = cert + key, for HAProxy)
 * @property {number} workers      server processes/threads (1 = one core)
 * @property {string} dir          the scenario's temp dir (logs, pid files, state)
 */

/** The systems each kind can be served by (Debian's caddy 2.6 has no layer4 app; nginx/HAProxy no PostgreSQL STARTTLS). */
export const SYSTEMS = {
  'https-respond': ['proxy', 'caddy', 'nginx', 'haproxy'],
  'tls-terminate': ['proxy', 'nginx', 'haproxy'],
  'sni-passthrough': ['proxy', 'nginx', 'haproxy'],
  'pg-starttls': ['proxy'],
};

/**
 * The config file for `system` serving description `d`: { file, text } (file relative to d.dir).
 * @param {string} system
 * @param {Description} d
 */
export function configFor(system, d) {
  const gen = GENERATORS[system]?.[d.kind];
  if (!gen) throw new Error(`${system} cannot serve ${d.kind}`);
  return gen(d);
}

/**
 * Every system negotiates the same TLS key exchange: X25519, the first group of the peers' OpenSSL 3.0 defaults.
 * (Node 22's OpenSSL 3.5 would pick the hybrid X25519MLKEM768 first, which costs about 20% more per handshake:
 * a different workload, not a faster or slower server.)
 */
export const CURVE = { go: 'x25519', openssl: 'X25519' };

/** The layer4 `tls` handler with the shared key exchange. */
const proxyTlsHandler = { handler: 'tls', connection_policies: [{ curves: [CURVE.go] }] };

const proxyLayer4 = (d, routes) => ({
  file: 'proxy.json',
  text: JSON.stringify(
    {
      admin: { disabled: true },
      logging: { logs: { default: { level: 'ERROR' } } },
      apps: {
        tls: { certificates: { load_files: [{ certificate: d.tls.cert, key: d.tls.key }] } },
        layer4: { servers: { bench: { listen: [`127.0.0.1:${d.port}`], routes } } },
      },
    },
    null,
    2,
  ),
});

const caddyfileRespond = (d) =>
  [
    '{',
    '\tadmin off',
    '\tauto_https disable_redirects',
    '\tlog {',
    '\t\tlevel ERROR',
    '\t}',
    '}',
    `:${d.port} {`,
    '\tbind 127.0.0.1',
    `\ttls ${d.tls.cert} ${d.tls.key} {`,
    `\t\tcurves ${CURVE.go}`,
    '\t}',
    '\trespond "OK" 200',
    '}',
    '',
  ].join('\n');

const nginxHead = (d) => [
  'load_module /usr/lib/nginx/modules/ngx_stream_module.so;',
  `worker_processes ${d.workers};`,
  'worker_rlimit_nofile 20000;',
  `pid ${d.dir}/nginx.pid;`,
  `error_log ${d.dir}/nginx-error.log error;`,
  'daemon off;',
  'events { worker_connections 19800; multi_accept on; }',
];

const nginxStream = (d, server) => [...nginxHead(d), 'stream {', ...server, '}', ''].join('\n');

const haproxyHead = (d) => [
  'global',
  `\tnbthread ${d.workers}`,
  '\tmaxconn 9950',
  `\tpidfile ${d.dir}/haproxy.pid`,
  'defaults',
  '\ttimeout connect 5s',
  '\ttimeout client 300s',
  '\ttimeout server 300s',
];

const GENERATORS = {
  proxy: {
    'https-respond': (d) => ({ file: 'Caddyfile', text: caddyfileRespond(d) }),
    'tls-terminate': (d) =>
      proxyLayer4(d, [
        {
          match: [{ tls: {} }],
          handle: [proxyTlsHandler, { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${d.upstream}`] }] }],
        },
      ]),
    'sni-passthrough': (d) =>
      proxyLayer4(d, [
        {
          match: [{ tls: { sni: [d.sni] } }],
          handle: [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${d.upstream}`] }] }],
        },
      ]),
    'pg-starttls': (d) =>
      proxyLayer4(d, [
        { match: [{ postgres: { tls: 'enabled' } }], handle: [{ handler: 'postgres_tls' }] },
        {
          match: [{ tls: { sni: [d.sni] } }],
          handle: [proxyTlsHandler, { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${d.upstream}`] }] }],
        },
      ]),
  },
  caddy: {
    'https-respond': (d) => ({ file: 'Caddyfile', text: caddyfileRespond(d) }),
  },
  nginx: {
    'https-respond': (d) => ({
      file: 'nginx.conf',
      text: [
        ...nginxHead(d),
        'http {',
        '\taccess_log off;',
        '\tkeepalive_requests 1000000;',
        '\tserver {',
        `\t\tlisten 127.0.0.1:${d.port} ssl;`,
        `\t\tssl_certificate ${d.tls.cert};`,
        `\t\tssl_certificate_key ${d.tls.key};`,
        `\t\tssl_ecdh_curve ${CURVE.openssl};`,
        '\t\tdefault_type text/plain;',
        '\t\treturn 200 "OK";',
        '\t}',
        '}',
        '',
      ].join('\n'),
    }),
    'tls-terminate': (d) => ({
      file: 'nginx.conf',
      text: nginxStream(d, [
        '\tserver {',
        `\t\tlisten 127.0.0.1:${d.port} ssl;`,
        `\t\tssl_certificate ${d.tls.cert};`,
        `\t\tssl_certificate_key ${d.tls.key};`,
        `\t\tssl_ecdh_curve ${CURVE.openssl};`,
        `\t\tproxy_pass 127.0.0.1:${d.upstream};`,
        '\t}',
      ]),
    }),
    'sni-passthrough': (d) => ({
      file: 'nginx.conf',
      text: nginxStream(d, [
        '\tmap $ssl_preread_server_name $backend {',
        `\t\t${d.sni} 127.0.0.1:${d.upstream};`,
        '\t\tdefault 127.0.0.1:1;',
        '\t}',
        '\tserver {',
        `\t\tlisten 127.0.0.1:${d.port};`,
        '\t\tssl_preread on;',
        '\t\tproxy_pass $backend;',
        '\t}',
      ]),
    }),
  },
  haproxy: {
    'https-respond': (d) => ({
      file: 'haproxy.cfg',
      text: [
        ...haproxyHead(d),
        '\tmode http',
        '\ttimeout http-keep-alive 300s',
        'frontend bench',
        `\tbind 127.0.0.1:${d.port} ssl crt ${d.tls.pem} curves ${CURVE.openssl}`,
        '\thttp-request return status 200 content-type text/plain string "OK"',
        '',
      ].join('\n'),
    }),
    'tls-terminate': (d) => ({
      file: 'haproxy.cfg',
      text: [
        ...haproxyHead(d),
        '\tmode tcp',
        'frontend bench',
        `\tbind 127.0.0.1:${d.port} ssl crt ${d.tls.pem} curves ${CURVE.openssl}`,
        '\tdefault_backend up',
        'backend up',
        `\tserver up 127.0.0.1:${d.upstream}`,
        '',
      ].join('\n'),
    }),
    'sni-passthrough': (d) => ({
      file: 'haproxy.cfg',
      text: [
        ...haproxyHead(d),
        '\tmode tcp',
        'frontend bench',
        `\tbind 127.0.0.1:${d.port}`,
        '\ttcp-request inspect-delay 5s',
        '\ttcp-request content accept if { req_ssl_hello_type 1 }',
        `\tuse_backend up if { req_ssl_sni -i ${d.sni} }`,
        'backend up',
        `\tserver up 127.0.0.1:${d.upstream}`,
        '',
      ].join('\n'),
    }),
  },
};

/**
 * The command line that serves `file` for `system`: { cmd, args, env }.
 * @param {string} system
 * @param {string} file absolute config path
 * @param {{node: string, cli: string, dir: string, workers: number}} o
 */
export function commandFor(system, file, o) {
  const home = { HOME: o.dir, XDG_DATA_HOME: `${o.dir}/data`, XDG_CONFIG_HOME: `${o.dir}/config` };
  switch (system) {
    case 'proxy':
      return {
        cmd: o.node,
        args: [o.cli, 'run', '--config', file, ...(o.workers > 1 ? ['--workers', String(o.workers)] : [])],
        env: home,
      };
    case 'caddy':
      return {
        cmd: 'caddy',
        args: ['run', '--config', file, '--adapter', 'caddyfile'],
        env: { ...home, GOMAXPROCS: String(o.workers) },
      };
    case 'nginx':
      return { cmd: 'nginx', args: ['-c', file, '-p', o.dir], env: {} };
    case 'haproxy':
      return { cmd: 'haproxy', args: ['-db', '-f', file], env: {} };
    default:
      throw new Error(`unknown system ${system}`);
  }
}

/** A Caddyfile with n sites (the `adapt` scenario): each a host with a matcher, a reverse proxy and headers. */
export function manySitesCaddyfile(n) {
  const out = ['{', '\temail bench@example.com', '}', ''];
  for (let i = 0; i < n; i++) {
    out.push(
      `site${i}.example.com, www.site${i}.example.com {`,
      '\tencode gzip',
      `\t@api path /api/${i}/*`,
      `\treverse_proxy @api 10.0.${(i >> 8) & 255}.${i & 255}:8080`,
      `\theader X-Site "${i}"`,
      `\trespond "site ${i}" 200`,
      '}',
      '',
    );
  }
  return out.join('\n');
}
