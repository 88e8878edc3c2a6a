/**
 * @module commands/start: `proxy start`: `proxy run` in the background. Like `caddy start`, it returns once the
 * child serves (the child connects back with a random token it read on stdin) or has failed (its exit code, its
 * errors already on the same stderr).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Command } from 'commander';
import { selfCommand } from '../self-command.js';

/** Options of `proxy start` (Caddy's flags). */
export interface StartOptions {
  config?: string;
  adapter?: string;
  /** Traefik's static configuration (with `--adapter traefik`). */
  static?: string;
  envfile?: string;
  pidfile?: string;
  watch?: boolean;
}

/** Starts the child and waits for it; resolves with the exit code. */
export async function startCommand(
  opts: StartOptions,
  log: (s: string) => void = (s) => process.stderr.write(s),
): Promise<number> {
  const token = randomBytes(32);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  const { command, args } = selfCommand();
  const runArgs = ['run', '--pingback', `127.0.0.1:${port}`];
  if (opts.config) runArgs.push('--config', opts.config);
  if (opts.adapter) runArgs.push('--adapter', opts.adapter);
  if (opts.static) runArgs.push('--static', opts.static);
  if (opts.envfile) runArgs.push('--envfile', opts.envfile);
  if (opts.pidfile) runArgs.push('--pidfile', opts.pidfile);
  if (opts.watch) runArgs.push('--watch');
  // Its own session: the server outlives this command and the terminal it was typed in.
  const child = spawn(command, [...args, ...runArgs], { stdio: ['pipe', 'inherit', 'inherit'], detached: true });
  child.stdin.on('error', () => {}); // a child that died early: its exit is reported below
  child.stdin.end(token);

  const outcome = await new Promise<{ ok: true } | { ok: false; why: string }>((resolve) => {
    server.on('connection', (sock) => {
      const chunks: Buffer[] = [];
      sock.on('data', (d: Buffer) => chunks.push(d));
      sock.on('error', () => {});
      sock.on('end', () => {
        if (Buffer.concat(chunks).equals(token)) resolve({ ok: true });
      });
    });
    child.once('error', (e) => resolve({ ok: false, why: `cannot start the child process: ${e.message}` }));
    child.once('exit', (code, signal) =>
      resolve({ ok: false, why: `proxy process exited with ${signal ? `signal ${signal}` : `exit status ${code}`}` }),
    );
  });
  server.close();
  if (!outcome.ok) {
    log(`error: ${outcome.why}\n`);
    return 1;
  }
  child.unref();
  log(`Successfully started proxy (pid=${child.pid}) - proxy is running in the background\n`);
  return 0;
}

/** Adds `start`. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Start `proxy run` in the background; returns once it serves (or prints why it could not)')
    .option('-c, --config <file>', 'config file (default: ./Caddyfile)')
    .option('-a, --adapter <name>', 'config adapter: caddyfile, json or traefik (default: by file extension)')
    .option('--static <file>', "Traefik's static configuration (entry points), with --adapter traefik")
    .option('--envfile <file>', 'load environment variables (KEY=VALUE lines) before reading the config')
    .option('--pidfile <file>', 'write the process ID of the server to this file')
    .option('-w, --watch', 'reload the config when the file changes')
    .action(async (opts: StartOptions) => {
      process.exitCode = await startCommand(opts);
      // The child's stdin pipe and the exit listener must not keep this command waiting.
      setTimeout(() => process.exit(), 50).unref();
    });
}
