/**
 * @module commands/quick-serve: what `reverse-proxy`, `file-server` and `respond` share: Caddy's config frame for
 * a generated config (admin off, nothing persisted, --debug's log level), the header flags, and serving it in the
 * foreground like `run`.
 */
import { loadConfig, type RunningInstance } from '@proxy/runtime';
import { reportError } from './report.js';
import { guardProcess } from './run.js';

/** A config of these apps as Caddy's quick commands build it: no admin endpoint, nothing autosaved. */
export function quickConfig(apps: Record<string, unknown>, debug: boolean | undefined): Record<string, unknown> {
  const cfg: Record<string, unknown> = { admin: { disabled: true, config: { persist: false } }, apps };
  if (debug) cfg['logging'] = { logs: { default: { level: 'DEBUG' } } };
  return cfg;
}

/** Collects a repeatable option's values (commander's argParser). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Collects a repeatable option whose values may also be comma-separated (Go's pflag StringSlice). */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((v) => v !== '')];
}

/** `Field: value` flags as an http.Header-like map (the last value of a field wins, as with Header.Set). */
export function headerFlags(flag: string, values: readonly string[] | undefined): Record<string, string[]> | undefined {
  if (!values || values.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const [i, h] of values.entries()) {
    const colon = h.indexOf(':');
    const key = colon < 0 ? '' : h.slice(0, colon).trim();
    const val = colon < 0 ? '' : h.slice(colon + 1).trim();
    if (colon < 0 || key === '' || val === '') {
      throw new Error(`${flag} ${i}: invalid format "${h}" (expecting "Field: value")`);
    }
    out[canonicalHeaderKey(key)] = [val];
  }
  return out;
}

/** Go's CanonicalMIMEHeaderKey for ordinary names: `x-foo-bar` -> `X-Foo-Bar`. */
function canonicalHeaderKey(k: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(k)) return k;
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** Serves the config until stopped; `started` runs once it serves. Resolves with the exit code. */
export async function serveQuick(json: unknown, started?: (inst: RunningInstance) => void): Promise<number> {
  let inst: RunningInstance;
  try {
    inst = await loadConfig(json);
  } catch (e) {
    return reportError(e);
  }
  guardProcess(inst);
  started?.(inst);
  await inst.stopped;
  return 0;
}

/** Runs a quick command's action: errors print one line; the process exits once the server stops. */
export async function runQuick(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e) {
    process.exitCode = reportError(e);
  }
  setTimeout(() => process.exit(), 200).unref();
}
