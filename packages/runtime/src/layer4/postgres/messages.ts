/** @module layer4/postgres/messages: the PostgreSQL frontend's first messages and the few backend messages we build. */

export const SSL_REQUEST_CODE = 80877103;
export const CANCEL_REQUEST_CODE = 80877102;
export const GSSENC_REQUEST_CODE = 80877104;
/** int32 8 + int32 80877103. */
export const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);
/** Longest cancel key: protocol 3.2's BackendKeyData allows up to 256 bytes (3.0's are 4). */
export const MAX_CANCEL_KEY = 256;
/** Longest first message accepted (caddy-l4: payload up to 16384 bytes). */
const MAX_STARTUP_PAYLOAD = 16384;

/** The first message a PostgreSQL frontend sends. */
export type FirstMessage =
  | { kind: 'ssl'; length: 8 }
  | { kind: 'gssenc'; length: 8 }
  | { kind: 'cancel'; length: number; processId: number; secretKey: Buffer }
  | { kind: 'startup'; length: number; major: number; minor: number; params: Map<string, string> };

const cache = new WeakMap<Buffer, FirstMessage | 'more' | null>();

/**
 * Classifies the first message in `buf`. Returns 'more' when the bytes so far could still be one, null when
 * they cannot be (not PostgreSQL, or malformed). Cached per buffer: every postgres matcher of a route list
 * looks at the same prefetched bytes.
 */
export function parseFirstMessage(buf: Buffer): FirstMessage | 'more' | null {
  let r = cache.get(buf);
  if (r === undefined) {
    r = parse(buf);
    cache.set(buf, r);
  }
  return r;
}

function parse(buf: Buffer): FirstMessage | 'more' | null {
  if (buf.length < 4) return plausiblePrefix(buf) ? 'more' : null;
  const length = buf.readUInt32BE(0);
  if (length < 8 || length - 4 > MAX_STARTUP_PAYLOAD) return null;
  if (buf.length < 8) return 'more';
  const code = buf.readUInt32BE(4);
  if (code === SSL_REQUEST_CODE) return length === 8 ? { kind: 'ssl', length: 8 } : null;
  if (code === GSSENC_REQUEST_CODE) return length === 8 ? { kind: 'gssenc', length: 8 } : null;
  if (code === CANCEL_REQUEST_CODE) {
    // Protocol 3.0 keys are 4 bytes; 3.2 (PostgreSQL 18) keys are longer, up to MAX_CANCEL_KEY bytes.
    if (length < 16 || length > 12 + MAX_CANCEL_KEY) return null;
    if (buf.length < length) return 'more';
    return { kind: 'cancel', length, processId: buf.readUInt32BE(8), secretKey: Buffer.from(buf.subarray(12, length)) };
  }
  const major = code >>> 16;
  if (major !== 3) return null;
  if (buf.length < length) return 'more';
  const params = parseParams(buf.subarray(8, length));
  if (!params) return null;
  return { kind: 'startup', length, major, minor: code & 0xffff, params };
}

/** A length prefix of a first message is big-endian and small: the first byte of a real one is 0. */
function plausiblePrefix(buf: Buffer): boolean {
  return buf.length === 0 || buf[0] === 0;
}

/** `key\0value\0 ... \0` (validateStartupMessageFormat); null when malformed. */
function parseParams(payload: Buffer): Map<string, string> | null {
  const params = new Map<string, string>();
  let i = 0;
  for (;;) {
    if (i >= payload.length) return null;
    if (payload[i] === 0) return i === payload.length - 1 ? params : null;
    const keyEnd = payload.indexOf(0, i);
    if (keyEnd < 0) return null;
    const valEnd = payload.indexOf(0, keyEnd + 1);
    if (valEnd < 0) return null;
    params.set(payload.toString('utf8', i, keyEnd), payload.toString('utf8', keyEnd + 1, valEnd));
    i = valEnd + 1;
  }
}

/** A FATAL ErrorResponse ('E') with SQLSTATE `code` and `message`. */
export function errorResponse(code: string, message: string): Buffer {
  const fields = [
    ['S', 'FATAL'],
    ['V', 'FATAL'],
    ['C', code],
    ['M', message],
  ];
  const body = Buffer.concat([
    ...fields.map(([t, v]) => Buffer.concat([Buffer.from(t!, 'ascii'), Buffer.from(v!, 'utf8'), Buffer.alloc(1)])),
    Buffer.alloc(1),
  ]);
  const head = Buffer.alloc(5);
  head.write('E', 0, 'ascii');
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** SQLSTATE codes used in our ErrorResponses. */
export const SQLSTATE = {
  connectionFailure: '08006',
  cannotConnectNow: '57P03',
  invalidAuthorization: '28000',
  protocolViolation: '08P01',
} as const;
