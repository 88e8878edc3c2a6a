/** The `file` matcher compared with Caddy's: only patterns written with a trailing slash name directories. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file matcher', () => {
  let root: string;
  let s: Started;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-file-'));
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'index.php'), 'x');
    writeFileSync(path.join(root, 'sub', 'index.php'), 'x');
    writeFileSync(path.join(root, 'static.txt'), 'x');
    const show = {
      handler: 'static_response',
      body: '{http.matchers.file.relative}|{http.matchers.file.remainder}|{http.matchers.file.type}',
    };
    const strip = (p: string) => ({ handler: 'rewrite', strip_path_prefix: p });
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                { handle: [{ handler: 'vars', root }] },
                {
                  match: [{ path: ['/a/*'] }],
                  handle: [
                    {
                      handler: 'subroute',
                      routes: [
                        { handle: [strip('/a')] },
                        {
                          match: [{ file: { try_files: ['{http.request.uri.path}', '{http.request.uri.path}/'] } }],
                          handle: [show],
                        },
                        { handle: [{ handler: 'static_response', body: 'none' }] },
                      ],
                    },
                  ],
                },
                {
                  match: [{ path: ['/c/*'] }],
                  handle: [
                    {
                      handler: 'subroute',
                      routes: [
                        { handle: [strip('/c')] },
                        {
                          match: [
                            {
                              file: {
                                try_files: ['{http.request.uri.path}/', '{http.request.uri.path}'],
                                split_path: ['.php'],
                              },
                            },
                          ],
                          handle: [show],
                        },
                        { handle: [{ handler: 'static_response', body: 'none' }] },
                      ],
                    },
                  ],
                },
              ],
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

  const body = async (p: string) => (await get(s.port(), p)).body;

  it('does not take the site root for "{path}" at "/", but does for "{path}/"', async () => {
    expect(await body('/a/')).toBe('/||directory');
    expect(await body('/c/')).toBe('/||directory');
  });

  it('matches files only for patterns without a trailing slash, directories only with one', async () => {
    expect(await body('/a/sub')).toBe('/sub/||directory');
    expect(await body('/a/static.txt')).toBe('/static.txt||file');
    expect(await body('/a/nope')).toBe('none');
    expect(await body('/c/static.txt')).toBe('/static.txt||file');
  });

  it('splits at split_path and keeps the remainder', async () => {
    expect(await body('/c/index.php/x/y')).toBe('/index.php|/x/y|file');
    expect(await body('/c/sub/index.php/z')).toBe('/sub/index.php|/z|file');
  });
});
