/** @module layer4/quic/initial: reads the ClientHello out of QUIC Initial packets (RFC 9000/9001, QUIC v1 and v2). */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';

const V1 = 0x00000001;
const V2 = 0x6b3343cf;
const SALT: Record<number, Buffer> = {
  [V1]: Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex'),
  [V2]: Buffer.from('0dede3def700a6db819381be6e269dcbf9bd2ed9', 'hex'),
};
/** Long-header packet type of Initial packets. */
const INITIAL_TYPE: Record<number, number> = { [V1]: 0, [V2]: 1 };
const LABEL_PREFIX: Record<number, string> = { [V1]: 'quic', [V2]: 'quicv2' };
/** Most CRYPTO bytes gathered (a ClientHello is far smaller). */
const MAX_CRYPTO = 16 * 1024;

export interface InitialKeys {
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

function hkdfExpandLabel(secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0]),
    Buffer.from([1]),
  ]);
  // one HMAC block suffices for every length used here (<= 32 bytes with SHA-256)
  return createHmac('sha256', secret).update(info).digest().subarray(0, length);
}

/** The client's Initial packet protection keys for a destination connection ID. */
export function clientInitialKeys(dcid: Buffer, version: number): InitialKeys {
  const salt = SALT[version];
  if (!salt) throw new Error(`unsupported QUIC version ${version.toString(16)}`);
  const initial = createHmac('sha256', salt).update(dcid).digest();
  const client = hkdfExpandLabel(initial, 'client in', 32);
  const p = LABEL_PREFIX[version]!;
  return {
    key: hkdfExpandLabel(client, `${p} key`, 16),
    iv: hkdfExpandLabel(client, `${p} iv`, 12),
    hp: hkdfExpandLabel(client, `${p} hp`, 16),
  };
}

/** A QUIC variable-length integer at `p`: [value, next offset], or null past the end. */
export function readVarint(b: Buffer, p: number): [number, number] | null {
  if (p >= b.length) return null;
  const len = 1 << (b[p]! >> 6);
  if (p + len > b.length) return null;
  let v = b[p]! & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + b[p + i]!;
  return [v, p + len];
}

/** Decrypts one long-header packet at `p`: its plaintext payload (null if not an Initial) and where it ends. */
function openPacket(b: Buffer, p: number): { version: number; payload: Buffer | null; end: number } | null {
  const b0 = b[p]!;
  if ((b0 & 0x80) === 0 || p + 7 > b.length) return null; // short header or truncated: no more long packets
  const version = b.readUInt32BE(p + 1);
  if (SALT[version] === undefined) return null;
  let q = p + 5;
  const dcidLen = b[q]!;
  const dcid = b.subarray(q + 1, q + 1 + dcidLen);
  q += 1 + dcidLen;
  if (q >= b.length) return null;
  q += 1 + b[q]!; // source connection ID
  const type = (b0 >> 4) & 3;
  if (type === INITIAL_TYPE[version]) {
    const token = readVarint(b, q);
    if (!token) return null;
    q = token[1] + token[0];
  }
  const length = readVarint(b, q);
  if (!length) return null;
  const pnOffset = length[1];
  const end = pnOffset + length[0];
  if (end > b.length || length[0] < 20) return null;
  if (type !== INITIAL_TYPE[version]) return { version, payload: null, end }; // 0-RTT / Handshake: skipped
  const keys = clientInitialKeys(dcid, version);
  const mask = createCipheriv('aes-128-ecb', keys.hp, null).update(b.subarray(pnOffset + 4, pnOffset + 20));
  const first = b0 ^ (mask[0]! & 0x0f);
  const pnLen = (first & 3) + 1;
  const header = Buffer.from(b.subarray(p, pnOffset + pnLen));
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    const byte = header[pnOffset - p + i]! ^ mask[1 + i]!;
    header[pnOffset - p + i] = byte;
    pn = pn * 256 + byte;
  }
  const nonce = Buffer.from(keys.iv);
  for (let i = 0; i < 6; i++) nonce[11 - i]! ^= Math.floor(pn / 256 ** i) & 0xff;
  try {
    const d = createDecipheriv('aes-128-gcm', keys.key, nonce);
    d.setAAD(header);
    d.setAuthTag(b.subarray(end - 16, end));
    const payload = Buffer.concat([d.update(b.subarray(pnOffset + pnLen, end - 16)), d.final()]);
    return { version, payload, end };
  } catch {
    return null; // not a valid client Initial
  }
}

/** Collects CRYPTO frame data by offset; false if the payload holds a frame an Initial cannot carry. */
function readFrames(payload: Buffer, crypto: Map<number, Buffer>): boolean {
  let p = 0;
  while (p < payload.length) {
    const t = readVarint(payload, p);
    if (!t) return false;
    p = t[1];
    switch (t[0]) {
      case 0x00: // PADDING
      case 0x01: // PING
        break;
      case 0x02:
      case 0x03: {
        // ACK: largest, delay, range count, first range, (gap, length)*, [ECN counts]
        const fields: number[] = [];
        for (let i = 0; i < 4; i++) {
          const v = readVarint(payload, p);
          if (!v) return false;
          fields.push(v[0]);
          p = v[1];
        }
        const extra = fields[2]! * 2 + (t[0] === 0x03 ? 3 : 0);
        for (let i = 0; i < extra; i++) {
          const v = readVarint(payload, p);
          if (!v) return false;
          p = v[1];
        }
        break;
      }
      case 0x06: {
        const off = readVarint(payload, p);
        const len = off && readVarint(payload, off[1]);
        if (!off || !len || len[1] + len[0] > payload.length || off[0] + len[0] > MAX_CRYPTO) return false;
        crypto.set(off[0], payload.subarray(len[1], len[1] + len[0]));
        p = len[1] + len[0];
        break;
      }
      default:
        return false; // CONNECTION_CLOSE and anything else: not a ClientHello-bearing Initial
    }
  }
  return true;
}

/**
 * The TLS handshake bytes the client's Initial packets carry, contiguous from offset 0, with the QUIC
 * version; null if the datagrams are not client Initials.
 */
export function initialCryptoData(datagrams: readonly Buffer[]): { version: number; data: Buffer } | null {
  const crypto = new Map<number, Buffer>();
  let version = 0;
  for (const dg of datagrams) {
    for (let p = 0; p < dg.length; ) {
      const pkt = openPacket(dg, p);
      if (pkt === null) break; // trailing padding or a short-header packet ends the datagram's long packets
      p = pkt.end;
      if (pkt.payload === null) continue;
      version ||= pkt.version;
      if (!readFrames(pkt.payload, crypto)) return null;
    }
  }
  if (version === 0) return null;
  const parts: Buffer[] = [];
  for (let off = 0; crypto.has(off); ) {
    const part = crypto.get(off)!;
    if (part.length === 0) break;
    parts.push(part);
    off += part.length;
  }
  return { version, data: Buffer.concat(parts) };
}
