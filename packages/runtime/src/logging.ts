/** @module logging: pino loggers that write Caddy's shape: {"level","ts","logger","msg",...fields}. */
import { pino, type Logger, type DestinationStream } from 'pino';
import type { Logging } from './config/core.js';

export type { Logger } from 'pino';

/** Options for the root logger. */
export interface LoggerOptions {
  level?: string;
  /** Where entries go; stderr by default, like Caddy. */
  destination?: DestinationStream;
}

/** Creates the root logger in Caddy's JSON shape. */
export function createRootLogger(opts: LoggerOptions = {}): Logger {
  return pino({
    level: (opts.level ?? 'info').toLowerCase(),
    base: null,
    messageKey: 'msg',
    timestamp: () => `,"ts":${Date.now() / 1000}`,
    formatters: { level: (label) => ({ level: label }) },
  }, opts.destination ?? pino.destination({ fd: 2, sync: false }));
}

/** Builds the root logger from the config's `logging` section (default log's level and writer). */
export function loggerFromConfig(cfg: Logging | undefined, fallback?: DestinationStream): Logger {
  const def = cfg?.logs?.['default'];
  let destination = fallback;
  const w = def?.writer;
  if (w?.output === 'stdout') destination = pino.destination({ fd: 1, sync: false });
  else if (w?.output === 'discard') destination = { write: () => {} };
  else if (w?.output === 'file' && typeof w.filename === 'string') destination = pino.destination({ dest: w.filename, mkdir: true, sync: false });
  return createRootLogger({ level: def?.level ?? 'info', ...(destination ? { destination } : {}) });
}

/** A named child logger (Caddy's "logger" field, e.g. "http.log.access.log0"). */
export function named(root: Logger, name: string): Logger {
  return root.child({ logger: name });
}
