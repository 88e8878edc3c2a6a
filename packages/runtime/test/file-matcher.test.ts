/** The file matcher (try_files) as Caddy's: policies over any existing path, globs, escaped placeholders, split_path. */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file matcher like Caddy', () => {
  let s: Started;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-fm-'));
    mkdirSync(path.join(root, 'docs'));
    mkdirSync(path.join(root, 'php'));
    writeFileSync(path.join(root, 'empty.txt'), '');
    writeFileSync(path.join(root, 'digits.txt'), '0123456789');
    writeFileSync(path.join(root, 'php', 'index.php'), '<?php');
    for (const n of ['b.js', 'a.js', 'c.css']) writeFileSync(path.join(root, 'php', n), n);
    utimesSync(path.join(root, 'docs'), new Date('2020-01-01Z'), new Date('2020-01-01Z'));
    const show = {
      handler: 'static_response',
      body: 'rel={http.matchers.file.relative} type={http.matchers.file.type} rem={http.matchers.file.remainder}',
    };
    const route = (prefix: string, file: Record<string, unknown>): Record<string, unknown> => ({
      match: [{ path: [`${prefix}/*`] }],
      handle: [
        { handler: 'rewrite', strip_path_prefix: prefix },
        {
          handler: 'subroute',
          routes: [
            { match: [{ file: { root, ...file } }], handle: [show] },
            { handle: [{ handler: 'static_response', body: 'nomatch' }] },
          ],
        },
      ],
    });
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                route('/big', { try_files: ['/empty.txt', '/docs', '/digits.txt'], try_policy: 'largest_size' }),
                route('/small', { try_files: ['/empty.txt', '/docs', '/digits.txt'], try_policy: 'smallest_size' }),
                route('/glob', { try_files: ['/php/*.js'] }),
                route('/php', {
                  try_files: ['{http.request.uri.path}', '{http.request.uri.path}/index.php'],
                  split_path: ['.php'],
                }),
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

  const body = async (p: string): Promise<string> => (await get(s.port(), p)).body;

  it('compares sizes over any existing path, from zero as Caddy does', async () => {
    // A directory counts (its size is the directory entry's); the empty file is never the largest.
    expect(await body('/big/')).toBe('rel=/docs type=directory rem=');
    // The empty file is replaced while the smallest size is still zero.
    expect(await body('/small/')).toBe('rel=/digits.txt type=file rem=');
  });

  it('expands globs in patterns, the first name in sorted order', async () => {
    expect(await body('/glob/')).toBe('rel=/php/a.js type=file rem=');
  });

  it('does not expand globs that come from the request', async () => {
    expect(await body('/php/php/*.js')).toBe('nomatch');
    expect(await body('/php/php/index.php/extra/path')).toBe('rel=/php/index.php type=file rem=/extra/path');
  });
});
