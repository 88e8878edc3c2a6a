/** @module diff/scenarios/files: file_server (index, browse, hide, precompressed), try_files, the file matcher. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

const fs = (extra = ''): string => site(`root * {{ROOT}}\n${extra}\nfile_server`.replace('\n\n', '\n'));

export const files: Scenario[] = [
  {
    name: 'file-server-basic',
    caddyfile: fs(),
    requests: [
      { path: '/' },
      { path: '/index.html' },
      { path: '/a.txt' },
      { method: 'HEAD', path: '/a.txt' },
      { path: '/b.json' },
      { path: '/style.css' },
      { path: '/missing' },
      { path: '/a%20b.txt' },
      { path: '/%C3%BCn%C3%AF.txt' },
      { path: '/.secret' },
    ],
  },
  {
    name: 'file-server-dir-redirects',
    caddyfile: fs(),
    requests: [
      { path: '/docs' },
      { path: '/docs?x=1' },
      { path: '/docs/' },
      { path: '/docs/index.html' },
      { path: '/docs/page.txt/' },
    ],
  },
  {
    name: 'file-server-dir-redirect-stripped-prefix',
    caddyfile: site(
      'handle_path /site/* {\n\troot * {{ROOT}}\n\tfile_server\n}\nhandle /r/* {\n\troot * {{ROOT}}\n\turi strip_prefix /r\n\tfile_server\n}',
    ),
    requests: [
      { path: '/site/docs' },
      { path: '/site/docs/' },
      { path: '/r/docs' },
      { method: 'HEAD', path: '/site/docs' },
    ],
  },
  {
    name: 'file-server-post',
    caddyfile: fs(),
    requests: [
      { method: 'POST', path: '/a.txt', body: 'x' },
      { method: 'PUT', path: '/a.txt', body: 'x' },
      { method: 'DELETE', path: '/a.txt' },
    ],
  },
  {
    name: 'file-server-conditional',
    caddyfile: fs(),
    requests: [
      { label: 'IMS newer', path: '/a.txt', headers: [['If-Modified-Since', 'Wed, 03 Jan 2024 00:00:00 GMT']] },
      { label: 'IMS older', path: '/a.txt', headers: [['If-Modified-Since', 'Mon, 01 Jan 2024 00:00:00 GMT']] },
      { label: 'INM star', path: '/a.txt', headers: [['If-None-Match', '*']] },
      { label: 'IUS older', path: '/a.txt', headers: [['If-Unmodified-Since', 'Mon, 01 Jan 2024 00:00:00 GMT']] },
    ],
  },
  {
    name: 'file-server-ranges',
    caddyfile: fs(),
    requests: [
      { label: 'range 0-4', path: '/a.txt', headers: [['Range', 'bytes=0-4']] },
      { label: 'suffix', path: '/a.txt', headers: [['Range', 'bytes=-3']] },
      { label: 'unsatisfiable', path: '/a.txt', headers: [['Range', 'bytes=100-200']] },
      {
        label: 'multi',
        path: '/a.txt',
        headers: [['Range', 'bytes=0-1,3-4']],
        body_: 'length',
        ignoreHeaders: ['content-type'],
      },
    ],
  },
  {
    name: 'file-server-hide',
    caddyfile: fs().replace('file_server', 'file_server {\n\t\thide .secret hidden.txt /docs\n\t}'),
    requests: [{ path: '/.secret' }, { path: '/hidden.txt' }, { path: '/docs/page.txt' }, { path: '/a.txt' }],
  },
  {
    name: 'file-server-index-option',
    caddyfile: site('root * {{ROOT}}\nfile_server {\n\tindex index.txt index.html\n}'),
    requests: [{ path: '/alt/' }, { path: '/docs/' }, { path: '/' }],
  },
  {
    name: 'file-server-subpath-root',
    caddyfile: site(
      'root /static/* {{ROOT}}\nhandle /static/* {\n\tfile_server\n}\nhandle {\n\trespond "not static"\n}',
    ),
    requests: [{ path: '/static/only.css' }, { path: '/static/nope' }, { path: '/a.txt' }],
  },
  {
    name: 'file-server-pass-thru-and-status',
    caddyfile: site(
      'root * {{ROOT}}\nroute {\n\tfile_server /p/* {\n\t\tpass_thru\n\t}\n\tfile_server /s/* {\n\t\tstatus 202\n\t}\n\trespond "fell through {path}"\n}',
    ),
    requests: [{ path: '/p/none' }, { label: 'status override missing', path: '/s/none' }],
  },
  {
    name: 'file-server-status-override',
    caddyfile: site('root * {{ROOT}}\nfile_server {\n\tstatus 299\n}'),
    requests: [{ path: '/a.txt' }, { path: '/docs/' }, { path: '/missing' }],
  },
  {
    name: 'file-server-disable-canonical',
    caddyfile: site('root * {{ROOT}}\nfile_server {\n\tdisable_canonical_uris\n}'),
    requests: [{ path: '/docs' }, { path: '/docs/index.html' }],
  },
  {
    name: 'file-server-root-placeholder',
    caddyfile: site('root * {{ROOT}}/{http.request.uri.path.0}\nrewrite * /index.html\nfile_server'),
    requests: [{ path: '/docs/x' }, { path: '/spa/y' }],
  },
  {
    name: 'encode-with-precompressed',
    caddyfile: site('root * {{ROOT}}\nencode gzip\nfile_server {\n\tprecompressed br gzip\n}'),
    requests: [
      { label: 'br sidecar', path: '/static/app.js', headers: [['Accept-Encoding', 'br, gzip']] },
      { label: 'on the fly', path: '/big.txt', headers: [['Accept-Encoding', 'br, gzip']] },
    ],
  },
  {
    name: 'file-server-traversal',
    caddyfile: site('root * {{ROOT}}/docs\nfile_server'),
    requests: [{ path: '/../a.txt' }, { path: '/%2e%2e/a.txt' }, { path: '/page.txt%00' }, { path: '/./page.txt' }],
  },
  {
    name: 'browse-html',
    caddyfile: site('root * {{ROOT}}\nfile_server browse'),
    // Debian's caddy embeds a re-indented browse template; the listing compares without layout.
    requests: [{ path: '/files/', body_: 'html' }, { path: '/files' }],
  },
  {
    name: 'browse-json',
    caddyfile: site('root * {{ROOT}}\nfile_server browse'),
    requests: [
      { path: '/files/', headers: [['Accept', 'application/json']] },
      { label: 'sorted by size desc', path: '/files/?sort=size&order=desc', headers: [['Accept', 'application/json']] },
    ],
  },
  {
    name: 'precompressed',
    caddyfile: site('root * {{ROOT}}\nfile_server {\n\tprecompressed zstd br gzip\n}'),
    requests: [
      { label: 'gzip', path: '/static/app.js', headers: [['Accept-Encoding', 'gzip']] },
      { label: 'br', path: '/static/app.js', headers: [['Accept-Encoding', 'br']] },
      { label: 'all', path: '/static/app.js', headers: [['Accept-Encoding', 'gzip, br, zstd']] },
      { label: 'none', path: '/static/app.js' },
      { label: 'no sidecar', path: '/static/only.css', headers: [['Accept-Encoding', 'gzip']] },
      {
        label: 'range on precompressed',
        path: '/static/app.js',
        headers: [
          ['Accept-Encoding', 'gzip'],
          ['Range', 'bytes=0-9'],
        ],
        body_: 'ignore',
      },
    ],
  },
  {
    name: 'precompressed-qvalues',
    caddyfile: site('root * {{ROOT}}\nfile_server {\n\tprecompressed gzip br\n}'),
    requests: [
      { label: 'br preferred by q', path: '/static/app.js', headers: [['Accept-Encoding', 'gzip;q=0.5, br;q=1.0']] },
      { label: 'gzip refused', path: '/static/app.js', headers: [['Accept-Encoding', 'gzip;q=0, br;q=0']] },
      { label: 'identity only', path: '/static/app.js', headers: [['Accept-Encoding', 'identity']] },
    ],
  },
  {
    name: 'try-files-spa',
    caddyfile: site('root * {{ROOT}}/spa\ntry_files {path} /index.html\nfile_server'),
    requests: [{ path: '/real.txt' }, { path: '/deep/route' }, { path: '/' }],
  },
  {
    name: 'try-files-query',
    caddyfile: site('root * {{ROOT}}\ntry_files {path} {path}/ /a.txt?from={path}&{query}\nrespond "uri={uri}"'),
    requests: [{ path: '/b.json?q=1' }, { path: '/nothing?x=1' }, { path: '/docs' }],
  },
  {
    name: 'file-matcher',
    caddyfile: site(
      'root * {{ROOT}}\n@txt file {\n\ttry_files {path}.txt {path}\n}\nrespond @txt "found {file_match.relative} type={file_match.type} rem=[{file_match.remainder}]"\nrespond "no file"',
    ),
    requests: [{ path: '/a' }, { path: '/b.json' }, { path: '/files' }, { path: '/zzz' }],
  },
  {
    name: 'file-matcher-split',
    caddyfile: site(
      'root * {{ROOT}}/php\n@php file {\n\ttry_files {path}\n\tsplit_path .php\n}\nrespond @php "php {file_match.relative} rem=[{file_match.remainder}]"\nrespond "none"',
    ),
    requests: [{ path: '/info.php/extra/tail' }, { path: '/index.php' }, { path: '/nope.php/x' }],
  },
];
