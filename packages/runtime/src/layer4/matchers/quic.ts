/** @module layer4/matchers/quic: `layer4.matchers.quic` — a QUIC client Initial whose ClientHello passes tls handshake matchers. */
import type { Connection } from '../connection.js';
import { initialCryptoData } from '../quic/initial.js';
import { parseClientHelloMessage, type ClientHello } from '../tls/client-hello.js';
import { compileHandshakeMatchers } from '../tls/handshake-match.js';
import type { Matcher, MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

const cache = new WeakMap<Buffer, { version: number; hello: ClientHello | 'more' | null } | null>();

export const createQuicMatcher: MatcherFactory = (json, path): Matcher => {
  const conditions = compileHandshakeMatchers(json ?? {}, path);
  return {
    match(cx: Connection) {
      if (!cx.stream.readableObjectMode) return false; // QUIC runs over UDP only
      if (cx.buffer.length === 0) return MORE;
      let r = cache.get(cx.buffer);
      if (r === undefined) {
        const crypto = initialCryptoData(cx.chunks);
        r = crypto && { version: crypto.version, hello: parseClientHelloMessage(crypto.data) };
        cache.set(cx.buffer, r);
      }
      if (r === null || r.hello === null) return false;
      if (r.hello === 'more') return MORE; // the ClientHello continues in the next Initial datagram
      cx.vars.set('l4.quic.version', r.version.toString(16).padStart(8, '0'));
      cx.vars.set('l4.quic.tls.server_name', r.hello.serverName);
      return conditions({ serverName: r.hello.serverName, alpn: r.hello.alpn, info: cx.info });
    },
  };
};
