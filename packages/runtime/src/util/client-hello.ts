/**
 * @module util/client-hello: parses a TLS ClientHello from buffered bytes (several records/segments allowed), with
 * the checks Go's crypto/tls makes (no trailing dot in the server name, no empty ALPN protocol). The tls app reads
 * the hello with it before the handshake, layer4 matches and routes on it.
 */

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
/**
 * Parses the ClientHello at the start of `buf` (TLS records): 'more' if incomplete, null if not a (valid) ClientHello
 * or one longer than `maxHello` bytes.
 */
export function parseClientHelloRecords(buf: Buffer, maxHello: number): ClientHello | 'more' | null {
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
      if (hsLen > maxHello) return null;
      need = 4 + hsLen;
    }
  }
  const hs = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const hello = parseBody(hs.subarray(4, need));
  if (hello) hello.recordBytes = offset;
  return hello;
}

/** Parses a bare ClientHello handshake message (type 1, uint24 length, body), as QUIC's CRYPTO frames carry it. */
export function parseClientHelloMessage(hs: Buffer, maxHello: number): ClientHello | 'more' | null {
  if (hs.length === 0) return 'more';
  if (hs[0] !== 0x01) return null;
  if (hs.length < 4) return 'more';
  const len = (hs[1]! << 16) | (hs[2]! << 8) | hs[3]!;
  if (len > maxHello) return null;
  if (hs.length < 4 + len) return 'more';
  return parseBody(hs.subarray(4, 4 + len));
}

/** A cursor over bytes, in the manner of Go's cryptobyte.String: every read fails (undefined) past the end. */
class Reader {
  constructor(
    private readonly b: Buffer,
    private p = 0,
    private readonly end = b.length,
  ) {}
  get empty(): boolean {
    return this.p >= this.end;
  }
  get length(): number {
    return this.end - this.p;
  }
  u8(): number | undefined {
    return this.p + 1 <= this.end ? this.b[this.p++] : undefined;
  }
  u16(): number | undefined {
    if (this.p + 2 > this.end) return undefined;
    this.p += 2;
    return this.b.readUInt16BE(this.p - 2);
  }
  bytes(n: number | undefined): Reader | undefined {
    if (n === undefined || this.p + n > this.end) return undefined;
    this.p += n;
    return new Reader(this.b, this.p - n, this.p);
  }
  text(): string {
    return this.b.toString('latin1', this.p, this.end);
  }
}

/** Go's clientHelloMsg.unmarshal (crypto/tls), for the fields kept here; null where Go returns false. */
function parseBody(b: Buffer): ClientHello | null {
  const s = new Reader(b);
  const legacyVersion = s.u16();
  if (legacyVersion === undefined || !s.bytes(32) || !s.bytes(s.u8())) return null; // version, random, session id
  const suites = s.bytes(s.u16());
  if (!suites || suites.length % 2 !== 0 || !s.bytes(s.u8())) return null; // cipher suites, compression
  const hello: ClientHello = { serverName: '', alpn: [], legacyVersion, versions: [legacyVersion], recordBytes: 0 };
  if (s.empty) return hello;
  const exts = s.bytes(s.u16());
  if (!exts || !s.empty) return null;
  const seen = new Set<number>();
  while (!exts.empty) {
    const type = exts.u16();
    const data = exts.bytes(exts.u16());
    if (type === undefined || !data || seen.has(type)) return null;
    seen.add(type);
    const ok =
      type === 0
        ? serverName(data, hello)
        : type === 16
          ? alpn(data, hello)
          : type === 43
            ? versions(data, hello)
            : true;
    if (!ok) return null;
  }
  return hello;
}

/** server_name (RFC 6066): one host_name, not empty, no trailing dot; lower-cased for matching. */
function serverName(d: Reader, hello: ClientHello): boolean {
  const list = d.bytes(d.u16());
  if (!list || list.empty) return false;
  while (!list.empty) {
    const type = list.u8();
    const name = list.bytes(list.u16());
    if (type === undefined || !name || name.empty) return false;
    if (type !== 0) continue;
    if (hello.serverName !== '') return false;
    const text = name.text();
    if (text.endsWith('.')) return false;
    hello.serverName = text.toLowerCase();
  }
  return true;
}

/** application_layer_protocol_negotiation (RFC 7301): a non-empty list of non-empty names. */
function alpn(d: Reader, hello: ClientHello): boolean {
  const list = d.bytes(d.u16());
  if (!list || list.empty) return false;
  const out: string[] = [];
  while (!list.empty) {
    const proto = list.bytes(list.u8());
    if (!proto || proto.empty) return false;
    out.push(proto.text());
  }
  hello.alpn = out;
  return true;
}

/** supported_versions (RFC 8446): a non-empty list of uint16. */
function versions(d: Reader, hello: ClientHello): boolean {
  const list = d.bytes(d.u8());
  if (!list || list.empty) return false;
  const out: number[] = [];
  while (!list.empty) {
    const v = list.u16();
    if (v === undefined) return false;
    out.push(v);
  }
  hello.versions = out;
  return true;
}
