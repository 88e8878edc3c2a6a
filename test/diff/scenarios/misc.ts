/** @module diff/scenarios/misc: encode, basic_auth, request_body, log. */
import type { Scenario } from '../types.js';
import { basic, loggedSite, SECRET_HASH_B64, site } from './util.js';

export const misc: Scenario[] = [
  {
    name: 'encode-gzip-zstd',
    caddyfile: site('root * {{ROOT}}\nencode gzip zstd\nfile_server'),
    requests: [
      { label: 'gzip big', path: '/big.txt', headers: [['Accept-Encoding', 'gzip']] },
      { label: 'zstd big', path: '/big.txt', headers: [['Accept-Encoding', 'zstd']] },
      { label: 'both prefer', path: '/big.txt', headers: [['Accept-Encoding', 'gzip, zstd']] },
      { label: 'q order', path: '/big.txt', headers: [['Accept-Encoding', 'gzip;q=0.5, zstd;q=0.9']] },
      { label: 'br only', path: '/big.txt', headers: [['Accept-Encoding', 'br']] },
      { label: 'none', path: '/big.txt' },
      { label: 'small below minimum', path: '/a.txt', headers: [['Accept-Encoding', 'gzip']] },
      { label: 'HEAD', method: 'HEAD', path: '/big.txt', headers: [['Accept-Encoding', 'gzip']] },
      {
        label: '304 with encoding',
        path: '/big.txt',
        headers: [
          ['Accept-Encoding', 'gzip'],
          ['If-Modified-Since', 'Wed, 03 Jan 2024 00:00:00 GMT'],
        ],
      },
      {
        label: 'range',
        path: '/big.txt',
        headers: [
          ['Accept-Encoding', 'gzip'],
          ['Range', 'bytes=0-99'],
        ],
      },
      {
        label: 'range over minimum',
        path: '/big.txt',
        headers: [
          ['Accept-Encoding', 'gzip'],
          ['Range', 'bytes=0-999'],
        ],
      },
    ],
  },
  {
    name: 'encode-respond-and-proxy',
    caddyfile: site(`encode gzip\nrespond /r "${'compressible '.repeat(100)}"\nreverse_proxy {{UP1}}`),
    requests: [
      { path: '/r', headers: [['Accept-Encoding', 'gzip']] },
      { path: '/p', headers: [['Accept-Encoding', 'gzip']] },
    ],
  },
  {
    name: 'encode-options',
    caddyfile: site(
      `encode {\n\tgzip 9\n\tminimum_length 10\n\tmatch {\n\t\theader Content-Type text/*\n\t}\n}\nheader /j Content-Type application/json\nrespond /j "{\\"k\\":\\"${'v'.repeat(50)}\\"}"\nrespond "${'t'.repeat(50)}"`,
    ),
    requests: [
      { path: '/t', headers: [['Accept-Encoding', 'gzip']] },
      { path: '/j', headers: [['Accept-Encoding', 'gzip']] },
    ],
  },
  {
    name: 'basic-auth',
    caddyfile: site(
      `basicauth /secret/* {\n\talice ${SECRET_HASH_B64}\n}\nrespond "user=[{http.auth.user.id}] path={path}"`,
    ),
    requests: [
      { label: 'no creds', path: '/secret/x' },
      { label: 'wrong pass', path: '/secret/x', headers: [basic('alice', 'nope')] },
      // caddy compares unknown users against a cost-14 fake hash so timing reveals nothing: seconds on a busy machine.
      { label: 'unknown user', path: '/secret/x', headers: [basic('bob', 'secret')], timeoutMs: 30_000 },
      { label: 'right', path: '/secret/x', headers: [basic('alice', 'secret')] },
      { label: 'malformed', path: '/secret/x', headers: [['Authorization', 'Basic !!!']] },
      { label: 'public', path: '/public' },
    ],
  },
  {
    name: 'basic-auth-realm',
    caddyfile: site(`basicauth * bcrypt "My Realm" {\n\talice ${SECRET_HASH_B64}\n}\nrespond "in"`),
    requests: [{ label: 'no creds' }, { label: 'right', headers: [basic('alice', 'secret')] }],
  },
  {
    name: 'request-body-max-size-respond',
    caddyfile: site('request_body {\n\tmax_size 8B\n}\nrespond "len={http.request.header.Content-Length}"'),
    requests: [
      { label: 'small', method: 'POST', body: 'abc' },
      { label: 'large', method: 'POST', body: 'x'.repeat(64) },
      { label: 'chunked large', method: 'POST', chunked: true, body: 'z'.repeat(64) },
      { label: 'still alive', path: '/alive' },
    ],
  },
  {
    name: 'access-log-keys',
    log: true,
    caddyfile: loggedSite('respond "logged" 202'),
    requests: [{ path: '/logged?x=1', headers: [['X-Req', 'r']] }],
  },
  {
    name: 'access-log-skip',
    log: true,
    caddyfile: loggedSite('log_skip /health\nrespond "r"'),
    caddyfile262: loggedSite('skip_log /health\nrespond "r"'),
    requests: [{ path: '/health' }, { path: '/counted' }],
  },
  {
    name: 'access-log-error-keys',
    log: true,
    caddyfile: loggedSite('error 404'),
    requests: [{ path: '/err' }],
  },
  {
    name: 'access-log-proxied-keys',
    log: true,
    caddyfile: loggedSite('reverse_proxy {{UP1}}'),
    requests: [{ path: '/up' }],
  },
  {
    name: 'access-log-basic-auth-user',
    log: true,
    caddyfile: loggedSite(`basicauth {\n\talice ${SECRET_HASH_B64}\n}\nrespond "in"`),
    requests: [{ headers: [basic('alice', 'secret')] }],
  },
];
