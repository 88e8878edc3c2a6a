/** @module layer4/matchers/tls: `layer4.matchers.tls` — a TLS ClientHello, optionally with sni/alpn/... conditions. */
import type { Connection } from '../connection.js';
import { parseClientHello } from '../tls/client-hello.js';
import { compileHandshakeMatchers } from '../tls/handshake-match.js';
import type { Matcher, MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

export const createTlsMatcher: MatcherFactory = (json, path): Matcher => {
  const conditions = compileHandshakeMatchers(json ?? {}, path);
  return {
    match(cx: Connection) {
      const hello = parseClientHello(cx.buffer);
      if (hello === 'more') return MORE;
      if (hello === null) return false;
      cx.vars.set('l4.tls.server_name', hello.serverName);
      return conditions({ serverName: hello.serverName, alpn: hello.alpn, info: cx.info });
    },
  };
};
