/** `servers { max_header_size }` in a Caddyfile reaches the runtime's request-head limit (plus Go's 4096 of slack). */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';
import { get, start, type Started } from '../packages/runtime/test/helpers.js';

function firstLine(port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => c.write(head));
    let out = '';
    c.on('data', (d) => {
      out += d.toString('latin1');
    });
    c.on('close', () => resolve(out.split('\r\n')[0]!));
    c.on('error', () => resolve(out.split('\r\n')[0]!));
    c.setTimeout(3000, () => c.destroy());
  });
}

let s: Started;
beforeAll(async () => {
  const { config, errors } = adapt(
    '{\n\tservers {\n\t\tmax_header_size 2KB\n\t}\n}\nhttp://localhost:0 {\n\tbind 127.0.0.1\n\trespond ok\n}\n',
    { filename: 'Caddyfile' },
  );
  expect(errors).toEqual([]);
  expect(
    (config as { apps: { http: { servers: { srv0: { max_header_bytes: number } } } } }).apps.http.servers.srv0
      .max_header_bytes,
  ).toBe(2000);
  s = await start(config as Record<string, unknown>);
});
afterAll(() => s.close());

it('answers 431 past max_header_size + 4096 and serves heads below it', async () => {
  expect((await get(s.port(), '/', { headers: { 'x-pad': 'a'.repeat(5000) } })).body).toBe('ok');
  expect(await firstLine(s.port(), `GET / HTTP/1.1\r\nHost: localhost\r\nX-Pad: ${'a'.repeat(7000)}\r\n\r\n`)).toBe(
    'HTTP/1.1 431 Request Header Fields Too Large',
  );
});
