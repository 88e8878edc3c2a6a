/**
 * The `timeouts` handler (current Caddy): a request body read past `read_timeout` fails with a 408, a response
 * written past `write_timeout` loses its connection, a min rate buys time per byte, and `max_write_chunk` splits
 * writes. A test handler reads the body (answering with its length, or the read error's status) or writes a slow
 * response, so only the deadline decides.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { s } from '@proxy/contract';
import { builtinModules, type AnyModule } from '@proxy/runtime';
import type { Handler } from '../src/http/handler.js';
import type { ResponseWriter } from '../src/http/response.js';
import { start } from './helpers.js';

/** Reads the whole body: 200 with its length, or the status of the error that ended it. */
const readBody: AnyModule = {
  id: 'http.handlers.test_read_body',
  kind: 'handler',
  doc: 'test',
  schema: s.obj({}, true),
  create: (): Handler => ({
    async serve(r, w) {
      let n = 0;
      try {
        for await (const c of r.body) n += (c as Buffer).length;
      } catch (e) {
        // The runtime's HandlerError (from its build, not this file's import of the sources): it has a status.
        w.writeHead((e as { status?: number }).status ?? 500);
        await w.end('read failed');
        return;
      }
      await w.end(String(n));
    },
  }),
};

/** Writes "first", waits 600 ms, then writes "second". */
const slowWrite: AnyModule = {
  id: 'http.handlers.test_slow_write',
  kind: 'handler',
  doc: 'test',
  schema: s.obj({}, true),
  create: (): Handler => ({
    async serve(_r, w) {
      await w.write('first|');
      await new Promise((res) => setTimeout(res, 600));
      await w.end('second');
    },
  }),
};

function config(timeouts: Record<string, unknown>, handler: string) {
  return {
    apps: {
      http: {
        servers: {
          srv0: {
            listen: ['127.0.0.1:0'],
            automatic_https: { disable: true },
            routes: [{ handle: [{ handler: 'timeouts', ...timeouts }, { handler }] }],
          },
        },
      },
    },
  };
}

/**
 * Sends a POST head declaring 2000 bytes, then the body in `parts` ([bytes, wait ms before them]); returns what
 * the server sent before closing (or after 3 s).
 */
function rawPost(port: number, parts: [number, number][]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let got = '';
    const done = setTimeout(() => sock.destroy(), 3000);
    sock.on('data', (c) => {
      got += c.toString('latin1');
    });
    sock.on('close', () => {
      clearTimeout(done);
      resolve(got);
    });
    sock.on('error', reject);
    sock.write('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000\r\n\r\n');
    let at = 0;
    for (const [bytes, wait] of parts) {
      at += wait;
      setTimeout(() => {
        if (!sock.destroyed) sock.write(Buffer.alloc(bytes, 0x61));
      }, at);
    }
  });
}

describe('timeouts handler', () => {
  it('fails a body read that outlasts read_timeout with a 408 and closes the connection', async () => {
    const srv = await start(config({ read_timeout: '200ms' }, 'test_read_body'), [readBody]);
    try {
      const got = await rawPost(srv.port(), [[1000, 0]]);
      expect(got).toMatch(/^HTTP\/1\.1 408 /);
      expect(got.toLowerCase()).toContain('connection: close');
    } finally {
      await srv.close();
    }
  });

  it('reads a body that arrives in time', async () => {
    const srv = await start(config({ read_timeout: '2s' }, 'test_read_body'), [readBody]);
    try {
      const got = await rawPost(srv.port(), [
        [1000, 0],
        [1000, 50],
      ]);
      expect(got).toMatch(/^HTTP\/1\.1 200 /);
      expect(got).toMatch(/\r\n\r\n2000$/);
    } finally {
      await srv.close();
    }
  });

  it('extends the read deadline by what a min rate allows for the bytes read', async () => {
    // 1000 bytes at 1000 B/s buy a second on top of 200 ms: the rest, 500 ms later, is in time.
    const parts: [number, number][] = [
      [1000, 0],
      [1000, 500],
    ];
    const withRate = await start(config({ read_timeout: '200ms', read_min_rate: 1000 }, 'test_read_body'), [readBody]);
    const without = await start(config({ read_timeout: '200ms' }, 'test_read_body'), [readBody]);
    try {
      expect(await rawPost(withRate.port(), parts)).toMatch(/^HTTP\/1\.1 200 [^]*2000$/);
      expect(await rawPost(without.port(), parts)).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await withRate.close();
      await without.close();
    }
  });

  it('closes the connection of a response still being written at write_timeout', async () => {
    const slow = await start(config({ write_timeout: '200ms' }, 'test_slow_write'), [slowWrite]);
    const roomy = await start(config({ write_timeout: '5s' }, 'test_slow_write'), [slowWrite]);
    try {
      const cut = await rawPost(slow.port(), [[2000, 0]]);
      expect(cut).toContain('first|');
      expect(cut).not.toContain('second');
      expect(await rawPost(roomy.port(), [[2000, 0]])).toMatch(/first\|[^]*second/);
    } finally {
      await slow.close();
      await roomy.close();
    }
  });

  it('splits writes into max_write_chunk pieces', async () => {
    const mod = builtinModules.find((m) => m.id === 'http.handlers.timeouts')!;
    expect(mod).toBeDefined();
    const handler = (mod as unknown as { create: (json: unknown, ctx: unknown) => Handler }).create(
      { handler: 'timeouts', max_write_chunk: 4 },
      { logger: { debug() {} } },
    );
    const sizes: number[] = [];
    const w = {
      header: new Map(),
      wroteHeader: true,
      status: 200,
      bytesWritten: 0,
      writeHead() {},
      async write(c: Buffer | string) {
        sizes.push(Buffer.byteLength(c));
      },
      async end() {},
      abort() {},
    } as unknown as ResponseWriter;
    await handler.serve({ uri: '/' } as never, w, async (_r, inner) => {
      await inner.write(Buffer.alloc(10));
    });
    expect(sizes).toEqual([4, 4, 2]);
  });
});
