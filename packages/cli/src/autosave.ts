/**
 * @module autosave: Caddy's config autosave: each config that starts serving (first load, admin API, reload) is
 * written to autosave.json in the config folder, unless its `admin.config.persist` is false; `run --resume`
 * starts from it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { autosavePath } from './paths.js';

/** Whether a config asks to be persisted (Caddy's default: yes). */
function persists(json: unknown): boolean {
  const persist = (json as { admin?: { config?: { persist?: unknown } } } | null)?.admin?.config?.persist;
  return persist !== false;
}

/** Saves a config to autosave.json (atomically: a crash leaves the previous one whole). */
export async function autosave(json: unknown, file: string = autosavePath()): Promise<void> {
  if (!persists(json)) return;
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(json), { mode: 0o600 });
  await rename(tmp, file);
}

/** The saved config, or undefined when there is none. */
export async function readAutosave(file: string = autosavePath()): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`);
  }
}
