/**
 * @module storage-cached.test: the local copy beside a shared storage: reads of what was read or written before
 * come from the copy while the shared storage fails (one log line when the outage starts, one when it ends);
 * writes and locks still need the shared storage; transient keys (challenge tokens) are not copied.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { CachedStorage } from '../src/storage/cached.js';
import { FileStorage } from '../src/storage/file-system.js';

const root = mkdtempSync(path.join(tmpdir(), 'storage-cached-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A file storage that fails every call while `down` is set, as a database that cannot be reached. */
class Flaky extends FileStorage {
  down = false;
  private gate(): void {
    if (this.down) throw new Error('postgres storage db: connect ECONNREFUSED');
  }
  override async load(key: string) {
    this.gate();
    return super.load(key);
  }
  override async store(key: string, value: string | Uint8Array) {
    this.gate();
    return super.store(key, value);
  }
  override async list(prefix: string, recursive: boolean) {
    this.gate();
    return super.list(prefix, recursive);
  }
  override async stat(key: string) {
    this.gate();
    return super.stat(key);
  }
  override async lock(name: string) {
    this.gate();
    return super.lock(name);
  }
}

it('serves reads from the local copy while the shared storage is down, and logs the outage once', async () => {
  const shared = new Flaky(path.join(root, 'shared'), { leaseMs: 1000, pollMs: 20 });
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(s) });
  const st = new CachedStorage(shared, new FileStorage(path.join(root, 'copy')), logger, 'db');
  const crt = 'certificates/local/a.example/a.example.crt';
  const token = 'certificates/acme/challenge_tokens/a.example.json';
  await st.store(crt, 'CERT');
  await st.store(token, 'TOKEN');
  // Written by another instance, then read by this one: copied on read.
  await shared.store('pki/authorities/local/root.crt', 'ROOT');
  expect(String(await st.load('pki/authorities/local/root.crt'))).toBe('ROOT');

  shared.down = true;
  expect(String(await st.load(crt))).toBe('CERT');
  expect(String(await st.load('pki/authorities/local/root.crt'))).toBe('ROOT');
  expect(await st.list('certificates/local', false)).toEqual(['certificates/local/a.example']);
  expect((await st.stat(crt))?.size).toBe(4);
  // Nothing copied for it: the failure shows.
  await expect(st.load(token)).rejects.toThrow(/ECONNREFUSED/);
  await expect(st.load('certificates/local/never-seen/x.crt')).rejects.toThrow(/ECONNREFUSED/);
  // Writes and locks need the shared storage: nothing lands only in the copy.
  await expect(st.store(crt, 'NEW')).rejects.toThrow(/ECONNREFUSED/);
  expect(String(await st.load(crt))).toBe('CERT');
  await expect(st.lock('issue_cert_a.example')).rejects.toThrow(/ECONNREFUSED/);
  const msgs = () => lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  expect(msgs()).toEqual(['shared storage unreachable; reading from the local copy until it is back']);

  shared.down = false;
  await shared.store(crt, 'RENEWED');
  expect(String(await st.load(crt))).toBe('RENEWED');
  expect(msgs()).toEqual([
    'shared storage unreachable; reading from the local copy until it is back',
    'shared storage reachable again',
  ]);
  // The copy follows what was read.
  shared.down = true;
  expect(String(await st.load(crt))).toBe('RENEWED');
});
