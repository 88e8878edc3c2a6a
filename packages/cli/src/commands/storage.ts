/**
 * @module commands/storage: `proxy storage export|import`: the configured storage (certificates, keys, the local
 * CA) as a tar archive, as Caddy's (cmd/storagefuncs.go): one entry per storage key. The storage is the config's
 * `storage` (file_system) or the default data folder.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { dataDir } from '@proxy/runtime';
import { create, extract } from 'tar';
import { adapterFor, loadConfigFile } from './config-file.js';

/** Options of `proxy storage export` / `import` (Caddy's flags). */
export interface StorageOptions {
  config: string;
  adapter?: string;
  output?: string;
  input?: string;
}

/** The folder of the config's storage. */
export async function storageRoot(opts: StorageOptions): Promise<string> {
  const json = (await loadConfigFile(opts.config, adapterFor(opts.config, opts.adapter))) as {
    storage?: { module?: unknown; root?: unknown };
  } | null;
  const storage = json?.storage;
  if (storage && storage.module !== 'file_system') {
    throw new Error(`storage module "${String(storage.module)}" is not supported (file_system is)`);
  }
  return dataDir(storage as { module: 'file_system'; root?: string } | undefined);
}

/** Every file under a folder, as slash-separated paths relative to it (the storage keys). */
async function keys(root: string, sub = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(root, sub), { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && sub === '') return [];
    throw e;
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await keys(root, key)));
    else if (e.isFile()) out.push(key);
  }
  return out;
}

/** Writes the storage as a tar to --output (`-`: stdout). Resolves with the number of keys. */
export async function storageExport(opts: StorageOptions): Promise<number> {
  if (!opts.output) throw new Error('--output is required');
  const root = await storageRoot(opts);
  const list = await keys(root);
  // The archive holds private keys: readable by the owner only, like Caddy's export.
  const out = opts.output === '-' ? process.stdout : createWriteStream(opts.output, { mode: 0o600 });
  const tar = create({ cwd: root, portable: true, noDirRecurse: true }, list);
  await pipeline(tar, out, { end: opts.output !== '-' });
  return list.length;
}

/** Unpacks a tar from --input (`-`: stdin) into the storage. */
export async function storageImport(opts: StorageOptions): Promise<void> {
  if (!opts.input) throw new Error('--input is required');
  const root = await storageRoot(opts);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const input = opts.input === '-' ? process.stdin : createReadStream(opts.input);
  // tar refuses absolute paths and `..` in entry names (no writing outside the storage).
  await pipeline(input, extract({ cwd: root, strict: true, preserveOwner: false }));
}

/** Adds `storage` with its subcommands `export` and `import`. */
export function registerStorage(program: Command): void {
  const storage = program
    .command('storage')
    .description('Exports or imports the configured storage (certificates, keys, the local CA) as a tar archive');
  storage
    .command('export')
    .description('Writes every key of the storage to a tar archive')
    .requiredOption('-c, --config <file>', 'the config whose storage to export')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json')
    .requiredOption('-o, --output <file>', 'the tar file to write (- for stdout)')
    .action(async (opts: StorageOptions) => {
      const n = await storageExport(opts);
      process.stderr.write(`exported ${n} keys\n`);
    });
  storage
    .command('import')
    .description('Writes the keys of a tar archive into the storage')
    .requiredOption('-c, --config <file>', 'the config whose storage to import into')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json')
    .requiredOption('-i, --input <file>', 'the tar file to read (- for stdin)')
    .action(async (opts: StorageOptions) => {
      await storageImport(opts);
    });
}
