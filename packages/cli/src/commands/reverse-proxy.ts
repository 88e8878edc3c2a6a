/**
 * @module commands/reverse-proxy: `proxy reverse-proxy --from ADDR --to UPSTREAM...`: a quick reverse proxy,
 * the config Caddy's `caddy reverse-proxy` (modules/caddyhttp/reverseproxy/command.go) builds, served here.
 */
import type { Command } from 'commander';
import { type Address, parseAddress, parseUpstreamDialAddress } from '@proxy/parser';
import { collect, collectList, headerFlags, quickConfig, runQuick, serveQuick } from './quick-serve.js';

/** Options of `proxy reverse-proxy` (Caddy's flags). */
export interface ReverseProxyOptions {
  from?: string;
  to?: string[];
  changeHostHeader?: boolean;
  insecure?: boolean;
  disableRedirects?: boolean;
  internalCerts?: boolean;
  accessLog?: boolean;
  debug?: boolean;
  headerUp?: string[];
  headerDown?: string[];
}

const HTTP_PORT = '80';
const HTTPS_PORT = '443';

function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The upstreams of one --to dial address: a port range gives one upstream per port, as Caddy expands it. */
function expandUpstream(dial: string): Array<{ dial: string }> {
  if (/^unix[a-z+]*\//.test(dial)) return [{ dial }];
  const slash = dial.indexOf('/');
  const network = slash >= 0 && /^[a-z0-9+]+$/i.test(dial.slice(0, slash)) ? dial.slice(0, slash + 1) : '';
  const rest = dial.slice(network.length);
  const colon = rest.lastIndexOf(':');
  const host = rest.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const ports = rest.slice(colon + 1);
  const m = /^(\d+)(?:-(\d+))?$/.exec(ports);
  if (colon < 0 || !m) throw new Error(`invalid upstream address ${dial}: invalid port "${ports}"`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) throw new Error(`invalid upstream address ${dial}: bad port range`);
  const out = [];
  for (let p = start; p <= end; p++) out.push({ dial: network + joinHostPort(host, String(p)) });
  return out;
}

/** The config `caddy reverse-proxy` builds for these flags, and the from/to addresses it logs. */
export function reverseProxyConfig(opts: ReverseProxyOptions): { config: unknown; from: string; to: string[] } {
  const to = opts.to ?? [];
  if (to.length === 0) throw new Error('--to is required');
  let from: Address;
  try {
    from = parseAddress(opts.from ?? 'localhost');
  } catch (e) {
    throw new Error(`invalid downstream address ${opts.from}: ${(e as Error).message}`);
  }
  if (from.path !== '') throw new Error(`paths are not allowed: ${opts.from}`);
  if (from.scheme === '') from.scheme = from.port === HTTP_PORT || from.host === '' ? 'http' : 'https';
  if (from.port === '') {
    if (from.scheme === 'http') from.port = HTTP_PORT;
    else if (from.scheme === 'https') from.port = HTTPS_PORT;
  }

  // Mixing schemes is not supported: the first one given is the upstreams' scheme.
  let toScheme = '';
  const toAddresses = to.map((loc) => {
    const addr = parseUpstreamDialAddress(loc);
    if (typeof addr === 'string') throw new Error(`invalid upstream address ${loc}: ${addr}`);
    if (addr.scheme !== '' && toScheme === '') toScheme = addr.scheme;
    const hostport = addr.port === '' ? addr.host : joinHostPort(addr.host, addr.port);
    return addr.network !== '' ? `${addr.network}/${hostport}` : hostport;
  });

  const transport: Record<string, unknown> = { protocol: 'http' };
  if (toScheme === 'https') transport['tls'] = opts.insecure ? { insecure_skip_verify: true } : {};
  const handler: Record<string, unknown> = {
    handler: 'reverse_proxy',
    transport,
    upstreams: toAddresses.flatMap(expandUpstream),
  };

  const up = headerFlags('header-up', opts.headerUp);
  const down = headerFlags('header-down', opts.headerDown);
  if (up || down || opts.changeHostHeader) {
    const headers: Record<string, unknown> = {};
    const set = { ...(up ?? {}) };
    if (opts.changeHostHeader) set['Host'] = ['{http.reverse_proxy.upstream.hostport}'];
    if (Object.keys(set).length > 0) headers['request'] = { set };
    if (down) headers['response'] = { set: down };
    handler['headers'] = headers;
  }

  const route: Record<string, unknown> = {};
  if (from.host !== '') route['match'] = [{ host: [from.host] }];
  route['handle'] = [handler];

  const server: Record<string, unknown> = { listen: [`:${from.port}`], routes: [route] };
  if (opts.accessLog) server['logs'] = {};
  if (from.scheme === 'http') server['automatic_https'] = { disable: true };
  else if (opts.disableRedirects) server['automatic_https'] = { disable_redirects: true };

  const apps: Record<string, unknown> = { http: { servers: { proxy: server } } };
  if (opts.internalCerts && from.host !== '') {
    apps['tls'] = { automation: { policies: [{ subjects: [from.host], issuers: [{ module: 'internal' }] }] } };
  }
  const fromText = `${from.scheme}://${joinHostPort(from.host, from.port)}`;
  return { config: quickConfig(apps, opts.debug), from: fromText, to: toAddresses };
}

/** Adds `reverse-proxy`. */
export function registerReverseProxy(program: Command): void {
  program
    .command('reverse-proxy')
    .description(
      'A quick and production-ready reverse proxy: from a host (HTTPS with automatic certificates unless it is ' +
        'http:// or a bare port) to one or more upstreams',
    )
    .option('-f, --from <addr>', 'address on which to receive traffic', 'localhost')
    .option(
      '-t, --to <addr>',
      'upstream address(es) to which traffic should be sent (repeatable, or comma-separated)',
      collectList,
    )
    .option(
      '-H, --header-up <header>',
      'set a request header to send to the upstream ("Field: value", repeatable)',
      collect,
    )
    .option(
      '-d, --header-down <header>',
      'set a response header to send downstream ("Field: value", repeatable)',
      collect,
    )
    .option('-c, --change-host-header', 'set the Host header to the upstream address')
    .option('--insecure', 'disable TLS verification of the upstreams (WARNING: DISABLES SECURITY)')
    .option('-r, --disable-redirects', 'disable the HTTP->HTTPS redirects')
    .option('-i, --internal-certs', "use the internal CA for the --from host's certificate")
    .option('--access-log', 'enable the access log')
    .option('-v, --debug', 'enable debug logging')
    .action((opts: ReverseProxyOptions) =>
      runQuick(async () => {
        const { config, from, to } = reverseProxyConfig(opts);
        return serveQuick(config, (inst) => {
          inst.logger.info({ from, to }, 'proxy proxying');
          if (to.length > 1) inst.logger.info({ policy: 'random' }, 'using default load balancing policy');
        });
      }),
    );
}
