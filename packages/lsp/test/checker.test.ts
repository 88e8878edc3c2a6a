/**
 * Whole-file checks in the worker thread (checker.ts, run from the built script): the same adaptation as on
 * this thread, imports read from the open files' texts, and no worker script means "check it yourself".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adapt } from '@proxy/parser';
import { afterEach, describe, expect, it } from 'vitest';
import { Checker } from '../src/checker.js';

const script = new URL('../dist/check-worker.js', import.meta.url);
let checker: Checker | undefined;
let dir: string | undefined;
afterEach(() => {
  checker?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the whole-file checker', () => {
  it('adapts in the worker as adapt does here, reading imports from the open files', async () => {
    checker = new Checker(script);
    dir = mkdtempSync(path.join(tmpdir(), 'proxy-checker-'));
    const part = path.join(dir, 'part.caddy');
    // On disk the import says one thing; the editor's unsaved copy another, which is what counts.
    writeFileSync(part, 'header X-Disk 1\n');
    const open = { [part]: 'header X-Part 1\n' };
    const readFile = (p: string) => open[p] ?? '';
    const file = path.join(dir, 'Caddyfile');
    const text = `:8080 {\n\timport ${part}\n\trespnd x\n}\n:8081 {\n\trespond "ok"\n}\n`;
    const res = await checker.check({ text, path: file, dir, open });
    expect(res?.result?.errors).toEqual(adapt(text, { filename: file, dir, readFile }).errors);
    expect(res?.result?.errors[0]?.message).toBe('unrecognized directive: respnd');
    expect(res?.reads).toEqual([part]);
    const fixed = text.replace('respnd x', 'respond x');
    const ok = await checker.check({ text: fixed, path: file, dir, open });
    // The config comes back as its JSON text, Caddy's encoding of the same config.
    expect(JSON.parse(ok?.result?.json ?? 'null')).toEqual(adapt(fixed, { filename: file, dir, readFile }).config);
    expect(ok?.result?.json).toContain('X-Part');
  });

  it('answers undefined without a worker script, so the caller checks on its own thread', async () => {
    checker = new Checker(new URL('./no-such-worker.js', import.meta.url));
    expect(await checker.check({ text: ':1 {\n}\n', path: '/x', dir: '/', open: {} })).toBeUndefined();
  });
});
