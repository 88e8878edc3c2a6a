/**
 * @module http/body-text: {http.request.body} and {http.request.body_base64}. Caddy reads the whole body when the placeholder is used
 * and puts the bytes back for later readers; here the handlers that need it read it before rendering.
 */
import { Readable } from 'node:stream';
import { HandlerError } from './errors.js';
import type { HttpRequest } from './request.js';

/** The key the body text is kept under once read. */
const KEY = 'http.request.body';
/** Master also has the body in base64, for bodies that are not text. */
const KEY64 = 'http.request.body_base64';

/** Bodies larger than this fail the request (Caddy has no bound; a process must not run out of memory). */
const MAX_BODY = 64 << 20;

/** Whether a placeholder string reads the request body. */
export function readsBody(source: string | undefined): boolean {
  return source !== undefined && (source.includes(`{${KEY}}`) || source.includes(`{${KEY64}}`));
}

/** Reads the body (once) so that {http.request.body} has a value; later handlers read the same bytes. */
export async function readBodyText(r: HttpRequest): Promise<void> {
  if (r.extra.has(KEY)) return;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of r.body) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    size += b.length;
    if (size > MAX_BODY) throw new HandlerError(413, 'request body too large for {http.request.body}');
    chunks.push(b);
  }
  const buf = Buffer.concat(chunks);
  r.extra.set(KEY, buf.toString());
  r.extra.set(KEY64, buf.toString('base64'));
  r.body = Readable.from(buf.length ? [buf] : []);
}
