/** @module layer4/modules: the layer4 matcher and handler modules (`layer4.matchers.*`, `layer4.handlers.*`), in explicit lists. */
import { createCloseHandler, createEchoHandler } from './handlers/simple.js';
import { createInFlightConnHandler } from './handlers/in-flight-conn.js';
import { createPostgresTlsHandler } from './handlers/postgres-tls.js';
import { createProxyProtocolHandler } from './handlers/proxy-protocol.js';
import { createProxyHandler } from './handlers/proxy.js';
import { createSocks5Handler } from './handlers/socks5.js';
import { createSubrouteHandler } from './handlers/subroute.js';
import { createTeeHandler } from './handlers/tee.js';
import { createThrottleHandler } from './handlers/throttle.js';
import { createTlsHandler } from './handlers/tls.js';
import { createVarsHandler } from './handlers/vars.js';
import { createClockMatcher } from './matchers/clock.js';
import { createDnsMatcher } from './matchers/dns.js';
import { createHttpMatcher } from './matchers/http.js';
import { createLocalIpMatcher, createRemoteIpMatcher } from './matchers/ip.js';
import { createNotMatcher } from './matchers/not.js';
import { createPostgresMatcher } from './matchers/postgres.js';
import { createProxyProtocolMatcher } from './matchers/proxy-protocol.js';
import { createQuicMatcher } from './matchers/quic.js';
import { createRdpMatcher } from './matchers/rdp.js';
import { createRegexpMatcher } from './matchers/regexp.js';
import { createRemoteIpListMatcher } from './matchers/remote-ip-list.js';
import { createSocks4Matcher, createSocks5Matcher, createXmppMatcher } from './matchers/socks.js';
import { createSshMatcher } from './matchers/ssh.js';
import { createTlsMatcher } from './matchers/tls.js';
import { createWireguardMatcher } from './matchers/wireguard.js';
import { createOpenvpnMatcher } from './matchers/openvpn.js';
import { createVarsMatcher, createVarsRegexpMatcher } from './matchers/vars.js';
import { s } from '@proxy/contract';
import type { AnyModule, RuntimeModule } from '../modules.js';
import { unsupportedModules } from '../modules.js';
import type { Compiler, Handler, HandlerFactory, Matcher, MatcherFactory } from './types.js';

/** A layer4 matcher module; the layer4 compiler checks its JSON while compiling it. */
export type Layer4MatcherModule = RuntimeModule<Matcher, Compiler>;
/** A layer4 handler module. */
export type Layer4HandlerModule = RuntimeModule<Handler, Compiler>;

function matcher(name: string, doc: string, f: MatcherFactory): Layer4MatcherModule {
  return {
    id: `layer4.matchers.${name}`,
    kind: 'layer4.matcher',
    doc,
    schema: s.any,
    create: (json, compiler, path) => f(json, path, compiler),
  };
}

function handler(name: string, doc: string, f: HandlerFactory): Layer4HandlerModule {
  return {
    id: `layer4.handlers.${name}`,
    kind: 'layer4.handler',
    doc,
    schema: s.any,
    create: (json, compiler, path) => f(json as Record<string, unknown>, path, compiler),
  };
}

/** `layer4.matchers.<name>`. */
export const layer4Matchers: Layer4MatcherModule[] = [
  matcher('tls', "Matches a TLS ClientHello by the tls app's handshake matchers.", createTlsMatcher),
  matcher('postgres', 'Matches a PostgreSQL startup (user, database, application, SSLRequest).', createPostgresMatcher),
  matcher('http', 'Matches an HTTP request by http matcher sets.', createHttpMatcher),
  matcher('ssh', 'Matches an SSH banner.', createSshMatcher),
  matcher('remote_ip', 'Matches the peer address.', createRemoteIpMatcher),
  matcher('local_ip', 'Matches the local address.', createLocalIpMatcher),
  matcher('not', 'Negates matcher sets.', createNotMatcher),
  matcher('proxy_protocol', 'Matches a PROXY protocol header.', createProxyProtocolMatcher),
  matcher('regexp', 'Matches the first bytes against a regular expression.', createRegexpMatcher),
  matcher('vars', 'Matches variables or placeholders.', createVarsMatcher),
  matcher('vars_regexp', 'Matches variables or placeholders against regular expressions.', createVarsRegexpMatcher),
  matcher('clock', 'Matches the time of day.', createClockMatcher),
  matcher(
    'remote_ip_list',
    'Matches the peer address against a file of ranges, reloaded on change.',
    createRemoteIpListMatcher,
  ),
  matcher('socks4', 'Matches a SOCKS4 request.', createSocks4Matcher),
  matcher('socks5', 'Matches a SOCKS5 greeting.', createSocks5Matcher),
  matcher('xmpp', 'Matches an XMPP stream header.', createXmppMatcher),
  matcher('dns', 'Matches DNS queries by their questions.', createDnsMatcher),
  matcher('rdp', 'Matches an RDP connection request.', createRdpMatcher),
  matcher('wireguard', 'Matches a WireGuard handshake initiation.', createWireguardMatcher),
  matcher(
    'openvpn',
    'Matches an OpenVPN client hard reset (plain, tls-auth, tls-crypt, tls-crypt-v2).',
    createOpenvpnMatcher,
  ),
  matcher('quic', 'Matches the ClientHello inside a QUIC Initial.', createQuicMatcher),
];

/** `layer4.handlers.<name>`. */
export const layer4Handlers: Layer4HandlerModule[] = [
  handler('tls', 'Terminates TLS with connection policies.', createTlsHandler),
  handler('postgres_tls', 'Answers a PostgreSQL SSLRequest so that tls can follow.', createPostgresTlsHandler),
  handler('proxy', 'Proxies the stream to upstreams.', createProxyHandler),
  handler('proxy_protocol', 'Reads a PROXY protocol header from allowed sources.', createProxyProtocolHandler),
  handler('subroute', 'Runs nested routes.', createSubrouteHandler),
  handler('echo', 'Writes back what it reads.', createEchoHandler),
  handler('close', 'Closes the connection.', createCloseHandler),
  handler('tee', 'Runs a branch of handlers on a copy of the stream.', createTeeHandler),
  handler('throttle', 'Limits read rates and adds latency.', createThrottleHandler),
  handler('vars', 'Sets variables.', createVarsHandler),
  handler('socks5', 'Serves SOCKS5 (CONNECT, UDP ASSOCIATE).', createSocks5Handler),
  handler(
    'in_flight_conn',
    "Proxy's own (not in caddy-l4): at most `amount` simultaneous connections per client IP; over it, closes the connection (Traefik's inFlightConn).",
    createInFlightConnHandler,
  ),
];

/** caddy-l4 modules this runtime does not have yet (named in the config error). */
export const layer4Unsupported: AnyModule[] = unsupportedModules('this runtime does not implement it yet', [
  'layer4.matchers.winbox',
]);

const byName = <M extends { id: string }>(mods: M[], ns: string) =>
  new Map(mods.map((m) => [m.id.slice(ns.length + 1), m]));

/** Matcher modules by caddy-l4 name. */
export const MATCHERS = byName(layer4Matchers, 'layer4.matchers');
/** Handler modules by caddy-l4 name. */
export const HANDLERS = byName(layer4Handlers, 'layer4.handlers');
/** IDs of the unsupported ones. */
export const PLANNED = new Set(layer4Unsupported.map((m) => m.id));
