/**
 * @module logging: access/custom logs (Caddy's `namedCustomLog`) from the `log` directive and global option,
 * assembled into the top-level `logging` config.
 */
import type { AdaptedCustomLog, AdaptedLogging, LogSampling } from '@proxy/contract';
import { compareKeys, struct } from '../json.js';
import type { ConfigValue } from '../registry.js';

/**
 * The value of a `custom_log` config value: the logger name ("" for a bare `log`), hostnames overriding the
 * site's, the `caddy.CustomLog` (keys writer, encoder, core, level, sampling, include, exclude, ...; absent for
 * a bare `log`), and whether the log is kept off the site's hostnames.
 */
export interface CustomLogValue {
  name: string;
  hostnames?: string[];
  log?: AdaptedCustomLog;
  noHostname?: boolean;
}

/** A CustomLog in Go struct order. */
export function customLogJSON(log: AdaptedCustomLog): AdaptedCustomLog {
  const s = log.sampling;
  return struct<AdaptedCustomLog>({
    writer: log.writer,
    encoder: log.encoder,
    core: log.core,
    level: log.level,
    sampling: s && struct<LogSampling>({ interval: s.interval, first: s.first, thereafter: s.thereafter }),
    with_caller: log.with_caller,
    with_caller_skip: log.with_caller_skip,
    with_stacktrace: log.with_stacktrace,
    include: log.include,
    exclude: log.exclude,
  });
}

/** Builds `logging` from the global `log` options and the sites' custom logs; undefined if there are none. */
export function buildLogging(
  globalLogs: ConfigValue[],
  siteLogs: ConfigValue[],
  debug: boolean,
): AdaptedLogging | undefined {
  const custom: { name: string; log?: AdaptedCustomLog | undefined }[] = [];
  let hasDefault = false;
  const add = (v: CustomLogValue) => {
    if (v.name === '') return;
    if (v.name === 'default') hasDefault = true;
    const log = v.log;
    if (debug && log && !log.level) {
      // Caddy mutates the shared *CustomLog, so every reference sees the level.
      log.level = 'DEBUG';
    }
    custom.push({ name: v.name, log });
  };
  for (const v of globalLogs) add(v.value as CustomLogValue);
  if (!hasDefault && debug) custom.push({ name: 'default', log: { level: 'DEBUG' } });
  for (const v of siteLogs) add(v.value as CustomLogValue);
  if (custom.length === 0) return undefined;
  const logs = new Map<string, AdaptedCustomLog>();
  const def = custom.find((c) => c.name === 'default' && c.log);
  if (def) logs.set('default', { ...def.log! });
  for (const c of custom) {
    if (!c.log || c.name === 'default') continue;
    logs.set(c.name, c.log);
    const include = c.log.include;
    if (include && include.length > 0) {
      let d = logs.get('default');
      if (!d) logs.set('default', (d = {}));
      const ex = [...(d.exclude ?? []), ...include].sort(compareKeys);
      d.exclude = ex.filter((x, i) => i === 0 || x !== ex[i - 1]);
    }
  }
  if (logs.size === 0) return undefined;
  const out: Record<string, AdaptedCustomLog> = {};
  for (const k of [...logs.keys()].sort(compareKeys)) out[k] = customLogJSON(logs.get(k)!);
  return { logs: out };
}
