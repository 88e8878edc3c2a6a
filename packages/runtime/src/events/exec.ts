/**
 * @module events/exec: `events.handlers.exec` (mholt/caddy-events-exec): runs a command for an event. Placeholders
 * are replaced in the arguments, never in the command. In the background by default (the event does not wait);
 * with `foreground` the event waits, and with `abort` too a failing command aborts it.
 */
import { spawn } from 'node:child_process';
import { type ExecEventHandler, parseDuration } from '@proxy/contract';
import type { Logger } from 'pino';
import { compileTemplate, type Resolver } from '../util/template.js';

/** An event handler: resolves, or rejects with the error; `aborts` errors abort the event. */
export interface EventHandler {
  handle(resolve: Resolver): Promise<void>;
}

/** An error that aborts the event (Caddy's caddyevents.ErrAborted). */
export class EventAborted extends Error {}

export function createExec(c: ExecEventHandler, env: NodeJS.ProcessEnv, logger: Logger): EventHandler {
  const command = c.command ?? '';
  const args = (c.args ?? []).map((a) => compileTemplate(a, env));
  const timeoutMs = parseDuration(c.timeout) ?? 0;
  const run = (argv: string[]): Promise<void> =>
    new Promise((resolve, reject) => {
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(command, argv, { cwd: c.dir || undefined, stdio: ['ignore', 'inherit', 'inherit'], env });
      } catch (e) {
        reject(e as Error);
        return;
      }
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              child.kill('SIGKILL');
            }, timeoutMs)
          : undefined;
      timer?.unref();
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(signal ? `${command}: killed by ${signal}` : `${command}: exit status ${code}`));
      });
    });
  return {
    async handle(resolve) {
      const argv = args.map((t) => t.render(resolve));
      if (!c.foreground) {
        run(argv).catch((e: unknown) =>
          logger.error({ command, args: argv, error: String(e) }, 'exec event handler failed'),
        );
        return;
      }
      try {
        await run(argv);
      } catch (e) {
        if (c.abort) throw new EventAborted(String((e as Error).message));
        throw e;
      }
    },
  };
}
