/** @module layer4/tls/client-hello: the ClientHello as layer4 matchers see it (util/client-hello), cached per buffer. */
import {
  parseClientHelloMessage as parseMessage,
  parseClientHelloRecords,
  type ClientHello,
} from '../../util/client-hello.js';

export type { ClientHello } from '../../util/client-hello.js';

/** Largest ClientHello accepted (caddy-l4: MaxMatchingBytes). */
const MAX_HELLO = 16384;

const cache = new WeakMap<Buffer, ClientHello | 'more' | null>();

/** Parses the ClientHello at the start of `buf`: 'more' if incomplete, null if not a (valid) ClientHello. */
export function parseClientHello(buf: Buffer): ClientHello | 'more' | null {
  let r = cache.get(buf);
  if (r === undefined) {
    r = parseClientHelloRecords(buf, MAX_HELLO);
    cache.set(buf, r);
  }
  return r;
}

/** Parses a bare ClientHello handshake message (type 1, uint24 length, body), as QUIC's CRYPTO frames carry it. */
export function parseClientHelloMessage(hs: Buffer): ClientHello | 'more' | null {
  return parseMessage(hs, MAX_HELLO);
}
