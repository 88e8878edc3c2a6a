/**
 * @module http/h1/body: request body framing: a known length, or chunked as Go's internal/chunked reads
 * it (current Go: every chunk line must end in CRLF, at most 16 hex digits, lines of at most 4096 bytes).
 */

/** What a decoder made of some bytes. */
export interface Decoded {
  /** Body bytes (slices of the input). */
  data: Buffer[];
  /** Bytes of the input used; the rest belongs to the next request. */
  used: number;
  /** The body is complete. */
  done: boolean;
  /** Why the framing is invalid (the connection cannot be reused). */
  error?: string;
  /** Trailer fields (name, value pairs), when done. */
  trailers?: string[];
}

/** Decodes one request body. */
export interface BodyDecoder {
  push(buf: Buffer): Decoded;
  /** Body bytes still on the wire, when known (Go's unreadDataSize). */
  readonly unread: number | undefined;
}

/** A body of known length. */
export class LengthDecoder implements BodyDecoder {
  constructor(private remaining: number) {}

  get unread(): number {
    return this.remaining;
  }

  push(buf: Buffer): Decoded {
    const n = Math.min(this.remaining, buf.length);
    this.remaining -= n;
    return { data: n > 0 ? [buf.subarray(0, n)] : [], used: n, done: this.remaining === 0 };
  }
}

const MAX_LINE = 4096;

type State = 'size' | 'data' | 'data-end' | 'trailer';

/** A chunked body. */
export class ChunkedDecoder implements BodyDecoder {
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private trailerBytes = 0;
  private readonly trailers: string[] = [];

  constructor(private readonly maxTrailerBytes: number) {}

  get unread(): undefined {
    return undefined;
  }

  push(buf: Buffer): Decoded {
    const data: Buffer[] = [];
    let i = 0;
    const fail = (error: string): Decoded => ({ data, used: i, done: false, error });
    while (i < buf.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, buf.length - i);
        data.push(buf.subarray(i, i + n));
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) {
          this.state = 'data-end';
          this.line = '';
        }
        continue;
      }
      // A line: size, the CRLF after data, or a trailer field.
      const nl = buf.indexOf(0x0a, i);
      const part = buf.toString('latin1', i, nl < 0 ? buf.length : nl);
      if (this.line.length + part.length > (this.state === 'trailer' ? this.maxTrailerBytes : MAX_LINE))
        return fail('chunked line too long');
      this.line += part;
      if (nl < 0) {
        i = buf.length;
        break;
      }
      i = nl + 1;
      if (!this.line.endsWith('\r')) return fail('chunked line ends with bare LF');
      const line = this.line.slice(0, -1);
      this.line = '';
      if (this.state === 'data-end') {
        if (line !== '') return fail('malformed chunked encoding');
        this.state = 'size';
      } else if (this.state === 'size') {
        const semi = line.indexOf(';');
        const hex = (semi < 0 ? line : line.slice(0, semi)).replace(/[ \t]+$/, '');
        if (!/^[0-9a-fA-F]{1,16}$/.test(hex))
          return fail(hex.length > 16 ? 'http chunk length too large' : 'invalid byte in chunk length');
        const size = Number.parseInt(hex, 16);
        if (!Number.isSafeInteger(size)) return fail('http chunk length too large');
        if (size === 0) this.state = 'trailer';
        else {
          this.remaining = size;
          this.state = 'data';
        }
      } else {
        if (line === '') return { data, used: i, done: true, trailers: this.trailers };
        this.trailerBytes += line.length + 2;
        if (this.trailerBytes > this.maxTrailerBytes) return fail('trailers too large');
        const colon = line.indexOf(':');
        if (colon <= 0 || line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09)
          return fail('malformed trailer line');
        this.trailers.push(line.slice(0, colon), line.slice(colon + 1).trim());
      }
    }
    return { data, used: i, done: false };
  }
}
