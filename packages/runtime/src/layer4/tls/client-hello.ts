/** @module layer4/tls/client-hello: parses a TLS ClientHello from buffered bytes (several records/segments allowed). */

/** The ClientHello fields matchers and the tls handler use. */
export interface ClientHello {
  /** SNI host name, lower-cased; '' when absent. */
  serverName: string;
  /** ALPN protocols offered, in the client's order. */
  alpn: string[];
  /** Legacy version field, e.g. 0x0303. */
  legacyVersion: number;
  /** supported_versions extension (TLS 1.3 clients), else [legacyVersion]. */
  versions: number[];
  /** Bytes of records the ClientHello took. */
  recordBytes: number;
}

/** Largest record payload accepted (16384 plus the 2048 TLS allows for expansion). */
const MAX_RECORD = 16384 + 2048;
/** Largest ClientHello accepted (caddy-l4: MaxMatchingBytes). */
const MAX_HELLO = 16384;

const cache = new WeakMap<Buffer, ClientHello | 'more' | null>();

/** Parses the ClientHello at the start of `buf`: 'more' if incomplete, null if not a (valid) ClientHello. */
export function parseClientHello(buf: Buffer): ClientHello | 'more' | null {
  let r = cache.get(buf);
  if (r === undefined) {
    r = parse(buf);
    cache.set(buf, r);
  }
  return r;
}

function parse(buf: Buffer): ClientHello | 'more' | null {
  if (buf.length === 0) return 'more';
  if (buf[0] !== 0x16) return null;
  // Gather the handshake message from as many handshake records as it spans.
  const parts: Buffer[] = [];
  let have = 0;
  let need = 4;
  let offset = 0;
  while (have < need) {
    if (buf.length < offset + 5) return 'more';
    if (buf[offset] !== 0x16) return null;
    if (buf[offset + 1] !== 0x03) return null;
    const len = buf.readUInt16BE(offset + 3);
    if (len === 0 || len > MAX_RECORD) return null;
    if (buf.length < offset + 5 + len) return 'more';
    parts.push(buf.subarray(offset + 5, offset + 5 + len));
    have += len;
    offset += 5 + len;
    if (need === 4 && have >= 4) {
      const head = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      if (head[0] !== 0x01) return null;
      const hsLen = (head[1]! << 16) | (head[2]! << 8) | head[3]!;
      if (hsLen > MAX_HELLO) return null;
      need = 4 + hsLen;
    }
  }
  const hs = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const hello = parseBody(hs.subarray(4, need));
  if (hello) hello.recordBytes = offset;
  return hello;
}

/** Parses a bare ClientHello handshake message (type 1, uint24 length, body), as QUIC's CRYPTO frames carry it. */
export function parseClientHelloMessage(hs: Buffer): ClientHello | 'more' | null {
  if (hs.length === 0) return 'more';
  if (hs[0] !== 0x01) return null;
  if (hs.length < 4) return 'more';
  const len = (hs[1]! << 16) | (hs[2]! << 8) | hs[3]!;
  if (len > MAX_HELLO) return null;
  if (hs.length < 4 + len) return 'more';
  return parseBody(hs.subarray(4, 4 + len));
}

function parseBody(b: Buffer): ClientHello | null {
  try {
    let p = 0;
    const legacyVersion = b.readUInt16BE(p);
    p += 2 + 32; // version, random
    p += 1 + b[p]!; // session id
    const suites = b.readUInt16BE(p);
    p += 2 + suites;
    p += 1 + b[p]!; // compression methods
    const hello: ClientHello = { serverName: '', alpn: [], legacyVersion, versions: [legacyVersion], recordBytes: 0 };
    if (p === b.length) return hello;
    const extEnd = p + 2 + b.readUInt16BE(p);
    if (extEnd > b.length) return null;
    p += 2;
    while (p + 4 <= extEnd) {
      const type = b.readUInt16BE(p);
      const len = b.readUInt16BE(p + 2);
      const data = b.subarray(p + 4, p + 4 + len);
      if (data.length !== len) return null;
      p += 4 + len;
      if (type === 0) {
        const name = parseServerName(data);
        if (name === null) return null;
        hello.serverName = name;
      } else if (type === 16) {
        const alpn = parseAlpn(data);
        if (alpn === null) return null;
        hello.alpn = alpn;
      } else if (type === 43) {
        const versions: number[] = [];
        for (let i = 1; i + 1 < 1 + data[0]! && i + 1 < data.length; i += 2) versions.push(data.readUInt16BE(i));
        if (versions.length > 0) hello.versions = versions;
      }
    }
    return hello;
  } catch {
    return null; // a length ran past the end: malformed
  }
}

function parseServerName(d: Buffer): string | null {
  let p = 2;
  const end = Math.min(d.length, 2 + d.readUInt16BE(0));
  while (p + 3 <= end) {
    const type = d[p]!;
    const len = d.readUInt16BE(p + 1);
    if (p + 3 + len > end) return null;
    if (type === 0) {
      const name = d.toString('latin1', p + 3, p + 3 + len);
      if (name.endsWith('.')) return null; // Go rejects a trailing dot
      return name.toLowerCase();
    }
    p += 3 + len;
  }
  return '';
}

function parseAlpn(d: Buffer): string[] | null {
  const out: string[] = [];
  const end = 2 + d.readUInt16BE(0);
  if (end > d.length) return null;
  let p = 2;
  while (p < end) {
    const len = d[p]!;
    if (len === 0 || p + 1 + len > end) return null;
    out.push(d.toString('latin1', p + 1, p + 1 + len));
    p += 1 + len;
  }
  return out;
}
