/** @module layer4/modules: the registry of layer4 matcher and handler modules, keyed by their caddy-l4 names. */
import { createCloseHandler, createEchoHandler } from './handlers/simple.js';
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
import { createVarsMatcher, createVarsRegexpMatcher } from './matchers/vars.js';
import type { HandlerFactory, MatcherFactory } from './types.js';

/** `layer4.matchers.<name>`. */
export const MATCHERS = new Map<string, MatcherFactory>([
  ['tls', createTlsMatcher],
  ['postgres', createPostgresMatcher],
  ['http', createHttpMatcher],
  ['ssh', createSshMatcher],
  ['remote_ip', createRemoteIpMatcher],
  ['local_ip', createLocalIpMatcher],
  ['not', createNotMatcher],
  ['proxy_protocol', createProxyProtocolMatcher],
  ['regexp', createRegexpMatcher],
  ['vars', createVarsMatcher],
  ['vars_regexp', createVarsRegexpMatcher],
  ['clock', createClockMatcher],
  ['remote_ip_list', createRemoteIpListMatcher],
  ['socks4', createSocks4Matcher],
  ['socks5', createSocks5Matcher],
  ['xmpp', createXmppMatcher],
  ['dns', createDnsMatcher],
  ['rdp', createRdpMatcher],
  ['wireguard', createWireguardMatcher],
  ['quic', createQuicMatcher],
]);

/** `layer4.handlers.<name>`. */
export const HANDLERS = new Map<string, HandlerFactory>([
  ['tls', createTlsHandler],
  ['postgres_tls', createPostgresTlsHandler],
  ['proxy', createProxyHandler],
  ['proxy_protocol', createProxyProtocolHandler],
  ['subroute', createSubrouteHandler],
  ['echo', createEchoHandler],
  ['close', createCloseHandler],
  ['tee', createTeeHandler],
  ['throttle', createThrottleHandler],
  ['vars', createVarsHandler],
  ['socks5', createSocks5Handler],
]);

/** caddy-l4 modules this runtime does not have yet (named in the config error). */
export const PLANNED = new Set([
  'layer4.matchers.openvpn',
  'layer4.matchers.winbox',
]);
