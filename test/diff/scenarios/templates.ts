/** @module diff/scenarios/templates: the templates handler over file_server (Go templates, Sprig, Caddy's functions). */
import type { Scenario } from '../types.js';
import { site } from './util.js';

const tpl = (extra = 'templates'): string => site(`root * {{ROOT}}/tpl\n${extra}\nfile_server`);

export const templates: Scenario[] = [
  {
    name: 'templates-language',
    caddyfile: tpl(),
    requests: [
      {
        label: 'actions, control, builtins, printf',
        path: '/basic.html?a=1&b=2',
        headers: [
          ['X-Test', 'xt'],
          ['Cookie', 'c=cv'],
        ],
      },
      { label: 'HEAD runs the empty body', method: 'HEAD', path: '/basic.html' },
      { label: 'parse error', path: '/errors.html' },
      { label: 'execution error', path: '/exec-err.html' },
      { label: 'httpError', path: '/status.html' },
      { label: 'not a template type', path: '/style.css' },
      { label: 'text/markdown', path: '/md.md' },
    ],
  },
  {
    name: 'templates-functions',
    caddyfile: tpl(),
    requests: [
      { label: 'sprig', path: '/sprig.html' },
      { label: 'caddy functions, front matter, markdown', path: '/caddyfn.html' },
      { label: 'text/plain', path: '/plain.txt' },
      { label: 'httpInclude', path: '/http.html' },
    ],
  },
  {
    name: 'templates-options',
    caddyfile: tpl('templates {\n\tbetween [[ ]]\n\tmime text/html\n}'),
    requests: [
      { label: 'custom delimiters', path: '/delim.html' },
      { label: 'text/plain not listed', path: '/plain.txt' },
    ],
  },
  {
    // Templates over respond: file_server's Content-Length would outlive the error (2.6.2 then sends nothing).
    name: 'templates-handle-errors',
    caddyfile: site(
      [
        'templates',
        'header Content-Type text/html',
        'respond /parse "a {{if}}"',
        'respond /exec "ok\n{{index (list 1) 5}}"',
        'respond /status "{{httpError 403}}"',
        'respond /fine "{{.Req.URL.Path}} {{len .Args}}"',
        'handle_errors {',
        '\trespond "{err.status_code} {err.message}" {err.status_code}',
        '}',
      ].join('\n'),
    ),
    requests: [
      { label: 'parse error message', path: '/parse' },
      { label: 'execution error message', path: '/exec' },
      { label: 'httpError status', path: '/status' },
      { label: 'respond body as template', path: '/fine' },
    ],
  },
];
