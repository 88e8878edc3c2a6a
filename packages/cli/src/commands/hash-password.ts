/**
 * @module commands/hash-password: `proxy hash-password`: a bcrypt hash for basic_auth, as current Caddy prints it
 * (the hash itself; 2.6.2 printed it base64-encoded, which basic_auth also accepts).
 */
import type { Command } from 'commander';
import { readHidden, readLine } from '../secret-input.js';

/** Options of `proxy hash-password` (Caddy's flags). */
export interface HashPasswordOptions {
  plaintext?: string;
  algorithm?: string;
  bcryptCost?: string;
}

/** Caddy's default bcrypt cost. */
const DEFAULT_COST = 14;

/** Hashes a password with bcrypt, with Go's `$2a$` prefix (the same algorithm as bcryptjs's `$2b$`). */
export async function hashPassword(plaintext: string, cost = DEFAULT_COST): Promise<string> {
  // Loaded here: every other command starts without it.
  const bcrypt = (await import('bcryptjs')).default;
  const hash = await bcrypt.hash(plaintext, await bcrypt.genSalt(cost));
  return hash.replace(/^\$2b\$/, '$2a$');
}

/** The password: --plaintext, else typed twice on a terminal, else the first line of stdin. */
async function readPassword(opts: HashPasswordOptions): Promise<string> {
  if (opts.plaintext) return opts.plaintext;
  let plaintext: string;
  if (process.stdin.isTTY) {
    plaintext = await readHidden('Enter password: ');
    const confirmation = await readHidden('Confirm password: ');
    if (plaintext !== confirmation) throw new Error('password does not match');
  } else {
    plaintext = await readLine();
  }
  if (!plaintext) throw new Error('plaintext is required');
  return plaintext;
}

/** Prints the hash; resolves with the exit code. */
export async function hashPasswordCommand(opts: HashPasswordOptions): Promise<number> {
  const algorithm = opts.algorithm ?? 'bcrypt';
  if (algorithm !== 'bcrypt') throw new Error(`unrecognized hash algorithm: ${algorithm}`);
  const cost = opts.bcryptCost === undefined ? DEFAULT_COST : Number(opts.bcryptCost);
  // bcrypt's own bounds (Go's bcrypt.MinCost..MaxCost).
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error(`invalid --bcrypt-cost: ${opts.bcryptCost}`);
  const plaintext = await readPassword(opts);
  process.stdout.write(`${await hashPassword(plaintext, cost)}\n`);
  return 0;
}

/** Adds `hash-password`. */
export function registerHashPassword(program: Command): void {
  program
    .command('hash-password')
    .description(
      'Hashes a password for basic_auth and prints the hash. Without --plaintext, asks for it twice on a terminal ' +
        '(not echoed) or reads the first line of stdin.',
    )
    .option('-p, --plaintext <password>', 'the password to hash (visible in the process list: prefer the prompt)')
    .option('-a, --algorithm <name>', 'hash algorithm: bcrypt', 'bcrypt')
    .option('--bcrypt-cost <n>', `bcrypt cost (default ${DEFAULT_COST})`)
    .action(async (opts: HashPasswordOptions) => {
      process.exitCode = await hashPasswordCommand(opts);
    });
}
