/**
 * @module layer4/matchers/openvpn: `layer4.matchers.openvpn` (caddy-l4 MatchOpenVPN): an OpenVPN client's first
 * packet, a hard reset (P_CONTROL_HARD_RESET_CLIENT_V2, or V3 for tls-crypt-v2), over TCP (a 2-byte length
 * first) or UDP (one datagram). Four wrappings, each tried when `modes` lists it (all when empty):
 *
 * - plain: `op | session_id(8) | ack_len(1)=0 | message_packet_id(4)=0 | payload`.
 * - auth (tls-auth): `op | session_id | hmac(H) | packet_id(4)=1 | net_time(4) | ack_len=0 | message_packet_id=0`,
 *   the HMAC over `packet_id | net_time | op | session_id | rest`, with the `auth_digest` (default SHA1, OpenVPN's).
 * - crypt (tls-crypt): `op | session_id | packet_id=1 | net_time | tag(32) | AES-256-CTR(ack_len | message_packet_id
 *   | payload)`, the tag an HMAC-SHA256 over the header and the plaintext, its first 16 bytes the CTR IV.
 * - crypt2 (tls-crypt-v2): a V3 reset, a tls-crypt packet under the client key Kc, followed by the wrapped client
 *   key `WKc = tag(32) | AES-256-CTR(Kc | metadata) | length(2)` the server key unwraps.
 *
 * With a key for a mode (group_key for auth and crypt; server_key or client keys for crypt2) the packet must
 * authenticate; without one, or with `ignore_crypto`, its structure alone decides. Unless `ignore_timestamp`,
 * net_time must be within MAX_CLOCK_SKEW of now.
 */
import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Layer4OpenVpnMatcher } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import type { MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

const OP_HARD_RESET_CLIENT_V2 = 7;
const OP_HARD_RESET_CLIENT_V3 = 10;
/** How far net_time may be from now (seconds). */
const MAX_CLOCK_SKEW = 300;
/** Longest first packet read (tls-crypt-v2 wrapped keys stay well under it). */
const MAX_PACKET = 2048;
const TAG = 32;
/** Digest sizes tried for tls-auth without a key: SHA1, SHA256, SHA512, SHA384, SHA224, MD5. */
const AUTH_SIZES = [20, 32, 64, 48, 28, 16];
const DIGESTS: Record<string, { alg: string; size: number }> = {
  md5: { alg: 'md5', size: 16 },
  sha1: { alg: 'sha1', size: 20 },
  sha224: { alg: 'sha224', size: 28 },
  sha256: { alg: 'sha256', size: 32 },
  sha384: { alg: 'sha384', size: 48 },
  sha512: { alg: 'sha512', size: 64 },
  'sha512-224': { alg: 'sha512-224', size: 28 },
  'sha512-256': { alg: 'sha512-256', size: 32 },
  'sha3-224': { alg: 'sha3-224', size: 28 },
  'sha3-256': { alg: 'sha3-256', size: 32 },
  'sha3-384': { alg: 'sha3-384', size: 48 },
  'sha3-512': { alg: 'sha3-512', size: 64 },
};

/** One 512-bit cipher + 512-bit HMAC key slot of an OpenVPN static key. */
interface Slot {
  cipher: Buffer;
  hmac: Buffer;
}

/** The 256 bytes of an OpenVPN static key (`-----BEGIN OpenVPN Static key V1-----` and hex, or bare hex). */
function staticKey(text: string, where: string): Buffer {
  const body = text.includes('-----BEGIN')
    ? text.slice(text.indexOf('-----', text.indexOf('-----BEGIN') + 10) + 5, text.indexOf('-----END'))
    : text;
  const hex = body.replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]{512}$/.test(hex)) throw new Layer4ConfigError(where, 'not a 2048-bit OpenVPN static key');
  return Buffer.from(hex, 'hex');
}

/** The bytes of a base64 key (PEM-like markers allowed). */
function base64Key(text: string, where: string, min: number): Buffer {
  const body = text.includes('-----BEGIN')
    ? text.slice(text.indexOf('-----', text.indexOf('-----BEGIN') + 10) + 5, text.indexOf('-----END'))
    : text;
  const b64 = body.replace(/\s+/g, '');
  const b = Buffer.from(b64, 'base64');
  if (!/^[A-Za-z0-9+/=]+$/.test(b64) || b.length < min) throw new Layer4ConfigError(where, 'not a valid key');
  return b;
}

const slot = (key: Buffer, i: 0 | 1): Slot => ({
  cipher: key.subarray(i * 128, i * 128 + 64),
  hmac: key.subarray(i * 128 + 64, i * 128 + 128),
});

function readText(path: string, where: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Layer4ConfigError(where, `cannot read key file: ${(e as Error).message}`);
  }
}

const equal = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

function ctr(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const d = createDecipheriv('aes-256-ctr', key.subarray(0, 32), iv.subarray(0, 16));
  return Buffer.concat([d.update(data), d.final()]);
}

/** A client's first packet id: 1, with OpenVPN 2.6's early-negotiation marker (0x0f) in the top byte or not. */
const firstPacketId = (id: number): boolean => id === 1 || id === 0x0f000001;

function timeOk(t: number, ignore: boolean): boolean {
  return ignore || Math.abs(Date.now() / 1000 - t) <= MAX_CLOCK_SKEW;
}

/** A tls-crypt packet body (`op..net_time | tag | ciphertext`) checked with a key slot; undefined: no key. */
function cryptOk(p: Buffer, k: Slot | undefined, ignoreTime: boolean): boolean {
  if (p.length < 17 + TAG + 5) return false;
  if (!firstPacketId(p.readUInt32BE(9)) || !timeOk(p.readUInt32BE(13), ignoreTime)) return false;
  if (!k) return true;
  const tag = p.subarray(17, 17 + TAG);
  const plain = ctr(k.cipher, tag, p.subarray(17 + TAG));
  const want = createHmac('sha256', k.hmac.subarray(0, 32)).update(p.subarray(0, 17)).update(plain).digest();
  return equal(tag, want) && plain[0] === 0 && plain.readUInt32BE(1) === 0;
}

export const createOpenvpnMatcher: MatcherFactory = (json, path) => {
  const c = (json ?? {}) as Layer4OpenVpnMatcher;
  const modes = new Set((c.modes ?? []).map((m) => m.toLowerCase()));
  for (const m of modes)
    if (!['plain', 'auth', 'crypt', 'crypt2'].includes(m))
      throw new Layer4ConfigError(`${path}.modes`, `unknown mode ${JSON.stringify(m)} (plain, auth, crypt, crypt2)`);
  const want = (m: string): boolean => modes.size === 0 || modes.has(m);
  const ignoreCrypto = c.ignore_crypto === true;
  const ignoreTime = c.ignore_timestamp === true;

  if (c.group_key !== undefined && c.group_key_file !== undefined)
    throw new Layer4ConfigError(`${path}.group_key`, 'group_key and group_key_file are mutually exclusive');
  const groupText =
    c.group_key ?? (c.group_key_file === undefined ? undefined : readText(c.group_key_file, `${path}.group_key_file`));
  const group = groupText === undefined ? undefined : staticKey(groupText, `${path}.group_key`);
  const digest = DIGESTS[(c.auth_digest ?? 'sha1').toLowerCase().replace(/^sha-/, 'sha')];
  if (!digest) throw new Layer4ConfigError(`${path}.auth_digest`, `unknown digest ${JSON.stringify(c.auth_digest)}`);
  const direction = (c.group_key_direction ?? 'bidi').toLowerCase();
  if (!['normal', 'inverse', 'bidi', 'bidirectional'].includes(direction))
    throw new Layer4ConfigError(`${path}.group_key_direction`, `unknown direction ${JSON.stringify(direction)}`);
  // The slot a client's packets are signed with, seen from the server: a client of a `normal` server (key-direction
  // 0) signs with slot 1; without directions both sides use slot 0. tls-crypt always has the client on slot 1.
  const authSlot = group && !ignoreCrypto ? slot(group, direction === 'normal' ? 1 : 0) : undefined;
  const cryptSlot = group && !ignoreCrypto ? slot(group, direction === 'inverse' ? 0 : 1) : undefined;

  if (c.server_key !== undefined && c.server_key_file !== undefined)
    throw new Layer4ConfigError(`${path}.server_key`, 'server_key and server_key_file are mutually exclusive');
  const serverText =
    c.server_key ??
    (c.server_key_file === undefined ? undefined : readText(c.server_key_file, `${path}.server_key_file`));
  const server = serverText === undefined ? undefined : base64Key(serverText, `${path}.server_key`, 128);
  const clientKeys = [
    ...(c.client_keys ?? []).map((k, i) => base64Key(k, `${path}.client_keys[${i}]`, 256)),
    ...(c.client_key_files ?? []).map((f, i) =>
      base64Key(readText(f, `${path}.client_key_files[${i}]`), `${path}.client_key_files[${i}]`, 256),
    ),
  ].map((k) => slot(k.subarray(0, 256), 1));
  const crypt2Keyed = !ignoreCrypto && (server !== undefined || clientKeys.length > 0);

  const plain = (p: Buffer): boolean => p.length >= 14 && p[9] === 0 && p.readUInt32BE(10) === 0;

  const auth = (p: Buffer): boolean => {
    for (const h of authSlot ? [digest.size] : AUTH_SIZES) {
      const rest = 9 + h;
      if (p.length < rest + 13) continue;
      if (!firstPacketId(p.readUInt32BE(rest)) || p[rest + 8] !== 0 || p.readUInt32BE(rest + 9) !== 0) continue;
      if (!timeOk(p.readUInt32BE(rest + 4), ignoreTime)) continue;
      if (!authSlot) return true;
      const mac = createHmac(digest.alg, authSlot.hmac.subarray(0, digest.size))
        .update(p.subarray(rest, rest + 8))
        .update(p.subarray(0, 9))
        .update(p.subarray(rest + 8))
        .digest();
      return equal(mac, p.subarray(9, rest));
    }
    return false;
  };

  const crypt2 = (p: Buffer): boolean => {
    const wkcLen = p.length >= 2 ? p.readUInt16BE(p.length - 2) : 0;
    if (wkcLen < TAG + 256 + 2 || wkcLen > p.length - (17 + TAG + 5)) return false;
    const body = p.subarray(0, p.length - wkcLen);
    if (!crypt2Keyed) return cryptOk(body, undefined, ignoreTime);
    const wkc = p.subarray(p.length - wkcLen);
    const keys: Slot[] = [];
    if (server) {
      const tag = wkc.subarray(0, TAG);
      const inner = ctr(server.subarray(0, 64), tag, wkc.subarray(TAG, wkc.length - 2));
      const mac = createHmac('sha256', server.subarray(64, 96))
        .update(wkc.subarray(wkc.length - 2))
        .update(inner);
      if (equal(tag, mac.digest())) keys.push(slot(inner.subarray(0, 256), 1));
    }
    keys.push(...clientKeys);
    return keys.some((k) => cryptOk(body, k, ignoreTime));
  };

  return {
    match(cx: Connection) {
      const b = cx.buffer;
      let p: Buffer;
      if (cx.stream.readableObjectMode) {
        if (b.length === 0) return MORE;
        p = b;
      } else {
        if (b.length < 2) return b.length === 0 ? MORE : b[0]! <= MAX_PACKET >> 8 ? MORE : false;
        const n = b.readUInt16BE(0);
        if (n < 14 || n > MAX_PACKET) return false;
        if (b.length < 2 + n) return MORE;
        p = b.subarray(2, 2 + n);
      }
      if (p.length < 14 || (p[0]! & 7) !== 0) return false;
      const op = p[0]! >> 3;
      if (op === OP_HARD_RESET_CLIENT_V3) return want('crypt2') && crypt2(p);
      if (op !== OP_HARD_RESET_CLIENT_V2) return false;
      return (
        (want('plain') && plain(p)) || (want('auth') && auth(p)) || (want('crypt') && cryptOk(p, cryptSlot, ignoreTime))
      );
    },
  };
};
