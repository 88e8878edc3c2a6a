/** @module diff/scenarios/php: php_fastcgi against php-cgi (skipped when php-cgi is missing). */
import type { Scenario } from '../types.js';
import { site } from './util.js';

export const php: Scenario[] = [
  {
    name: 'php-fastcgi',
    needs: 'php-cgi',
    caddyfile: site('root * {{ROOT}}/php\nphp_fastcgi {{PHP}}\nfile_server'),
    requests: [
      { path: '/' },
      { path: '/info.php?x=1&y=2', headers: [['X-Test', 'hdr']] },
      { label: 'PATH_INFO', path: '/pathinfo.php/extra/path' },
      {
        method: 'POST',
        path: '/info.php',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: 'a=1&b=2',
      },
      { path: '/status.php' },
      { path: '/sub/page.txt' },
      { label: 'front controller', path: '/pretty/url?z=1' },
      { label: 'dir without index', path: '/sub' },
    ],
  },
  {
    name: 'php-fastcgi-index-off',
    needs: 'php-cgi',
    caddyfile: site('root * {{ROOT}}/php\nphp_fastcgi {{PHP}} {\n\tindex off\n}\nrespond "not php {path}"'),
    requests: [{ path: '/info.php' }, { path: '/pretty' }],
  },
];
