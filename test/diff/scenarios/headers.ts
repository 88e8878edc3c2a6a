/** @module diff/scenarios/headers: header, request_header, vars, map. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const headers: Scenario[] = [
  {
    name: 'header-ops',
    caddyfile: site(
      'header X-Set one\nheader +X-Add a\nheader +X-Add b\nheader X-Rep "foo-bar-foo"\nheader X-Rep foo baz\nheader ?X-Default dflt\nheader -X-Gone\nheader X-Gone should-not-see\nrespond "ok"',
    ),
    requests: [{}],
  },
  {
    name: 'header-block-and-defer',
    caddyfile: site('header {\n\tX-A 1\n\t+X-B 2\n\t-X-C\n\tdefer\n}\nheader /m X-Matched yes\nrespond "ok"'),
    requests: [{ path: '/' }, { path: '/m' }],
  },
  {
    name: 'header-default-not-overwrite',
    caddyfile: site(
      'header ?Content-Type text/custom\nheader /t Content-Type text/x\nheader ?X-Q was-default\nrespond /t "t"\nrespond "r"',
    ),
    requests: [{ path: '/' }, { path: '/t' }],
  },
  {
    name: 'header-regex-replace',
    caddyfile: site('header X-Path "{path}"\nheader X-Path "^/([a-z]+)/.*$" "dir=$1"\nrespond "ok"'),
    requests: [{ path: '/abc/def' }],
  },
  {
    name: 'request-header-ops',
    caddyfile: site(
      'request_header X-In set-by-caddy\nrequest_header +X-Multi two\nrequest_header -X-Drop\nrequest_header X-Swap "^a(.*)$" "b$1"\nrespond "in={header.X-In} multi={header.X-Multi} drop={header.X-Drop} swap={header.X-Swap}"',
    ),
    requests: [
      {
        headers: [
          ['X-Multi', 'one'],
          ['X-Drop', 'bye'],
          ['X-Swap', 'apple'],
        ],
      },
    ],
  },
  {
    name: 'vars-and-unset',
    caddyfile: site(
      'vars foo bar\nvars {\n\tnum 42\n\tpath_copy {path}\n}\nrespond "foo={vars.foo} num={http.vars.num} copy={vars.path_copy} unset=[{http.vars.nope}] unset2=[{vars.nope}]"',
    ),
    requests: [{ path: '/v?x' }],
  },
  {
    name: 'vars-matcher',
    caddyfile: site(
      'vars mode {query.m}\n@dev vars {vars.mode} dev\n@re vars_regexp mode {vars.mode} ^pro(d)?$\nrespond @dev "dev mode"\nrespond @re "prod {re.mode.1}"\nrespond "default [{vars.mode}]"',
    ),
    requests: [{ path: '/?m=dev' }, { path: '/?m=prod' }, { path: '/?m=pro' }, { path: '/' }],
  },
  {
    name: 'map-directive',
    caddyfile: site(
      'map {path} {dest} {extra} {\n\t/a one x\n\t~^/r/(.*)$ re-${1} y\n\t/b "" z\n\tdefault dflt -\n}\nrespond "dest={dest} extra={extra}"',
    ),
    requests: [{ path: '/a' }, { path: '/r/abc' }, { path: '/b' }, { path: '/zzz' }],
  },
  {
    name: 'map-with-header-input',
    caddyfile: site('map {header.X-Tier} {limit} {\n\tgold 100\n\tsilver 50\n}\nrespond "limit=[{limit}]"'),
    requests: [{ headers: [['X-Tier', 'gold']] }, { headers: [['X-Tier', 'bronze']] }, { label: 'none' }],
  },
];
