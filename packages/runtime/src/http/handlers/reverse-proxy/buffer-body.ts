/** @module http/handlers/reverse-proxy/buffer-body: request_buffers, reading the start of a request body ahead. */
import { PassThrough, Readable } from 'node:stream';

/** A body read ahead: `length` is set when the whole body fit in the buffer. */
export interface BufferedBody {
  body: Readable;
  length: number | undefined;
}

/**
 * Reads up to `limit` bytes (all of it when negative) of `src`, like Caddy's bufferedBody. When the body ends
 * within the limit its length is known; otherwise the buffered part and the rest are streamed on as one body.
 */
export async function bufferBody(src: Readable, limit: number): Promise<BufferedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  const ended = await new Promise<boolean>((resolve, reject) => {
    const onData = (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (limit >= 0 && size >= limit) {
        cleanup();
        src.pause();
        resolve(false);
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(true);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      src.off('data', onData);
      src.off('end', onEnd);
      src.off('error', onError);
    };
    src.on('data', onData);
    src.once('end', onEnd);
    src.once('error', onError);
  });
  if (ended) return { body: Readable.from(chunks.length ? [Buffer.concat(chunks)] : []), length: size };
  const out = new PassThrough();
  out.write(Buffer.concat(chunks));
  src.on('error', (e) => out.destroy(e));
  src.pipe(out);
  return { body: out, length: undefined };
}
