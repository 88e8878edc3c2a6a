/**
 * @module layer4-proxy-bulk: the proxy's upstream-to-client path (reads into a reused buffer): every byte
 * arrives in order under backpressure, greetings sent before the splice, half-close, TLS-terminated clients.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayer4App } from '@proxy/runtime';
import { RecycledReads } from '../src/layer4/proxy/recycled-reads.js';
import { makeCert, tcpServer, testLogger, type TestCert, removeTempDirs } from './layer4-support.js';

/** 24 MiB of random bytes: a reused read buffer overwritten before its bytes were sent would change the hash. */
const PAYLOAD = randomBytes(24 * 1024 * 1024);
const DIGEST = createHash('sha256').update(PAYLOAD).digest('hex');

let cert: TestCert;
let source: { port: number; close(): Promise<void> };
let greeter: { port: number; close(): Promise<void> };

beforeAll(async () => {
  cert = makeCert(['bulk.test']);
  // Sends the payload as bursts (large reads: the proxy moves to a buffer of its own) each followed by small
  // pieces one event-loop turn apart (small reads into that buffer while earlier writes to the slow client
  // are still pending), then ends (half-close).
  source = await tcpServer((s) => {
    s.on('error', () => undefined);
    let off = 0;
    let pieces = 0;
    const pump = (): void => {
      while (off < PAYLOAD.length) {
        const n = pieces % 41 === 0 ? 150 * 1024 : 1 + ((off * 7919) % 9000);
        const ok = s.write(PAYLOAD.subarray(off, off + n));
        off += n;
        pieces++;
        if (!ok) return void s.once('drain', pump);
        if (n < 9000) return void setImmediate(pump);
      }
      s.end();
    };
    pump();
  });
  // Speaks first, at once: its bytes reach the proxy before the client side is joined.
  greeter = await tcpServer((s) => {
    s.on('error', () => undefined);
    s.end('220 hello\r\n');
  });
});
afterAll(async () => {
  removeTempDirs();
  await source.close();
  await greeter.close();
});

async function withApp(handle: unknown[], fn: (port: number) => Promise<void>): Promise<void> {
  const app = await startLayer4App(
    { servers: { s: { listen: ['127.0.0.1:0'], routes: [{ handle }] } } },
    { logger: testLogger, secureContextFor: () => cert.context },
  );
  try {
    await fn(app.addresses['s']![0]!.port);
  } finally {
    await app.close();
  }
}

/** Reads a socket to its end, pausing now and then (backpressure on the proxy); resolves hash and length. */
function drainSlowly(sock: net.Socket | tls.TLSSocket, timeoutMs = 30_000): Promise<{ hex: string; length: number }> {
  const hash = createHash('sha256');
  let length = 0;
  let chunks = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${length} bytes`)), timeoutMs);
    sock.on('data', (d: Buffer) => {
      hash.update(d);
      length += d.length;
      if (++chunks % 10 === 0) {
        sock.pause();
        setTimeout(() => sock.resume(), 2);
      }
    });
    sock.once('end', () => {
      clearTimeout(timer);
      resolve({ hex: hash.digest('hex'), length });
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

describe('layer4 proxy: upstream bytes to the client', () => {
  it('a plain client gets every byte in order with backpressure, then the end', async () => {
    await withApp([{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${source.port}`] }] }], async (port) => {
      const c = net.connect(port, '127.0.0.1');
      const got = await drainSlowly(c);
      c.destroy();
      expect(got.length).toBe(PAYLOAD.length);
      expect(got.hex).toBe(DIGEST);
    });
  });

  it('a TLS-terminated client gets every byte in order', async () => {
    await withApp(
      [{ handler: 'tls' }, { handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${source.port}`] }] }],
      async (port) => {
        const c = tls.connect({ port, host: '127.0.0.1', servername: 'bulk.test', ca: cert.cert });
        const got = await drainSlowly(c);
        c.destroy();
        expect(got.length).toBe(PAYLOAD.length);
        expect(got.hex).toBe(DIGEST);
      },
    );
  });

  it('an upstream that speaks first and closes is heard in full', async () => {
    await withApp([{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${greeter.port}`] }] }], async (port) => {
      for (let i = 0; i < 5; i++) {
        const c = net.connect(port, '127.0.0.1');
        const parts: Buffer[] = [];
        c.on('data', (d: Buffer) => parts.push(d));
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error('no end')), 5000);
          c.once('end', () => {
            clearTimeout(t);
            resolve();
          });
        });
        c.destroy();
        expect(Buffer.concat(parts).toString()).toBe('220 hello\r\n');
      }
    });
  });
});

describe('RecycledReads: the read buffer is never overwritten while a write holds it', () => {
  /** A client that takes chunks but completes none of the writes until told (kernel buffer full). */
  function stalledClient(): { dest: Writable; chunks: Buffer[]; release(): void } {
    const chunks: Buffer[] = [];
    const held: Array<() => void> = [];
    const dest = new Writable({
      highWaterMark: 1 << 20,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        held.push(() => cb());
      },
    });
    // completing a write hands the next buffered one to write(): go on until none is left
    const release = (): void => {
      for (let i = 0; i < 1000 && held.length > 0; i++) held.shift()!();
    };
    return { dest, chunks, release };
  }
  /** One socket read: Node asks for the buffer, the kernel fills n bytes of it, the callback gets them. */
  function read(r: RecycledReads, byte: number, n: number): Buffer {
    const buf = (r.onread.buffer as () => Buffer)();
    buf.fill(byte, 0, n);
    r.onread.callback(n, buf);
    return buf;
  }

  it('small reads are copied out of the shared buffer; a pending bulk write keeps its buffer', () => {
    const r = new RecycledReads();
    const client = stalledClient();
    r.attach(new PassThrough(), client.dest);
    read(r, 0x61, 100); // small: copied from the shared buffer
    const shared = read(r, 0x62, 20 * 1024); // bulk: the connection gets its own buffer next
    const own = read(r, 0x63, 1000); // into its own buffer; the write stays pending
    const next = read(r, 0x64, 1000); // must not land in `own`
    expect(own).not.toBe(shared);
    expect(next).not.toBe(own);
    client.release();
    const got = Buffer.concat(client.chunks);
    const want = Buffer.concat([
      Buffer.alloc(100, 0x61),
      Buffer.alloc(20 * 1024, 0x62),
      Buffer.alloc(1000, 0x63),
      Buffer.alloc(1000, 0x64),
    ]);
    expect(got.equals(want)).toBe(true);
  });

  it('reads before the client is attached are kept and written first', () => {
    const r = new RecycledReads();
    read(r, 0x41, 10);
    read(r, 0x42, 30 * 1024);
    const client = stalledClient();
    r.attach(new PassThrough(), client.dest);
    read(r, 0x43, 5);
    client.release();
    expect(
      Buffer.concat(client.chunks).equals(
        Buffer.concat([Buffer.alloc(10, 0x41), Buffer.alloc(30 * 1024, 0x42), Buffer.alloc(5, 0x43)]),
      ),
    ).toBe(true);
  });
});
