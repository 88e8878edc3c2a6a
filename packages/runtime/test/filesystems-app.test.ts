/** The caddy.filesystems app: an empty one loads; a named file system is refused by its module ID (none is built in). */
import { describe, expect, it } from 'vitest';
import { start } from './helpers.js';

describe('caddy.filesystems app', () => {
  it('loads without file systems', async () => {
    const s = await start({ apps: { 'caddy.filesystems': { filesystems: [] } } });
    await s.close();
  });
  it('refuses a caddy.fs module by name', async () => {
    await expect(
      start({ apps: { 'caddy.filesystems': { filesystems: [{ name: 'x', file_system: { backend: 's3' } }] } } }),
    ).rejects.toThrow(/caddy\.fs\.s3/);
  });
});
