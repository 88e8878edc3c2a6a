/** Request placeholders print what Caddy prints: known families give "" when absent, unknown keys stay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, startServer, type Started } from './helpers.js';

const respond = (body: string, headers?: Record<string, string[]>) => ({
  handler: 'static_response',
  body,
  ...(headers ? { headers } : {}),
});
const path = (...p: string[]) => [{ path: p }];

describe('placeholders', () => {
  let s: Started;
  beforeAll(async () => {
    s = await startServer({
      routes: [
        {
          match: path('/vars'),
          handle: [
            { handler: 'vars', '{http.request.uri.query.name}': 'named', set: 'yes', n: 5, big: 1e21, b: true },
            respond(
              '[{http.vars.level}] [{http.vars.set}] [{http.vars.n}] [{http.vars.k}] [{http.vars.big}] [{http.vars.b}]',
            ),
          ],
        },
        {
          match: path('/unknown'),
          handle: [
            respond(
              '{http.request.cookie.zz} {foo.bar} {a b} {} {http.regexp.x.1} {http.request.uri.path.x} \\{http.request.method\\} {"m": "{http.request.method}"}',
              {
                'X-Unknown': ['[{foo.bar}] [{a b}] [{http.request.cookie.zz}]'],
              },
            ),
          ],
        },
        {
          match: path('/fields'),
          handle: [
            { handler: 'headers', response: { add: { 'X-Out': ['a', 'b'] } } },
            respond(
              '{http.request.header.x-a}|{http.request.uri.query.q}|{http.request.cookie.c}|{http.request.header.host}|{http.request.header.missing}',
              {
                'X-Resp': ['{http.response.header.x-out}'],
              },
            ),
          ],
        },
        {
          match: path('/host'),
          handle: [
            respond(
              '[{http.request.host}] [{http.request.port}] [{http.request.hostport}] [{http.request.host.labels.0}] [{http.request.host.labels.2}] [{http.request.host.labels.-1}]',
            ),
          ],
        },
        {
          match: path('/path/*'),
          handle: [
            respond(
              '[{http.request.uri.path.0}] [{http.request.uri.path.1}] [{http.request.uri.path.2}] [{http.request.uri.path.9}] [{http.request.uri.path.file}] [{http.request.uri.path.file.base}] [{http.request.uri.path.file.ext}] [{http.request.uri.path.dir}]',
            ),
          ],
        },
        {
          match: [{ path: ['/abs"x'] }],
          handle: [
            respond(
              '[{http.request.uri}] [{http.request.uri.path}] [{http.request.host}] [{http.request.orig_uri}] [{http.request.orig_uri.path}]',
            ),
          ],
        },
        {
          match: path('/echo'),
          handle: [respond('[{http.request.body}] [{http.request.body}] [{http.request.body_base64}]')],
        },
        {
          match: path('/misc'),
          handle: [
            respond(
              '{http.request.uuid}|{http.request.uuid}|{http.request.duration}|{http.request.duration_ms}|{http.request.remote.host/24}|{time.now}|{time.now.year}|{system.os}|{system.slash}|{http.request.orig_uri.query}|{http.request.orig_uri.path.file}',
            ),
          ],
        },
      ],
    });
  });
  afterAll(() => s.close());

  it('an unset variable is empty; variable names are placeholders too', async () => {
    const r = await get(s.port(), '/vars?name=k');
    expect(r.body).toBe('[] [yes] [5] [named] [1000000000000000000000] [true]');
  });

  it('unknown placeholders stay in a respond body and become empty elsewhere', async () => {
    const r = await get(s.port(), '/unknown', { headers: { cookie: 'other=1' } });
    expect(r.body).toBe(
      '{http.request.cookie.zz} {foo.bar} {a b} {} {http.regexp.x.1} {http.request.uri.path.x} {http.request.method} {"m": "GET"}',
    );
    expect(r.headers['x-unknown']).toBe('[] [] []');
  });

  it('repeated fields and arguments join with "," (no space); Host and absent fields are empty', async () => {
    const raw = await rawRequest(
      s.port(),
      'GET /fields?q=1&q=2 HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\nX-A: 2\r\nCookie: c="v"; d=2\r\nConnection: close\r\n\r\n',
    );
    expect(raw).toMatch(/\r\n\r\n1,2\|1,2\|v\|\|$/);
    expect(raw).toMatch(/\r\nX-Resp: a,b\r\n/i);
  });

  it('host and port come from the Host field as sent; no port there means an empty port', async () => {
    expect((await get(s.port(), '/host', { host: 'WWW.Example.com' })).body).toBe(
      '[WWW.Example.com] [] [WWW.Example.com] [com] [WWW] [{http.request.host.labels.-1}]',
    );
    expect((await get(s.port(), '/host', { host: 'a.b:0080' })).body).toBe(
      '[a.b] [80] [a.b:0080] [b] [] [{http.request.host.labels.-1}]',
    );
  });

  it("path segments keep empty segments; file, base, extension and directory follow Go's path package", async () => {
    expect((await get(s.port(), '/path//x.tar.gz')).body).toBe(
      '[path] [] [x.tar.gz] [] [x.tar.gz] [x.tar] [.gz] [/path//]',
    );
    expect((await get(s.port(), '/path/.htaccess')).body).toBe(
      '[path] [.htaccess] [] [] [.htaccess] [] [.htaccess] [/path/]',
    );
  });

  it('uuid is stable per request; durations, time and prefixes print as Go prints them', async () => {
    const r = await get(s.port(), '/misc?z=9');
    const [u1, u2, dur, ms, prefix, now, year, os, slash, oq, of] = r.body.split('|');
    expect(u1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(u2).toBe(u1);
    expect(dur).toMatch(/^\d+(\.\d+)?(ns|µs|ms|s)$/);
    expect(ms).toMatch(/^\d+(\.\d+)?$/);
    expect(prefix).toBe('127.0.0.0/24');
    expect(now).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} \S+ m=\+\d+\.\d{9}$/);
    expect(year).toBe(String(new Date().getFullYear()));
    expect(os).toBe(process.platform === 'win32' ? 'windows' : process.platform);
    expect(slash).toBe('/');
    expect(oq).toBe('z=9');
    expect(of).toBe('misc');
  });

  it('{http.request.body} is the whole request body', async () => {
    expect((await get(s.port(), '/echo', { method: 'POST', body: 'hello world' })).body).toBe(
      '[hello world] [hello world] [aGVsbG8gd29ybGQ=]',
    );
    expect((await get(s.port(), '/echo')).body).toBe('[] [] []');
  });

  it("{http.request.uri} is Go's RequestURI: a path that is not a valid encoding is escaped again", async () => {
    const raw = await rawRequest(s.port(), 'GET /abs"x?k=%zz HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/\r\n\r\n\[\/abs%22x\?k=%zz\] \[\/abs"x\] /);
  });
});

/** One raw HTTP/1.1 exchange (the request as written, repeated fields kept), the whole response as text. */
async function rawRequest(port: number, text: string): Promise<string> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => sock.write(text));
    const chunks: Buffer[] = [];
    sock.setTimeout(10_000, () => sock.destroy(new Error('timeout')));
    sock.on('data', (c: Buffer) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString()));
    sock.on('error', reject);
  });
}
