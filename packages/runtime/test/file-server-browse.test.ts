/** file_server browse: Caddy's JSON listing and HTML page, sorting, limits and cookies. */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, utimesSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file_server browse like Caddy', () => {
  let s: Started;
  let root: string;
  const mtime = new Date('2024-03-05T18:07:08.5Z');
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-browse-'));
    const dir = path.join(root, 'listing');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    const put = (name: string, data: string | Buffer): void => {
      writeFileSync(path.join(dir, name), data);
      utimesSync(path.join(dir, name), mtime, mtime);
    };
    put('a <x>.txt', 'a');
    put('half.bin', Buffer.alloc(10752));
    put('big.bin', Buffer.alloc(11776));
    put('secret.txt', 's');
    writeFileSync(path.join(root, 'outside.txt'), 'outside');
    mkdirSync(path.join(root, 'bytes'));
    writeFileSync(
      Buffer.concat([Buffer.from(path.join(root, 'bytes', 'x')), Buffer.from([0xff]), Buffer.from('y.txt')]),
      'z',
    );
    symlinkSync('../outside.txt', path.join(dir, 'link.txt'));
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [{ handle: [{ handler: 'file_server', root, hide: ['secret.txt'], browse: {} }] }],
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  const json = async (
    q: string,
    headers: Record<string, string> = {},
  ): Promise<{ body: string; items: Array<Record<string, unknown>>; cookies: string[] }> => {
    const r = await get(s.port(), `/listing/${q}`, {
      headers: { Accept: 'text/html;q=0.9, application/json', ...headers },
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    return {
      body: r.body,
      items: JSON.parse(r.body) as Array<Record<string, unknown>>,
      cookies: r.headers['set-cookie'] ?? [],
    };
  };

  it('lists entries as Caddy encodes its fileInfo (numeric mode, RFC 3339 time, HTML-safe strings)', async () => {
    const { body, items } = await json('');
    expect(items.map((i) => i['name'])).toEqual(['sub/', 'a <x>.txt', 'big.bin', 'half.bin', 'link.txt']);
    expect(body.endsWith(']\n')).toBe(true);
    expect(body).toContain(
      '"name":"a \\u003cx\\u003e.txt","size":1,"url":"./a%20%3Cx%3E.txt","mod_time":"2024-03-05T18:07:08.5Z","mode":' +
        `${statSync(path.join(root, 'listing', 'a <x>.txt')).mode & 0o777},"is_dir":false,"is_symlink":false}`,
    );
    const sub = items[0]!;
    expect(Object.keys(sub)).toEqual(['name', 'size', 'url', 'mod_time', 'mode', 'is_dir', 'is_symlink']);
    expect(sub['mode']).toBe((statSync(path.join(root, 'listing', 'sub')).mode & 0o777) + 2 ** 31);
    const link = items[4]!;
    // A symlink shows its target's size and its own mode.
    expect(link).toMatchObject({ is_symlink: true, size: 7, mode: 2 ** 27 + 0o777 });
  });

  it('lists names that are not UTF-8, as Go encodes them', async () => {
    const r = await get(s.port(), '/bytes/', { headers: { Accept: 'application/json' } });
    expect(r.body).toContain('"name":"x\\ufffdy.txt","size":1,"url":"./x%FFy.txt"');
  });

  it('sorts, offsets and limits from the query, remembering sort and order in cookies', async () => {
    const bySize = await json('?sort=size');
    expect(bySize.items.map((i) => i['name'])).toEqual(['sub/', 'a <x>.txt', 'link.txt', 'half.bin', 'big.bin']);
    expect(bySize.cookies).toEqual(['sort=size']);
    const desc = await json('?sort=size&order=desc&offset=1&limit=2');
    expect(desc.items.map((i) => i['name'])).toEqual(['half.bin', 'link.txt']);
    expect(desc.cookies).toEqual(['sort=size', 'order=desc']);
    const fromCookie = await json('', { Cookie: 'sort=size; order=desc' });
    expect(fromCookie.items.map((i) => i['name'])).toEqual(['big.bin', 'half.bin', 'link.txt', 'a <x>.txt', 'sub/']);
    expect(fromCookie.cookies).toEqual([]);
    expect((await json('?offset=50')).items).toHaveLength(5);
  });

  it("renders Caddy's page: title, breadcrumbs, counts, sort links, human sizes, symlink marks, go-up", async () => {
    const r = await get(s.port(), '/listing/?sort=size&order=desc&limit=4');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = r.body;
    expect(page.startsWith('<!DOCTYPE html>\n<html>\n\t<head>\n\t\t<title>listing</title>\n')).toBe(true);
    expect(page).toContain('<h1>\n\t\t\t\t<a href="../">/</a><a href="">listing</a>/\n\t\t\t</h1>');
    expect(page).toContain(
      '<span class="meta-item"><b>1</b> directory</span>\n\t\t\t\t\t<span class="meta-item"><b>4</b> files</span>\n' +
        '\t\t\t\t\t<span class="meta-item">(of which only <b>4</b> are displayed)</span>',
    );
    expect(page).toContain(
      '<a href="?sort=size&order=asc&limit=4">Size <svg width="1em" height=".5em" version="1.1" viewBox="0 0 12.922194 6.0358899"><use xlink:href="#down-arrow"></use></svg></a>',
    );
    expect(page).toContain('<a href="?sort=name&order=asc&limit=4">Name</a>');
    // humanize rounds half to even: 10.5 KiB is "10 KiB", 11.5 KiB is "12 KiB".
    expect(page).toContain('<td data-order="10752">10 KiB</td>');
    expect(page).toContain('<td data-order="11776">12 KiB</td>');
    expect(page).toContain(
      '<a href="./link.txt">\n\t\t\t\t\t\t\t\t<svg width="1.5em" height="1em" version="1.1" viewBox="0 0 265 323"><use xlink:href="#file-shortcut"></use></svg>',
    );
    expect(page).toContain('<span class="name">a &lt;x&gt;.txt</span>');
    expect(page).toContain('<time datetime="2024-03-05T18:07:08Z">03/05/2024 06:07:08 PM +00:00</time>');
    expect(page).toContain('<span class="goup">Go up</span>');
    expect(page).not.toContain('secret');
    expect(page.endsWith('\t\t</script>\n\t</body>\n</html>\n')).toBe(true);
    const top = await get(s.port(), '/');
    expect(top.body).toContain('<title>/</title>');
    expect(top.body).not.toContain('Go up');
  });

  it('refuses a custom browse template, naming the file', async () => {
    await expect(
      start({
        apps: {
          http: {
            servers: {
              srv0: {
                listen: ['127.0.0.1:0'],
                routes: [
                  { handle: [{ handler: 'file_server', root, browse: { template_file: '/srv/tpl/listing.html' } }] },
                ],
              },
            },
          },
        },
      }),
    ).rejects.toThrow(/\/srv\/tpl\/listing\.html/);
  });
});
