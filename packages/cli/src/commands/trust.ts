/**
 * @module commands/trust: `proxy trust` / `proxy untrust`: installs (removes) the root certificate of a `pki` CA
 * in the system trust store, as Caddy's do on Debian (smallstep/truststore): the root, fetched from the running
 * instance's admin API (GET /pki/ca/<id>), is copied to /usr/local/share/ca-certificates/<CN>.crt and
 * `update-ca-certificates` is run. PROXY_TRUST_STORE_DIR and PROXY_TRUST_UPDATE_COMMAND replace the folder and the
 * command (tests use a temp folder; a package could use another distribution's).
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { adminAddress, adminGet } from './admin-client.js';
import { adapterFor, loadConfigFile } from './config-file.js';

/** Options of `proxy trust` / `proxy untrust` (Caddy's flags). */
export interface TrustOptions {
  ca?: string;
  address?: string;
  config?: string;
  adapter?: string;
  /** untrust only: the certificate file to remove instead of asking the admin API. */
  cert?: string;
}

/** The system store: its folder and the command that rebuilds the bundle from it. */
export function trustStore(env: NodeJS.ProcessEnv = process.env): { dir: string; update: string[] } {
  const dir = env['PROXY_TRUST_STORE_DIR'] || '/usr/local/share/ca-certificates';
  const update = (env['PROXY_TRUST_UPDATE_COMMAND'] || 'update-ca-certificates').split(/\s+/).filter(Boolean);
  return { dir, update };
}

/** The store's file for a certificate: its subject CN, spaces as underscores (truststore's naming). */
export function storeFileName(pem: string): string {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw new Error(`not a PEM certificate: ${(e as Error).message}`);
  }
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? cert.serialNumber;
  return `${cn.replaceAll(' ', '_').replaceAll('/', '_')}.crt`;
}

function runUpdate(update: string[]): Promise<void> {
  const [cmd, ...args] = update;
  if (!cmd) return Promise.resolve();
  return new Promise((resolve, reject) => {
    execFile(cmd, args, (e, _stdout, stderr) => {
      if (e) reject(new Error(`${update.join(' ')} failed: ${stderr.trim() || e.message}`));
      else resolve();
    });
  });
}

function storeError(action: string, file: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const hint = code === 'EACCES' || code === 'EPERM' ? ' (the system trust store needs root: run it with sudo)' : '';
  return new Error(`cannot ${action} ${file}: ${(e as Error).message}${hint}`);
}

/** Writes the root into the store and rebuilds the bundle; returns the file written. */
export async function installRoot(pem: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { dir, update } = trustStore(env);
  const file = path.join(dir, storeFileName(pem));
  try {
    await writeFile(file, pem.endsWith('\n') ? pem : `${pem}\n`, { mode: 0o644 });
  } catch (e) {
    throw storeError('write', file, e);
  }
  await runUpdate(update);
  return file;
}

/** Removes the root from the store and rebuilds the bundle; returns the file removed. */
export async function uninstallRoot(pem: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { dir, update } = trustStore(env);
  const file = path.join(dir, storeFileName(pem));
  try {
    await rm(file, { force: true });
  } catch (e) {
    throw storeError('remove', file, e);
  }
  await runUpdate(update);
  return file;
}

/** The CA's root from the running instance (its admin address: --address, else the config's, else the default). */
async function rootFromAdmin(opts: TrustOptions): Promise<string> {
  const json = opts.config ? await loadConfigFile(opts.config, adapterFor(opts.config, opts.adapter)) : undefined;
  const ca = opts.ca || 'local';
  const answer = await adminGet(adminAddress(opts.address, json), `/pki/ca/${encodeURIComponent(ca)}`);
  const pem = (answer as { root_certificate?: unknown } | null)?.root_certificate;
  if (typeof pem !== 'string' || !pem) throw new Error(`the admin API gave no root certificate for CA "${ca}"`);
  return pem;
}

export async function trustCommand(
  opts: TrustOptions,
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  const file = await installRoot(await rootFromAdmin(opts));
  log(`installed the root certificate of CA "${opts.ca || 'local'}" in the system trust store: ${file}\n`);
  return 0;
}

export async function untrustCommand(
  opts: TrustOptions,
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  let pem: string;
  if (opts.cert) {
    if (opts.ca || opts.address || opts.config)
      throw new Error('--cert cannot be used with --ca, --address or --config');
    try {
      pem = await readFile(opts.cert, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${opts.cert}: ${(e as Error).message}`);
    }
  } else {
    pem = await rootFromAdmin(opts);
  }
  const file = await uninstallRoot(pem);
  log(`removed ${file} from the system trust store\n`);
  return 0;
}

function adminOptions(cmd: Command): Command {
  return cmd
    .option('--ca <id>', 'the ID of the CA (default: local)')
    .option('--address <addr>', "address of the administration API (default: the config's, else localhost:2019)")
    .option('-c, --config <file>', 'read the admin address from this config')
    .option('-a, --adapter <name>', 'config adapter: caddyfile or json');
}

/** Adds `trust` and `untrust`. */
export function registerTrust(program: Command): void {
  adminOptions(
    program
      .command('trust')
      .description(
        "Installs the root certificate of a running instance's CA (pki app) in the system trust store (needs root)",
      ),
  ).action(async (opts: TrustOptions) => {
    process.exitCode = await trustCommand(opts);
  });
  adminOptions(
    program
      .command('untrust')
      .description(
        "Removes a CA root certificate (--cert FILE, or a running instance's CA) from the system trust store",
      ),
  )
    .option('--cert <file>', 'the root certificate (PEM) to remove')
    .action(async (opts: TrustOptions) => {
      process.exitCode = await untrustCommand(opts);
    });
}
