/** @module layer4-proxy: layer4 proxy handler (load balancing, health, PROXY headers, upstream TLS, mirroring) and tee/throttle/echo/close. */
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProxyHeader, startLayer4App } from '@proxy/runtime';
import {
  connect,
  makeCert,
  readAll,
  readBytes,
  taggedEcho,
  tcpServer,
  testLogger,
  type TestCert,
  removeTempDirs,
} from './layer4-support.js';

type Srv = { port: number; close(): Promise<void> };
let A: Srv;
let B: Srv;
let dead: number;
let cert: TestCert;

beforeAll(async () => {
  A = await taggedEcho('A');
  B = await taggedEcho('B');
  const d = await tcpServer(() => undefined);
  dead = d.port;
  await d.close();
  cert = makeCert(['upstream.test']);
});
afterAll(async () => {
  removeTempDirs();
  await A.close();
  await B.close();
});

const up = (port: number, extra: Record<string, unknown> = {}) => ({ dial: [`127.0.0.1:${port}`], ...extra });

async function withApp(handle: unknown[], fn: (port: number) => Promise<void>): Promise<void> {
  const app = await startLayer4App(
    { servers: { s: { listen: ['127.0.0.1:0'], routes: [{ handle }] } } },
    { logger: testLogger },
  );
  try {
    await fn(app.addresses['s']![0]!.port);
  } finally {
    await app.close();
  }
}

/** Sends `msg` and returns the upstream's tag. */
async function ask(port: number, msg = 'x'): Promise<string> {
  const s = await connect(port);
  s.write(msg);
  const got = await readBytes(s, 2 + msg.length);
  s.destroy();
  return got.toString();
}

describe('proxy handler', () => {
  it('round_robin alternates, ip_hash is sticky', async () => {
    await withApp(
      [
        {
          handler: 'proxy',
          upstreams: [up(A.port), up(B.port)],
          load_balancing: { selection: { policy: 'round_robin' } },
        },
      ],
      async (port) => {
        const tags = [];
        for (let i = 0; i < 4; i++) tags.push((await ask(port))[0]);
        expect(tags.join('')).toMatch(/^(ABAB|BABA)$/);
      },
    );
    await withApp(
      [{ handler: 'proxy', upstreams: [up(A.port), up(B.port)], load_balancing: { selection: { policy: 'ip_hash' } } }],
      async (port) => {
        const first = (await ask(port))[0];
        for (let i = 0; i < 3; i++) expect((await ask(port))[0]).toBe(first);
      },
    );
  });

  it('retries within try_duration and counts passive failures', async () => {
    await withApp(
      [
        {
          handler: 'proxy',
          upstreams: [up(dead), up(B.port)],
          load_balancing: { selection: { policy: 'first' }, try_duration: 2e9, try_interval: 1e7 },
          health_checks: { passive: { fail_duration: 60e9, max_fails: 1 } },
        },
      ],
      async (port) => {
        expect(await ask(port)).toBe('B:x');
        expect(await ask(port)).toBe('B:x');
      },
    );
  });

  it('skips upstreams that fail active health checks', async () => {
    await withApp(
      [
        {
          handler: 'proxy',
          upstreams: [up(dead), up(A.port)],
          load_balancing: { selection: { policy: 'first' } },
          health_checks: { active: { interval: 1e8, timeout: 1e9 } },
        },
      ],
      async (port) => {
        let tag = '';
        for (let i = 0; i < 50 && tag !== 'A:x'; i++) {
          tag = await ask(port);
          if (tag !== 'A:x') await new Promise((r) => setTimeout(r, 50));
        }
        expect(tag).toBe('A:x');
      },
    );
  });

  it('closes the client when no upstream can be reached', async () => {
    await withApp([{ handler: 'proxy', upstreams: [up(dead)] }], async (port) => {
      const s = await connect(port);
      s.write('hello');
      expect((await readAll(s)).length).toBe(0);
    });
  });

  it('sends PROXY protocol v1 and v2 headers upstream', async () => {
    const recorder = await tcpServer((s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (c: Buffer) => {
        buf = Buffer.concat([buf, c]);
        const h = parseProxyHeader(buf);
        if (h === 'more') return;
        s.end(
          h === null
            ? 'none'
            : h.kind === 'proxy'
              ? `${h.addresses.sourceAddress} ${buf.subarray(h.length).toString()}`
              : 'local',
        );
      });
    });
    try {
      for (const v of ['v1', 'v2']) {
        await withApp([{ handler: 'proxy', proxy_protocol: v, upstreams: [up(recorder.port)] }], async (port) => {
          const s = await connect(port);
          s.write('payload');
          expect((await readAll(s)).toString()).toBe('127.0.0.1 payload');
        });
      }
    } finally {
      await recorder.close();
    }
  });

  it('speaks TLS to upstreams, verifying with a CA file and server name', async () => {
    const server = tls.createServer({ key: cert.key, cert: cert.cert, ALPNProtocols: ['x-test'] }, (s) => {
      s.write(`T:${s.servername}:`);
      s.pipe(s);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      await withApp(
        [
          {
            handler: 'proxy',
            upstreams: [up(port, { tls: { root_ca_pem_files: [cert.certFile], server_name: 'upstream.test' } })],
          },
        ],
        async (p) => {
          const s = await connect(p);
          s.write('hi');
          expect((await readBytes(s, 'T:upstream.test:hi'.length)).toString()).toBe('T:upstream.test:hi');
          s.destroy();
        },
      );
      // wrong name: verification fails, the client is closed
      await withApp(
        [
          {
            handler: 'proxy',
            upstreams: [up(port, { tls: { root_ca_pem_files: [cert.certFile], server_name: 'other.test' } })],
          },
        ],
        async (p) => {
          const s = await connect(p);
          s.write('hi');
          expect((await readAll(s)).length).toBe(0);
        },
      );
    } finally {
      server.close();
    }
  });

  it('mirrors to every dial address of one upstream', async () => {
    await withApp(
      [{ handler: 'proxy', upstreams: [{ dial: [`127.0.0.1:${A.port}`, `127.0.0.1:${B.port}`] }] }],
      async (port) => {
        const s = await connect(port);
        s.write('m');
        const got = (await readBytes(s, 6)).toString();
        expect([...got].sort().join('')).toBe('::ABmm');
        s.end();
        await readAll(s);
      },
    );
  });
});

describe('other handlers', () => {
  it('echo and close', async () => {
    await withApp([{ handler: 'echo' }], async (port) => {
      const s = await connect(port);
      s.write('ping');
      expect((await readBytes(s, 4)).toString()).toBe('ping');
      s.destroy();
    });
    await withApp([{ handler: 'close' }], async (port) => {
      const s = await connect(port);
      s.write('ping');
      expect((await readAll(s)).length).toBe(0);
    });
  });

  it('tee runs a branch on a copy of the stream', async () => {
    let seen = '';
    let gotAll!: () => void;
    const all = new Promise<void>((r) => (gotAll = r));
    const recorder = await tcpServer((s) => {
      s.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.length >= 10) gotAll();
      });
    });
    try {
      await withApp(
        [
          { handler: 'tee', branch: [{ handler: 'proxy', upstreams: [up(recorder.port)] }] },
          { handler: 'proxy', upstreams: [up(A.port)] },
        ],
        async (port) => {
          const s = await connect(port);
          s.write('0123456789');
          expect((await readBytes(s, 12)).toString()).toBe('A:0123456789');
          await all;
          expect(seen).toBe('0123456789');
          s.destroy();
        },
      );
    } finally {
      await recorder.close();
    }
  });

  it('throttle passes every byte through', async () => {
    await withApp(
      [{ handler: 'throttle', read_bytes_per_second: 400_000, read_burst_size: 16_384 }, { handler: 'echo' }],
      async (port) => {
        const s = await connect(port);
        const payload = Buffer.alloc(64 * 1024, 7);
        s.write(payload);
        const got = await readBytes(s, payload.length);
        expect(got.equals(payload)).toBe(true);
        s.destroy();
      },
    );
  });
});
