/** @module logging: pino loggers that write Caddy's shape: {"level","ts","logger","msg",...fields}. */
import { pino, type Logger, type DestinationStream } from 'pino';
import type { Logging } from '@proxy/contract';
import { createLogRouter, minLevel } from './logging/router.js';

export type { Logger } from 'pino';

/** Options for the root logger. */
export interface LoggerOptions {
  level?: string;
  /** Where entries go; stderr by default, like Caddy. */
  destination?: DestinationStream;
}

/** Creates the root logger in Caddy's JSON shape. */
export function createRootLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: (opts.level ?? 'info').toLowerCase(),
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"ts":${Date.now() / 1000}`,
      formatters: { level: (label) => ({ level: label }) },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/**
 * Builds the root logger from the config's `logging` section: every log (default included) gets the
 * entries its include/exclude and level select, in its encoder, through its writer. `stderr` replaces
 * the process's stderr (tests pass a collector).
 */
export function loggerFromConfig(cfg: Logging | undefined, stderr?: DestinationStream): Logger {
  const err = stderr ?? pino.destination({ fd: 2, sync: false });
  if (!cfg?.logs) return createRootLogger({ destination: err });
  return createRootLogger({ level: minLevel(cfg), destination: createLogRouter(cfg, err) });
}

/** A named child logger (Caddy's "logger" field, e.g. "http.log.access.log0"). */
export function named(root: Logger, name: string): Logger {
  return root.child({ logger: name });
}
