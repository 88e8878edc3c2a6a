/** @module diff/scenarios/routing: rewrite, uri, handle, handle_path, route, directive order, snippets. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

const show = 'respond "path={path} query={query} uri={uri} orig={http.request.orig_uri}"';

export const routing: Scenario[] = [
  {
    name: 'rewrite-basic',
    caddyfile: site(`rewrite /a /b\nrewrite /q /target?x=1\nrewrite /keep /k?{query}\n${show}`),
    requests: [{ path: '/a' }, { path: '/a?z=9' }, { path: '/q?y=2' }, { path: '/keep?m=1&n=2' }, { path: '/other' }],
  },
  {
    name: 'rewrite-query-append-empty',
    caddyfile: site(`rewrite /app* /index.php?{query}&p=1\n${show}`),
    requests: [{ path: '/app/x' }, { path: '/app/x?a=1' }],
  },
  {
    name: 'rewrite-query-escaping',
    caddyfile: site(`rewrite /esc* /t?from={path}&h={header.X-V}&{query}\n${show}`),
    requests: [{ path: '/esc/a%20b/c?x=1', headers: [['X-V', 'a&b=c']] }],
  },
  {
    name: 'rewrite-named-matcher',
    caddyfile: site(`@api path_regexp api ^/api/v(\\d+)/(.*)$\nrewrite @api /v{re.api.1}/{re.api.2}\n${show}`),
    requests: [{ path: '/api/v2/users/7' }, { path: '/api/x' }],
  },
  {
    name: 'uri-ops',
    caddyfile: site(
      `uri /pre/* strip_prefix /pre\nuri /suf/* strip_suffix .html\nuri /rep/* replace foo bar\nuri /rx/* path_regexp \\d+ N\n${show}`,
    ),
    requests: [{ path: '/pre/x/y?q=1' }, { path: '/suf/page.html' }, { path: '/rep/foo/foo' }, { path: '/rx/a1b22' }],
  },
  {
    name: 'handle-exclusive',
    caddyfile: site(
      'handle /api/* {\n\trespond "api {path}"\n}\nhandle /api/special {\n\trespond "special"\n}\nhandle /static* {\n\trespond "static"\n}\nhandle {\n\trespond "fallback {path}"\n}',
    ),
    requests: [{ path: '/api/x' }, { path: '/api/special' }, { path: '/staticfoo' }, { path: '/else' }],
  },
  {
    name: 'handle-path-strip',
    caddyfile: site(
      'handle_path /api/* {\n\trespond "stripped {path} orig={http.request.orig_uri}"\n}\nhandle {\n\trespond "other {path}"\n}',
    ),
    requests: [{ path: '/api/users?x=1' }, { path: '/api/' }, { path: '/api' }, { path: '/apix' }],
  },
  {
    name: 'handle-path-dotdot',
    caddyfile: site('handle_path /api/* {\n\trespond "api {path}"\n}\nhandle {\n\trespond "other {path}"\n}'),
    requests: [
      { path: '/api/../secret' },
      { path: '/api/a/../b' },
      { path: '/x/../api/y' },
      { path: '/api/%2e%2e/z' },
      { path: '//api//double' },
    ],
  },
  {
    name: 'route-literal-order',
    caddyfile: site(
      'route {\n\trespond /early "early"\n\theader X-Route yes\n\trewrite * /rewritten{path}\n\trespond "late {path}"\n}',
    ),
    requests: [{ path: '/early' }, { path: '/x' }],
  },
  {
    name: 'directive-default-order',
    caddyfile: site('respond "resp {path}"\nrewrite * /r{path}\nheader X-Order yes\nredir /go /gone'),
    requests: [{ path: '/a' }, { path: '/go' }],
  },
  {
    name: 'order-global-option',
    global: 'order respond before rewrite',
    caddyfile: site('rewrite * /r{path}\nrespond "resp {path}"'),
    requests: [{ path: '/a' }],
  },
  {
    name: 'nested-route-handle',
    caddyfile: site(
      'route /n/* {\n\thandle /n/a {\n\t\trespond "a"\n\t}\n\thandle {\n\t\theader X-Fallback 1\n\t}\n\trespond "after-handle"\n}\nrespond "outer"',
    ),
    requests: [{ path: '/n/a' }, { path: '/n/b' }, { path: '/z' }],
  },
  {
    name: 'snippet-import-args',
    caddyfile: `(greet) {\n\trespond /{args.0} "hello {args.1}"\n}\n${site('import greet hi world\nimport greet yo there\nrespond "none"')}`,
    requests: [{ path: '/hi' }, { path: '/yo' }, { path: '/x' }],
  },
  {
    name: 'multi-site-host-routing',
    caddyfile: `${site('respond "A {host}"', 'http://a.test:{{PORT}}')}\n${site('respond "wild {host} {labels.1}"', 'http://*.b.test:{{PORT}}')}\n${site('respond "catch-all {host}"', 'http://:{{PORT}}')}`,
    requests: [
      { headers: [['Host', 'a.test:{{PORT}}']] },
      { label: 'A upper', headers: [['Host', 'A.TEST:{{PORT}}']] },
      { label: 'wildcard', headers: [['Host', 'x.b.test:{{PORT}}']] },
      { label: 'two levels', headers: [['Host', 'y.x.b.test:{{PORT}}']] },
      { label: 'other', headers: [['Host', 'c.test:{{PORT}}']] },
      { label: 'no port', headers: [['Host', 'a.test']] },
    ],
  },
  {
    name: 'two-listeners',
    port2: true,
    caddyfile: `${site('respond "first {port}"')}\n${site('respond "second {port}"', 'http://:{{PORT2}}')}`,
    requests: [{ path: '/' }, { label: 'second port', port: 'PORT2' }],
  },
];
