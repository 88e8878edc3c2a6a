/** @module layer4/matchers/wireguard: `layer4.matchers.wireguard` — a WireGuard handshake initiation (148 bytes). */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

const INITIATION_BYTES = 148;
const INITIATION_TYPE = 1;

export const createWireguardMatcher: MatcherFactory = (json, path) => {
  const zero = (json as { zero?: unknown } | null)?.zero ?? 0;
  if (typeof zero !== 'number' || !Number.isInteger(zero) || zero < 0 || zero > 0xffffffff) {
    throw new Layer4ConfigError(`${path}.zero`, 'must be a uint32');
  }
  // The message type is a little-endian uint32 whose upper 3 bytes are reserved zeros; `zero` lets
  // obfuscated clients that fill them in match too.
  const type = (zero | INITIATION_TYPE) >>> 0;
  return {
    match(cx: Connection) {
      const b = cx.buffer;
      if (b.length === 0 || (!cx.stream.readableObjectMode && b.length < INITIATION_BYTES)) return MORE;
      return b.length === INITIATION_BYTES && b.readUInt32LE(0) === type;
    },
  };
};
