/**
 * @module php-fastcgi: the `php_fastcgi` directive (Caddy's `parsePHPFastCGI`): a canonical-path redirect, a
 * try_files rewrite and a reverse_proxy over the fastcgi transport, kept together as one subroute.
 */
import { Dispenser } from '../../caddyfile/dispenser.js';
import type { Helper } from '../helper.js';
import { moduleObject, type JsonObject } from '../json.js';
import { registerDirective, type ConfigValue } from '../registry.js';
import { omitZero, route, type SubrouteValue } from './common.js';
import { parseReverseProxy } from './reverse-proxy.js';
import { fastcgiSubdirective } from './reverse-proxy-transport-fastcgi.js';

/** Caddy's `Dispenser.DeleteN`: removes the current token and the n-1 before it. */
export function deleteN(d: Dispenser, n: number): void {
  for (let i = 0; i < n; i++) d.delete();
}

function parsePhpFastcgi(h: Helper): ConfigValue[] {
  h.next();
  const userMatcherSet = h.extractMatcherSet();
  const d = new Dispenser([...h.allTokens()], h.file());
  const transport: JsonObject = {};
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
          ((transport.env ??= {}) as JsonObject)[args[0]!] = args[1]!;
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

  const routes: JsonObject[] = [];
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
      routes.push(route({
        match: [{ file: { try_files: [dirIndex] }, not: [{ path: ['*/'] }] }],
        handle: [moduleObject('handler', 'static_response', {
          status_code: 308,
          headers: { Location: ['{http.request.orig_uri.path}/{http.request.orig_uri.prefixed_query}'] },
        })],
      }));
    }
    const file: JsonObject = { try_files: tryFiles };
    if (tryPolicy) file.try_policy = tryPolicy;
    file.split_path = extensions;
    routes.push(route({
      match: [{ file }],
      handle: [moduleObject('handler', 'rewrite', { uri: '{http.matchers.file.relative}' })],
    }));
  }

  omitZero(transport, 'root', 'dial_timeout', 'read_timeout', 'write_timeout');
  const rp = parseReverseProxy(d, h, { handler: { transport: moduleObject('protocol', 'fastcgi', transport) } });
  routes.push(route({
    match: [{ path: extensions.map((e) => `*${e}`) }],
    handle: [moduleObject('handler', 'reverse_proxy', rp)],
  }));

  if (userMatcherSet) {
    return [{ class: 'route', value: route({ match: [userMatcherSet], handle: [moduleObject('handler', 'subroute', { routes })] }) }];
  }
  const value: SubrouteValue = { kind: 'subroute', routes: routes as SubrouteValue['routes'] };
  return [{ class: 'route', value }];
}

/** Registers `php_fastcgi`. */
export function register(): void {
  registerDirective('php_fastcgi', parsePhpFastcgi);
}
