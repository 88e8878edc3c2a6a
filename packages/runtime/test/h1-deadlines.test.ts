/**
 * The HTTP/1.1 engine's read deadlines move without a timer per request (one lazy timer per connection), and
 * still end connections as Go's do: a kept-alive connection whose next head stalls is closed after
 * read_header_timeout without an answer, an idle one after idle_timeout, and a deadline moved later (idle
 * after header) does not end the connection when the earlier one would have passed.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Started } from './helpers.js';

/** A raw connection that collects what the server sends and notes when it closes. */
function connect(port: number): {
  send: (s: string) => void;
  until: (text: string, ms?: number) => Promise<string>;
  closedWithin: (ms: number) => Promise<boolean>;
  close: () => void;
} {
  const c = net.connect(port, '127.0.0.1');
  c.on('error', () => {});
  let out = '';
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  c.on('data', (d) => {
    out += d.toString('latin1');
    wake();
  });
  c.on('close', () => {
    closed = true;
    wake();
  });
  const waitFor = (done: () => boolean, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      const check = (): void => {
        if (done()) {
          clearTimeout(t);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  return {
    send: (s) => c.write(s),
    until: async (text, ms = 3000) => {
      await waitFor(() => out.includes(text) || closed, ms);
      return out;
    },
    closedWithin: async (ms) => {
      await waitFor(() => closed, ms);
      return closed;
    },
    close: () => c.destroy(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('HTTP/1.1 read deadlines on kept-alive connections', () => {
  let short: Started;
  let long: Started;
  let writes: Started;
  beforeAll(async () => {
    const routes = [{ handle: [{ handler: 'static_response', body: 'n={http.request.uri}' }] }];
    // Idle connections go before stalled heads here; in `long` the idle timeout far outlasts the header one.
    short = await startServer({ read_header_timeout: '300ms', idle_timeout: '300ms', routes });
    long = await startServer({ read_header_timeout: '150ms', idle_timeout: '20s', routes });
    writes = await startServer({ write_timeout: '150ms', idle_timeout: '20s', routes });
  });
  afterAll(async () => {
    await short.close();
    await long.close();
    await writes.close();
  });

  it('closes, without an answer, a kept-alive connection whose second head stalls', async () => {
    const c = connect(long.port());
    c.send('GET /1 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(await c.until('n=/1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*n=\/1$/);
    c.send('GET /2 HTTP/1.1\r\nHost: a\r\n');
    expect(await c.closedWithin(10_000)).toBe(true);
    expect(await c.until('', 0)).not.toContain('n=/2');
    c.close();
  });

  it('closes a kept-alive connection that stays idle past idle_timeout', async () => {
    const c = connect(short.port());
    c.send('GET /1 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(await c.until('n=/1')).toMatch(/n=\/1$/);
    expect(await c.closedWithin(10_000)).toBe(true);
    c.close();
  });

  it('keeps an idle connection past read_header_timeout while idle_timeout runs, and serves it again', async () => {
    const c = connect(long.port());
    c.send('GET /1 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(await c.until('n=/1')).toMatch(/n=\/1$/);
    // Several header timeouts pass: the connection's timer fires and finds the later idle deadline.
    await sleep(600);
    c.send('GET /2 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(await c.until('n=/2')).toMatch(/n=\/1HTTP\/1\.1 200 OK\r\n[^]*n=\/2$/);
    // ... and the header deadline set for that request still holds afterwards.
    c.send('GET /3 HTTP/1.1\r\n');
    expect(await c.closedWithin(10_000)).toBe(true);
    c.close();
  });

  it('does not end a kept-alive connection for the write deadline of a response already out', async () => {
    const c = connect(writes.port());
    c.send('GET /1 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(await c.until('n=/1')).toMatch(/n=\/1$/);
    // Several write timeouts pass while the connection is idle: its timer fires and finds no deadline.
    await sleep(600);
    c.send('GET /2 HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(await c.until('n=/2')).toMatch(/n=\/1HTTP\/1\.1 200 OK\r\n[^]*n=\/2$/);
    c.close();
  });
});
