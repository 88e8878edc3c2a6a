/** @module storage-file.test: the storage suite against file storage (`caddy.storage.file_system`). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FileStorage } from '../src/storage/file-system.js';
import { storageSuite } from './storage-suite.js';

const root = mkdtempSync(path.join(tmpdir(), 'storage-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

storageSuite('file_system', () => ({
  make: (leaseMs) => new FileStorage(root, { leaseMs, pollMs: 50 }),
  childSetup: `const { FileStorage } = await import(dist + '/storage/file-system.js');
const storage = new FileStorage(${JSON.stringify(root)}, { leaseMs, pollMs: 50 });`,
}));
