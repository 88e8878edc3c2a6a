/** @module listen/h2-preface: detects cleartext HTTP/2 (h2c with prior knowledge) by its connection preface. */
import type { Duplex } from 'node:stream';

const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

/** Peeks at the first bytes: true for the HTTP/2 connection preface (h2c with prior knowledge). */
export function startsWithH2Preface(conn: Duplex): Promise<boolean> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let n = 0;
    const finish = (v: boolean) => {
      clearTimeout(t);
      conn.off('data', onData);
      conn.pause();
      if (chunks.length) conn.unshift(Buffer.concat(chunks));
      resolve(v);
    };
    const onData = (c: Buffer) => {
      chunks.push(c);
      n += c.length;
      const buf = Buffer.concat(chunks);
      const k = Math.min(buf.length, H2_PREFACE.length);
      if (!buf.subarray(0, k).equals(H2_PREFACE.subarray(0, k))) finish(false);
      else if (n >= H2_PREFACE.length) finish(true);
    };
    const t = setTimeout(() => finish(false), 10_000);
    conn.on('data', onData);
    conn.resume();
  });
}
