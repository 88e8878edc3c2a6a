/**
 * @module commands/storage: `proxy storage export|import`: the configured storage (certificates, keys, the local
 * CA) as a tar archive, as Caddy's (cmd/storagefuncs.go): one entry per storage key, whatever the storage module
 * (file_system, postgres), so an archive exported from one imports into the other.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { openStorage, type Storage } from '@proxy/runtime';
import { Header, Parser, Pax, type ReadEntry } from 'tar';
import { adapterFor, loadConfigFile } from './config-file.js';

/** Options of `proxy storage export` / `import` (Caddy's flags). */
export interface StorageOptions {
  config: string;
  adapter?: string;
  output?: string;
  input?: string;
}

/** The storage the config names (its `storage`, else the default data folder); the caller closes it. */
export async function configStorage(opts: StorageOptions): Promise<Storage> {
  const json = (await loadConfigFile(opts.config, adapterFor(opts.config, opts.adapter))) as {
    storage?: { module: string; [field: string]: unknown };
  } | null;
  return openStorage(json?.storage);
}

/** Lock files are the state of running instances, not data: an archive never carries them. */
function isLock(key: string): boolean {
  return key === 'locks' || key.startsWith('locks/');
}

/** The tar stream of every key (mode 0600, as Caddy's export), a PAX header first when a key is too long for ustar. */
async function* archive(storage: Storage, keys: string[]): AsyncGenerator<Buffer> {
  for (const key of keys) {
    const data = await storage.load(key);
    if (data === undefined) continue; // deleted since it was listed
    const mtime = (await storage.stat(key))?.modified ?? new Date();
    const header = new Header({ path: key, mode: 0o600, size: data.length, mtime, type: 'File', uid: 0, gid: 0 });
    if (header.encode()) yield new Pax({ path: key, mtime, size: data.length }).encode();
    yield header.block!;
    yield data;
    if (data.length % 512) yield Buffer.alloc(512 - (data.length % 512));
  }
  yield Buffer.alloc(1024);
}

/** Writes the storage as a tar to --output (`-`: stdout). Resolves with the number of keys. */
export async function storageExport(opts: StorageOptions): Promise<number> {
  if (!opts.output) throw new Error('--output is required');
  const storage = await configStorage(opts);
  try {
    const keys = (await storage.list('', true)).filter((k) => !isLock(k));
    // The archive holds private keys: readable by the owner only, like Caddy's export.
    const out = opts.output === '-' ? process.stdout : createWriteStream(opts.output, { mode: 0o600 });
    await pipeline(Readable.from(archive(storage, keys)), out, { end: opts.output !== '-' });
    return keys.length;
  } finally {
    await storage.close();
  }
}

/** Stores every file entry of a tar from --input (`-`: stdin) in the storage. */
export async function storageImport(opts: StorageOptions): Promise<void> {
  if (!opts.input) throw new Error('--input is required');
  const storage = await configStorage(opts);
  try {
    const writes: Array<Promise<void>> = [];
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const key = entry.path.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
        if (entry.type === 'Directory' || key === '' || isLock(key)) {
          entry.resume();
          return;
        }
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          entry.resume();
          writes.push(Promise.reject(new Error(`${entry.path}: a ${entry.type} entry cannot be imported`)));
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        // Storage keys refuse absolute paths and `..`: nothing is written outside the storage.
        writes.push(
          new Promise<void>((resolve) => entry.on('end', resolve)).then(() =>
            storage.store(key, Buffer.concat(chunks)),
          ),
        );
      },
    });
    const input = opts.input === '-' ? process.stdin : createReadStream(opts.input);
    await pipeline(input, parser);
    // Every write settles before the first failure is reported.
    const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } finally {
    await storage.close();
  }
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
