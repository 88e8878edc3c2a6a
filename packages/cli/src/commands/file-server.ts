/**
 * @module commands/file-server: `proxy file-server`: a quick static file server, the config Caddy's
 * `caddy file-server` (modules/caddyhttp/fileserver/command.go) builds, served here. Current Caddy's: 2.6.2's had
 * no encode handler (no --no-compress) and no --precompressed.
 */
import zlib from 'node:zlib';
import type { Command } from 'commander';
import { collectList, quickConfig, runQuick, serveQuick } from './quick-serve.js';

/** Options of `proxy file-server` (Caddy's flags). */
export interface FileServerOptions {
  domain?: string;
  root?: string;
  listen?: string;
  browse?: boolean;
  templates?: boolean;
  accessLog?: boolean;
  debug?: boolean;
  revealSymlinks?: boolean;
  /** commander's negation of --no-compress. */
  compress?: boolean;
  precompressed?: string[];
}

/** The precompressed sidecar encodings (`http.precompressed.*` modules). */
const PRECOMPRESSED = new Set(['br', 'gzip', 'zstd']);

/** The config `caddy file-server` builds for these flags, and the address it listens on. */
export function fileServerConfig(opts: FileServerOptions): { config: unknown; listen: string } {
  const root = opts.root ?? '';
  const handlers: unknown[] = [];
  if (opts.compress !== false) {
    // Node has zstd from 22.15 on; on an older Node, gzip alone rather than a config that fails to load.
    const prefer = 'createZstdCompress' in zlib ? ['zstd', 'gzip'] : ['gzip'];
    handlers.push({ handler: 'encode', encodings: Object.fromEntries(prefer.map((e) => [e, {}])), prefer });
  }
  if (opts.templates) handlers.push({ handler: 'templates', ...(root ? { file_root: root } : {}) });

  const fileServer: Record<string, unknown> = { handler: 'file_server' };
  if (root) fileServer['root'] = root;
  if (opts.precompressed && opts.precompressed.length > 0) {
    const mods: Record<string, unknown> = {};
    for (const name of opts.precompressed) {
      const id = `http.precompressed.${name}`;
      if (!PRECOMPRESSED.has(name)) throw new Error(`getting module named '${id}': module not registered: ${id}`);
      mods[name] = {};
    }
    fileServer['precompressed'] = mods;
    fileServer['precompressed_order'] = [...opts.precompressed];
  }
  if (opts.browse) fileServer['browse'] = opts.revealSymlinks ? { reveal_symlinks: true } : {};
  handlers.push(fileServer);

  const route: Record<string, unknown> = {};
  if (opts.domain) route['match'] = [{ host: [opts.domain] }];
  route['handle'] = handlers;

  const listen = opts.listen || (opts.domain ? ':443' : ':80');
  const server: Record<string, unknown> = {
    listen: [listen],
    read_header_timeout: 10_000_000_000,
    idle_timeout: 30_000_000_000,
    max_header_bytes: 1024 * 10,
    routes: [route],
  };
  if (opts.accessLog) server['logs'] = {};
  return { config: quickConfig({ http: { servers: { static: server } } }, opts.debug), listen };
}

/** Adds `file-server`. */
export function registerFileServer(program: Command): void {
  program
    .command('file-server')
    .description(
      'A quick and production-ready static file server: the current folder (or --root) on :80, or on :443 with ' +
        'automatic HTTPS for --domain',
    )
    .option('-d, --domain <example.com>', 'domain name at which to serve the files')
    .option('-r, --root <path>', 'the path to the root of the site')
    .option('-l, --listen <addr>', 'the address to which to bind the listener')
    .option('-b, --browse', 'enable directory browsing')
    .option('-t, --templates', 'enable template rendering')
    .option('-a, --access-log', 'enable the access log')
    .option('-v, --debug', 'enable verbose debug logs')
    .option('--reveal-symlinks', 'show symlink paths when browse is enabled')
    .option('--no-compress', 'disable Zstandard and Gzip compression')
    .option(
      '-p, --precompressed <encodings>',
      'serve precompressed sidecar files (br, gzip, zstd) in this order of preference (repeatable, or comma-separated)',
      collectList,
    )
    .action((opts: FileServerOptions) =>
      runQuick(async () => {
        const { config, listen } = fileServerConfig(opts);
        return serveQuick(config, (inst) => inst.logger.info({ address: listen }, 'proxy serving static files'));
      }),
    );
}
