/** @module http/handlers/encode: `http.handlers.encode`: gzip (and zstd where Node has it) responses. */
import zlib from 'node:zlib';
import type { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { encodeSchema, type EncodeHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import type { Handler } from '../handler.js';
import { valueTest } from '../matchers/header.js';
import { hasVaryValue } from '../vary.js';
import { detectContentType } from '../sniff.js';
import type { HttpRequest } from '../request.js';
import { WrappedWriter, type ResponseWriter } from '../response.js';

type Encoder = () => Transform;

const zstd = (zlib as unknown as { createZstdCompress?: () => Transform }).createZstdCompress;

/** Content types compressed when `match` is not given (Caddy's defaults). */
const DEFAULT_TYPES = [
  'application/atom+xml*',
  'application/eot*',
  'application/font*',
  'application/geo+json*',
  'application/graphql+json*',
  'application/javascript*',
  'application/json*',
  'application/ld+json*',
  'application/manifest+json*',
  'application/opentype*',
  'application/otf*',
  'application/rss+xml*',
  'application/truetype*',
  'application/ttf*',
  'application/vnd.api+json*',
  'application/vnd.ms-fontobject*',
  'application/wasm*',
  'application/x-httpd-cgi*',
  'application/x-javascript*',
  'application/x-opentype*',
  'application/x-otf*',
  'application/x-perl*',
  'application/x-protobuf*',
  'application/x-ttf*',
  'application/xhtml+xml*',
  'application/xml*',
  'font/*',
  'image/svg+xml*',
  'image/vnd.microsoft.icon*',
  'image/x-icon*',
  'multipart/bag*',
  'multipart/mixed*',
  'text/*',
].map(valueTest);

/** Picks the encoding from Accept-Encoding, honouring q-values and the server's preference. */
export function chooseEncoding(accept: string | undefined, available: string[]): string | undefined {
  if (!accept) return undefined;
  const prefs = accept
    .split(',')
    .map((p) => {
      const [name, ...params] = p.trim().split(';');
      const q = params.map((x) => x.trim()).find((x) => x.startsWith('q='));
      return { name: (name ?? '').trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((p) => p.q > 0);
  let best: { name: string; q: number; rank: number } | undefined;
  for (const p of prefs) {
    const cands = p.name === '*' ? available : [p.name];
    for (const c of cands) {
      const rank = available.indexOf(c);
      if (rank < 0) continue;
      if (!best || p.q > best.q || (p.q === best.q && rank < best.rank)) best = { name: c, q: p.q, rank };
    }
  }
  return best?.name;
}

/**
 * Caddy's encode response writer: whether to compress is decided at the first body write (or at the end when
 * there is none, as for HEAD), from that write's size or the declared Content-Length; nothing is held back,
 * so a stream that starts small goes out as it comes, uncompressed, as in Caddy.
 */
class EncodeWriter extends WrappedWriter {
  private decided = false;
  private enc: Transform | undefined;
  private headStatus = 0;

  constructor(
    inner: ResponseWriter,
    private readonly name: string,
    private readonly make: Encoder,
    private readonly minLength: number,
    private readonly typeOk: (ct: string) => boolean,
  ) {
    super(inner);
  }

  override get wroteHeader(): boolean {
    return this.headStatus !== 0 || this.inner.wroteHeader;
  }
  override get status(): number {
    return this.headStatus || this.inner.status;
  }

  override writeHead(status: number): void {
    if (this.wroteHeader) return;
    this.headStatus = status;
    const h = this.header;
    const bodyless = status < 200 || status === 204 || status === 304;
    // Current Caddy: a 304 carries the Vary a 200 would have (RFC 9110 15.4.5).
    if (status === 304 && !hasVaryValue(h.values('Vary'), 'Accept-Encoding')) h.add('Vary', 'Accept-Encoding');
    const ct = h.get('content-type');
    if (
      bodyless ||
      h.has('content-encoding') ||
      (ct !== undefined && !this.typeOk(ct)) ||
      this.declared() <= this.minLength
    )
      this.passThrough();
  }

  /** The Content-Length the inner handler declared, NaN when none. */
  private declared(): number {
    return Number(this.header.get('content-length') ?? NaN);
  }

  /** Caddy's check at the first write: a body (or declared length) over minimum_length of a matching type. */
  private decide(first: Buffer | undefined): void {
    const h = this.header;
    if ((first?.length ?? 0) > this.minLength || this.declared() > this.minLength) {
      // Like Caddy, an untyped body is sniffed first, so that the type matchers see what it is.
      if (first && !h.has('content-type')) h.set('Content-Type', detectContentType(first));
      if (this.typeOk(h.get('content-type') ?? '')) return this.startEncoding();
    }
    this.passThrough();
  }

  private passThrough(): void {
    this.decided = true;
    this.inner.writeHead(this.headStatus);
  }

  private startEncoding(): void {
    this.decided = true;
    const h = this.header;
    h.set('Content-Encoding', this.name);
    h.delete('content-length');
    // Vary only when the response was encoded, as Caddy does; once, as current Caddy does.
    if (!hasVaryValue(h.values('Vary'), 'Accept-Encoding')) h.add('Vary', 'Accept-Encoding');
    h.delete('accept-ranges');
    // A strong ETag must differ per representation (RFC 9110 8.8.3.3): current Caddy appends the encoding
    // inside the quotes (2.6.2 kept the ETag as it was); serve() strips it again from If-None-Match.
    const et = h.get('etag');
    if (et && !et.startsWith('W/')) h.set('ETag', `${et.endsWith('"') ? et.slice(0, -1) : et}-${this.name}"`);
    const enc = this.make();
    this.enc = enc;
    enc.on('data', (c: Buffer) => {
      // Compressed output waits for the client as plain output does; without this a slow (or never
      // reading) client would have the whole response compressed into memory.
      enc.pause();
      this.inner.write(c).then(
        () => enc.resume(),
        (e: unknown) => enc.destroy(e instanceof Error ? e : new Error(String(e))),
      );
    });
    enc.on('error', () => this.inner.abort());
    this.inner.writeHead(this.headStatus);
  }

  override async write(chunk: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!this.decided) {
      // Caddy ignores empty writes (they decide nothing).
      if (b.length === 0) return;
      this.decide(b);
    }
    if (this.enc) return this.feed(b);
    return this.inner.write(b);
  }

  private feed(b: Buffer): Promise<void> {
    const enc = this.enc!;
    return new Promise((resolve, reject) => enc.write(b, (err) => (err ? reject(err) : resolve())));
  }

  override async end(chunk?: Buffer | string): Promise<void> {
    if (!this.wroteHeader) this.writeHead(200);
    if (chunk !== undefined) await this.write(chunk);
    // Nothing written (a HEAD answer, say): Caddy still encodes when the declared length is over the
    // minimum, so the headers are those a GET gets.
    if (!this.decided) this.decide(undefined);
    if (!this.enc) return this.inner.end();
    const enc = this.enc;
    enc.end();
    // Not just 'end': an encoder that failed (or whose client went away) never emits it.
    await finished(enc);
    return this.inner.end();
  }
}

export const encode: RuntimeModule<Handler> = {
  id: 'http.handlers.encode',
  kind: 'handler',
  doc: 'Compresses responses (gzip, zstd).',
  schema: encodeSchema,
  create(json, _ctx, path) {
    const c = json as EncodeHandler;
    const encoders = new Map<string, Encoder>();
    if (c.encodings?.gzip) {
      const level = c.encodings.gzip.level;
      encoders.set('gzip', () => zlib.createGzip(level !== undefined ? { level } : {}));
    }
    if (c.encodings?.zstd) {
      if (!zstd)
        throw ConfigError.at(
          joinPath(joinPath(path, 'encodings'), 'zstd'),
          'zstd is not supported by this Node.js build',
        );
      encoders.set('zstd', zstd);
    }
    const order = [
      ...(c.prefer ?? []).filter((p) => encoders.has(p)),
      ...[...encoders.keys()].filter((k) => !(c.prefer ?? []).includes(k)),
    ];
    // Caddy's Provision: an unset or zero minimum_length is 512.
    const minLength = c.minimum_length || 512;
    const ctTests = c.match?.headers?.['Content-Type'] ?? c.match?.headers?.['content-type'];
    const typeTests = ctTests ? ctTests.map(valueTest) : c.match ? [() => true] : DEFAULT_TYPES;
    const statusOk = c.match?.status_code;
    const typeOk = (ct: string) => typeTests.some((t) => t(ct));
    return {
      serve(r: HttpRequest, w, next) {
        const name = chooseEncoding(r.headers.get('accept-encoding'), order);
        if (!name || r.headers.has('range')) return next(r, w);
        // The handlers behind know their own ETag, not the one with the encoding appended (current Caddy).
        const inm = r.headers.get('if-none-match');
        if (inm && !inm.startsWith('W/') && inm.endsWith(`-${name}"`))
          r.headers.set('If-None-Match', `${inm.slice(0, -name.length - 2)}"`);
        const ew = new EncodeWriter(
          w,
          name,
          encoders.get(name)!,
          minLength,
          statusOk ? (ct) => typeOk(ct) && statusOk.includes(ew.status) : typeOk,
        );
        return next(r, ew);
      },
    };
  },
};
