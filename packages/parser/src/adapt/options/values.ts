/**
 * @module options/values: the value each global option of the http app, admin and pki leaves in the options
 * map, by name, so the pipeline reads them back typed. `GlobalOptionParsers` ties each name to its parser: a
 * parser whose return type drifts from the value declared here fails to compile. (`servers` accumulates: the
 * map holds a list.)
 */
import type { AdminConfig, FileStorage, HttpMetrics, PostgresStorage } from '@proxy/contract';
import type { CAValue } from '../tls/pki-app.js';
import type { parseOptAdmin } from './admin.js';
import type { parseOptMetrics } from './metrics.js';
import type { parseOptStorage } from './modules.js';
import type { parseOptPKI } from './pki.js';
import type { parseOptServers } from './servers.js';
import type { ServerOptions } from './servers-apply.js';
import type {
  parseOptAutoHTTPS,
  parseOptDuration,
  parseOptPersistConfig,
  parseOptPort,
  parseOptSingleString,
  parseOptTrue,
} from './simple.js';

/** The options map's value of each of these options. */
export interface GlobalOptionValues {
  admin: AdminConfig;
  metrics: HttpMetrics;
  pki: CAValue[];
  servers: ServerOptions[];
  http_port: number;
  https_port: number;
  grace_period: number;
  shutdown_delay: number;
  auto_https: string[];
  default_sni: string;
  fallback_sni: string;
  persist_config: 'off';
  skip_install_trust: true;
  storage: FileStorage | PostgresStorage;
}

/** Compiles only when each parser gives the value declared above (for `servers`, one element of it). */
type Checked<
  T extends {
    [K in keyof GlobalOptionValues]: (...args: never[]) => K extends 'servers' ? ServerOptions : GlobalOptionValues[K];
  },
> = T;

/** The parsers of these options (types only: nothing is imported at run time). */
export type GlobalOptionParsers = Checked<{
  admin: typeof parseOptAdmin;
  metrics: typeof parseOptMetrics;
  pki: typeof parseOptPKI;
  servers: typeof parseOptServers;
  http_port: typeof parseOptPort;
  https_port: typeof parseOptPort;
  grace_period: typeof parseOptDuration;
  shutdown_delay: typeof parseOptDuration;
  auto_https: typeof parseOptAutoHTTPS;
  default_sni: typeof parseOptSingleString;
  fallback_sni: typeof parseOptSingleString;
  persist_config: typeof parseOptPersistConfig;
  skip_install_trust: typeof parseOptTrue;
  storage: typeof parseOptStorage;
}>;

/** A global option's value, as its parser typed it (undefined when the option is absent). */
export function optionValue<K extends keyof GlobalOptionValues>(
  options: ReadonlyMap<string, unknown>,
  name: K,
): GlobalOptionValues[K] | undefined {
  return options.get(name) as GlobalOptionValues[K] | undefined;
}
