/**
 * @module php-fastcgi: the `php_fastcgi` directive (Caddy's `parsePHPFastCGI`): a canonical-path redirect, a
 * try_files rewrite and a reverse_proxy over the fastcgi transport, kept together as one subroute.
 */
import { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import type {
  FastcgiTransport,
  Own,
  ReverseProxyHandler,
  RewriteHandler,
  StaticResponseHandler,
  SubrouteHandler,
} from '@proxy/contract';
import { moduleObject, type JsonObject } from '../json.js';
import type { Route } from '../core/route.js';
import type { ConfigValue } from '../registry.js';
import { omitZero, route, type SubrouteValue } from './common.js';
import { parseReverseProxy, REVERSE_PROXY_SUBDIRECTIVES } from './reverse-proxy.js';
import { fastcgiSubdirective } from './reverse-proxy-transport-fastcgi.js';
import type { ModuleOfKind } from '../module.js';

/** Caddy's `Dispenser.DeleteN`: removes the current token and the n-1 before it. */
export function deleteN(d: Dispenser, n: number): void {
  for (let i = 0; i < n; i++) d.delete();
}

function parsePhpFastcgi(h: Helper): ConfigValue[] {
  h.next();
  const userMatcherSet = h.extractMatcherSet();
  const d = new Dispenser([...h.allTokens()], h.file());
  const transport: Own<FastcgiTransport, 'protocol'> = {};
  let extensions = ['.php'];
  let indexFile = 'index.php';
  let tryFiles: string[] = [];

  // Our subdirectives are deleted as they are read, so the reverse_proxy parser does not see them.
  while (d.next()) {
    while (d.nextBlock(0)) {
      if (d.nesting() !== 1) continue;
      const sub = d.val();
      switch (sub) {
        case 'root':
        case 'dial_timeout':
        case 'read_timeout':
        case 'write_timeout':
          fastcgiSubdirective(d, transport);
          deleteN(d, 2);
          break;
        case 'split': {
          const args = d.remainingArgs();
          deleteN(d, args.length + 1);
          if (args.length === 0) throw d.argErr();
          extensions = args;
          break;
        }
        case 'env': {
          const args = d.remainingArgs();
          deleteN(d, args.length + 1);
          if (args.length !== 2) throw d.argErr();
          (transport.env ??= {})[args[0]!] = args[1]!;
          break;
        }
        case 'index': {
          const args = d.remainingArgs();
          deleteN(d, args.length + 1);
          if (args.length !== 1) throw d.argErr();
          indexFile = args[0]!;
          break;
        }
        case 'try_files': {
          const args = d.remainingArgs();
          deleteN(d, args.length + 1);
          if (args.length < 1) throw d.argErr();
          tryFiles = args;
          break;
        }
        case 'resolve_root_symlink':
        case 'capture_stderr': {
          const args = d.remainingArgs();
          deleteN(d, args.length + 1);
          transport[sub] = true;
          break;
        }
      }
    }
  }
  d.reset();

  const routes: Route[] = [];
  transport.split_path = extensions;
  if (indexFile !== 'off') {
    let dirRedir = false;
    const dirIndex = `{http.request.uri.path}/${indexFile}`;
    let tryPolicy = 'first_exist_fallback';
    if (tryFiles.length === 0) {
      tryFiles = ['{http.request.uri.path}', dirIndex, indexFile];
      dirRedir = true;
    } else {
      if (!tryFiles[tryFiles.length - 1]!.endsWith('.php')) tryPolicy = '';
      if (tryFiles.includes(dirIndex)) dirRedir = true;
    }
    if (dirRedir) {
      routes.push(
        route({
          match: [{ file: { try_files: [dirIndex] }, not: [{ path: ['*/'] }] }],
          handle: [
            moduleObject<StaticResponseHandler>('handler', 'static_response', {
              status_code: 308,
              headers: { Location: ['{http.request.orig_uri.path}/{http.request.orig_uri.prefixed_query}'] },
            }),
          ],
        }),
      );
    }
    const file: JsonObject = { try_files: tryFiles };
    if (tryPolicy) file.try_policy = tryPolicy;
    file.split_path = extensions;
    routes.push(
      route({
        match: [{ file }],
        handle: [moduleObject<RewriteHandler>('handler', 'rewrite', { uri: '{http.matchers.file.relative}' })],
      }),
    );
  }

  omitZero(transport, 'root', 'dial_timeout', 'read_timeout', 'write_timeout');
  const rp = parseReverseProxy(d, h, {
    handler: { transport: moduleObject<FastcgiTransport>('protocol', 'fastcgi', transport) },
  });
  routes.push(
    route({
      match: [{ path: extensions.map((e) => `*${e}`) }],
      handle: [moduleObject<ReverseProxyHandler>('handler', 'reverse_proxy', rp)],
    }),
  );

  if (userMatcherSet) {
    return [
      {
        class: 'route',
        value: route({
          match: [userMatcherSet],
          handle: [moduleObject<SubrouteHandler>('handler', 'subroute', { routes })],
        }),
      },
    ];
  }
  const value: SubrouteValue = { kind: 'subroute', routes };
  return [{ class: 'route', value }];
}

export const PhpFastcgiDirective: ModuleOfKind<'directive'> = {
  kind: 'directive',
  name: 'php_fastcgi',
  syntax:
    'php_fastcgi [<matcher>] <upstreams...> { root; split; env; index; try_files; resolve_root_symlink; ...; <reverse_proxy subdirectives> }',
  doc: 'Serves PHP through FastCGI, with the usual canonical-path redirect and try_files.',
  subdirectives: [
    { name: 'root', syntax: 'root <path>', doc: 'The root PHP sees.' },
    {
      name: 'split',
      syntax: 'split <substrings...>',
      doc: 'Splits the path into script and PATH_INFO (default .php).',
    },
    { name: 'env', syntax: 'env <key> <value>', doc: 'Sets a FastCGI environment variable.' },
    { name: 'index', syntax: 'index <file>|off', doc: 'The index file (default index.php).' },
    { name: 'try_files', syntax: 'try_files <files...>', doc: 'Overrides the default try_files.' },
    { name: 'resolve_root_symlink', syntax: 'resolve_root_symlink', doc: 'Resolves the root if it is a symlink.' },
    { name: 'dial_timeout', syntax: 'dial_timeout <duration>', doc: 'How long to wait to connect.' },
    { name: 'read_timeout', syntax: 'read_timeout <duration>', doc: 'How long to wait for reads.' },
    { name: 'write_timeout', syntax: 'write_timeout <duration>', doc: 'How long to wait for writes.' },
    { name: 'capture_stderr', syntax: 'capture_stderr', doc: "Logs the backend's stderr." },
    ...REVERSE_PROXY_SUBDIRECTIVES,
  ],
  parse: parsePhpFastcgi,
};
