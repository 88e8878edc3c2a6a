/** @module diff/scenarios/errors: handle_errors and error placeholders. */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const errors: Scenario[] = [
  {
    // A WeakString status `true` loads, and fails each request with a 500 (strconv.Atoi), headers already set kept.
    name: 'respond-boolean-status',
    caddyfile: site('respond "hi" true'),
    requests: [{ path: '/' }],
  },
  {
    name: 'handle-errors-respond',
    caddyfile: site(
      'error /e "boom" 500\nerror /n 404\nhandle_errors {\n\trespond "handled {err.status_code} {err.status_text} [{err.message}]"\n}\nrespond "ok"',
    ),
    requests: [{ path: '/e' }, { path: '/n' }, { path: '/ok' }],
  },
  {
    name: 'handle-errors-respond-status',
    caddyfile: site('error /e 503\nhandle_errors {\n\trespond "with status" 299\n}'),
    requests: [{ path: '/e' }],
  },
  {
    name: 'handle-errors-file-server',
    caddyfile: site(
      'root * {{ROOT}}\nhandle_errors {\n\trewrite * /errors/{err.status_code}.html\n\tfile_server\n}\nfile_server',
    ),
    requests: [{ path: '/missing.txt' }, { path: '/a.txt' }],
  },
  {
    name: 'handle-errors-routes-by-path',
    caddyfile: site(
      'error /a 404\nerror /b 500\nerror /c 403\nhandle_errors {\n\thandle /a {\n\t\trespond "not found page"\n\t}\n\thandle {\n\t\trespond "generic {err.status_code}"\n\t}\n}',
    ),
    requests: [{ path: '/a' }, { path: '/b' }, { path: '/c' }],
  },
  {
    name: 'handle-errors-headers-kept',
    caddyfile: site(
      'header X-Before yes\nerror /e 500\nhandle_errors {\n\theader X-Err {err.status_code}\n\trespond "e"\n}',
    ),
    requests: [{ path: '/e' }],
  },
  {
    name: 'handle-errors-upstream-502',
    caddyfile: site('reverse_proxy {{DEAD}}\nhandle_errors {\n\trespond "upstream down: {err.status_code}"\n}'),
    requests: [{ path: '/x' }],
  },
  {
    name: 'errors-without-handle-errors-bodies',
    caddyfile: site('root * {{ROOT}}\nfile_server'),
    requests: [
      { path: '/nope' },
      { label: 'dir no index', path: '/files/' },
      { label: 'dir no index no slash', path: '/files' },
      { label: 'dir with index no slash', path: '/spa' },
    ],
  },
];
