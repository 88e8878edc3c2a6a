/** file_server's Vary: Accept-Encoding appears once, also when encode (which adds its own) wraps it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, start, type Started } from './helpers.js';

describe('file_server Vary', () => {
  let root: string;
  let s: Started;
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'proxy-vary-'));
    writeFileSync(path.join(root, 'a.txt'), 'x'.repeat(4000));
    const fileServer = { handler: 'file_server', root };
    s = await start({
      apps: {
        http: {
          servers: {
            srv0: {
              listen: ['127.0.0.1:0'],
              routes: [
                {
                  match: [{ path: ['/gz/*'] }],
                  handle: [
                    { handler: 'rewrite', strip_path_prefix: '/gz' },
                    { handler: 'encode', encodings: { gzip: {} } },
                    fileServer,
                  ],
                },
                { handle: [fileServer] },
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

  it('varies on Accept-Encoding once, with and without encode around it', async () => {
    for (const [p, ae] of [
      ['/a.txt', 'gzip'],
      ['/gz/a.txt', 'gzip'],
      ['/gz/a.txt', 'identity'],
    ] as const) {
      const r = await get(s.port(), p, { headers: { 'accept-encoding': ae } });
      expect(r.status).toBe(200);
      expect(r.headers['vary']).toBe('Accept-Encoding');
    }
  });
});
