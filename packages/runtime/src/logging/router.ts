/** @module logging/router: routes entries to the config's logs by logger name (include/exclude) and level. */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import type { CustomLog, Logging, LogWriter } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';
import { compileEncoder, type Encoder } from './encoders.js';

const LEVEL_NUM: Record<string, number> = { debug: 20, info: 30, warn: 40, error: 50, panic: 60, fatal: 60 };

interface Sink {
  min: number;
  include: string[];
  exclude: string[];
  encode: Encoder;
  write: (line: string) => void;
}

/** Whether `name` is `prefix` or below it ("http.log.access.log0" is below "http.log.access"). */
function under(name: string, prefix: string): boolean {
  return prefix === '' || name === prefix || name.startsWith(`${prefix}.`);
}

function writerFor(w: LogWriter | undefined, path: string, stderr: DestinationStream): (line: string) => void {
  const out = w?.output ?? 'stderr';
  switch (out) {
    case 'stderr':
      return (l) => {
        stderr.write(l);
      };
    case 'stdout':
      return (l) => {
        process.stdout.write(l);
      };
    case 'discard':
      return () => {};
    case 'file': {
      if (typeof w?.filename !== 'string' || !w.filename)
        throw ConfigError.at(joinPath(path, 'filename'), 'file writer needs a filename');
      try {
        mkdirSync(pathDir(w.filename), { recursive: true });
      } catch {
        /* reported on write */
      }
      const stream = createWriteStream(w.filename, { flags: 'a', mode: w.mode ? parseInt(w.mode, 8) : 0o600 });
      stream.on('error', () => {});
      return (l) => {
        stream.write(l);
      };
    }
    default:
      throw ConfigError.at(
        joinPath(path, 'output'),
        `log writer "${out}" is not supported yet (stderr, stdout, discard, file are)`,
      );
  }
}

function pathDir(f: string): string {
  return path.dirname(path.resolve(f));
}

/** The lowest level any log wants (the root logger's level). */
export function minLevel(cfg: Logging | undefined): string {
  const levels = Object.values(cfg?.logs ?? {}).map((l) => (l.level ?? 'info').toLowerCase());
  if (!levels.length) return 'info';
  return levels.reduce((a, b) => ((LEVEL_NUM[a] ?? 30) <= (LEVEL_NUM[b] ?? 30) ? a : b)).replace('panic', 'fatal');
}

/** A pino destination that fans entries out to the configured logs. */
export function createLogRouter(cfg: Logging | undefined, stderr: DestinationStream): DestinationStream {
  const logs: Record<string, CustomLog> = { ...(cfg?.logs ?? {}) };
  if (!logs['default']) logs['default'] = {};
  const sinks: Sink[] = Object.entries(logs).map(([name, l]) => {
    const p = joinPath(joinPath('logging', 'logs'), name);
    const level = (l.level ?? 'info').toLowerCase();
    if (LEVEL_NUM[level] === undefined) throw ConfigError.at(joinPath(p, 'level'), `unknown level "${l.level}"`);
    return {
      min: LEVEL_NUM[level]!,
      include: l.include ?? [],
      exclude: l.exclude ?? [],
      encode: compileEncoder(l.encoder, joinPath(p, 'encoder')),
      write: writerFor(l.writer, joinPath(p, 'writer'), stderr),
    };
  });
  return {
    write(line: string) {
      let e: Record<string, unknown>;
      try {
        e = JSON.parse(line) as Record<string, unknown>;
      } catch {
        stderr.write(line);
        return;
      }
      const name = typeof e['logger'] === 'string' ? e['logger'] : '';
      const lvl = typeof e['level'] === 'string' ? (LEVEL_NUM[e['level']] ?? 30) : 30;
      for (const s of sinks) {
        if (lvl < s.min) continue;
        if (s.include.length && !s.include.some((i) => under(name, i))) continue;
        if (s.exclude.some((x) => under(name, x))) continue;
        s.write(`${s.encode(e)}\n`);
      }
    },
  };
}

/** Checks the logging section without opening any file. */
export function checkLogging(cfg: Logging | undefined): void {
  for (const [name, l] of Object.entries(cfg?.logs ?? {})) {
    const p = joinPath(joinPath('logging', 'logs'), name);
    if (l.level !== undefined && LEVEL_NUM[l.level.toLowerCase()] === undefined)
      throw ConfigError.at(joinPath(p, 'level'), `unknown level "${l.level}"`);
    compileEncoder(l.encoder, joinPath(p, 'encoder'));
    const out = l.writer?.output ?? 'stderr';
    if (!['stderr', 'stdout', 'discard', 'file'].includes(out))
      throw ConfigError.at(
        joinPath(joinPath(p, 'writer'), 'output'),
        `log writer "${out}" is not supported yet (stderr, stdout, discard, file are)`,
      );
    if (out === 'file' && !l.writer?.filename)
      throw ConfigError.at(joinPath(joinPath(p, 'writer'), 'filename'), 'file writer needs a filename');
  }
}
