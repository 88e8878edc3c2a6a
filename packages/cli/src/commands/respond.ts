/**
 * @module commands/respond: `proxy respond`: quick static responses on one or more ports, the config current
 * Caddy's `caddy respond` (modules/caddyhttp/staticresp.go; not in 2.6.2) builds, served here.
 */
import { fstatSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseNetworkAddress } from '@proxy/runtime';
import { collect, headerFlags, quickConfig, runQuick, serveQuick } from './quick-serve.js';

/** Options of `proxy respond` (Caddy's flags). */
export interface RespondOptions {
  listen?: string;
  status?: string;
  body?: string;
  header?: string[];
  accessLog?: boolean;
  debug?: boolean;
}

/** What the body template may name (Caddy's: the server number, its port and its address). */
interface BodyContext {
  N: number;
  Port: number;
  Address: string;
}

/**
 * Fills the body template. Caddy runs it through Go's text/template; the fields there are {{.N}}, {{.Port}} and
 * {{.Address}}, which is what this supports (anything else in {{ }} is refused, not printed as is).
 */
export function renderBody(body: string, ctx: BodyContext): string {
  return body.replace(/\{\{(-?)\s*([^}]*?)\s*(-?)\}\}/g, (_m, _l: string, expr: string) => {
    const m = /^\.(N|Port|Address)$/.exec(expr);
    if (!m)
      throw new Error(
        `template: body: unsupported action {{${expr}}} (the body may use {{.N}}, {{.Port}}, {{.Address}})`,
      );
    return String(ctx[m[1] as keyof BodyContext]);
  });
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The status and body from the flags and the argument, as Caddy picks them. */
export function statusAndBody(
  opts: RespondOptions,
  arg: string | undefined,
  statusGiven: boolean,
  stdinBody: () => string | undefined,
): { status: number; body: string } {
  let status = opts.status === undefined ? 200 : Number(opts.status);
  if (!Number.isInteger(status)) throw new Error(`invalid --status: ${opts.status}`);
  let body = opts.body ?? '';
  if (arg !== undefined && arg !== '') {
    if (body !== '' && statusGiven) throw new Error(`unflagged argument "${arg}" is overridden by flags`);
    // A number is the status (when --status is not given); anything else is the body.
    if (/^[+-]?\d+$/.test(arg) && !statusGiven) {
      const n = Number(arg);
      if (n >= 100 && n <= 999) status = n;
    } else if (body === '') {
      body = arg;
    }
  }
  if (body === '') body = stdinBody() ?? '';
  return { status, body };
}

/** The config `caddy respond` builds: one server per port of --listen. */
export function respondConfig(opts: RespondOptions, status: number, body: string): unknown {
  const listen = opts.listen ?? ':0';
  const addr = parseNetworkAddress(listen, 'listen');
  const headers = headerFlags('header', opts.header);
  const servers: Record<string, unknown> = {};
  for (let i = 0; addr.startPort + i <= addr.endPort; i++) {
    const port = addr.startPort + i;
    const address = (addr.network === 'tcp' ? '' : `${addr.network}/`) + joinHostPort(addr.host, port);
    const handler: Record<string, unknown> = {
      handler: 'static_response',
      status_code: String(status),
      body: renderBody(body, { N: i, Port: port, Address: address }),
    };
    if (headers) handler['headers'] = headers;
    const server: Record<string, unknown> = {
      listen: [address],
      read_header_timeout: 10_000_000_000,
      idle_timeout: 30_000_000_000,
      max_header_bytes: 1024 * 10,
      routes: [{ handle: [handler] }],
      automatic_https: { disable_redirects: true },
    };
    if (opts.accessLog) server['logs'] = {};
    servers[`static${i}`] = server;
  }
  return quickConfig({ http: { servers } }, opts.debug);
}

/**
 * The body piped on stdin: a pipe, not a terminal or a file, as Caddy checks; also a socket pair, which is what
 * Node (and other runtimes) give a child for a pipe.
 */
function pipedStdin(): string | undefined {
  try {
    const st = fstatSync(0);
    if (!st.isFIFO() && !st.isSocket()) return undefined;
    return readFileSync(0, 'utf8');
  } catch {
    return undefined;
  }
}

/** Adds `respond`. */
export function registerRespond(program: Command): void {
  program
    .command('respond')
    .description(
      'Simple, hard-coded HTTP responses for development and testing: [text] is the status (a 3-digit number) ' +
        'or the body; the body may also be piped on stdin and may use {{.N}}, {{.Port}} and {{.Address}}',
    )
    .argument('[text]', 'the status code or the body')
    .option(
      '-l, --listen <addr>',
      'the address to which to bind the listener (a port range gives one server each)',
      ':0',
    )
    .option('-s, --status <code>', 'the response status code', '200')
    .option('-b, --body <text>', 'the body of the response')
    .option('-H, --header <header>', 'set a header on the response ("Field: value", repeatable)', collect)
    .option('-a, --access-log', 'enable the access log')
    .option('-v, --debug', 'enable more verbose debug-level logging')
    .action((text: string | undefined, opts: RespondOptions, cmd: Command) =>
      runQuick(async () => {
        const statusGiven = cmd.getOptionValueSource('status') === 'cli';
        const { status, body } = statusAndBody(opts, text, statusGiven, pipedStdin);
        const config = respondConfig(opts, status, body);
        return serveQuick(config, (inst) => {
          const servers = Object.keys((config as { apps: { http: { servers: object } } }).apps.http.servers);
          for (const name of servers) {
            for (const a of inst.addresses(name))
              process.stdout.write(`Server address: ${joinHostPort(a.address, a.port)}\n`);
          }
        });
      }),
    );
}
