/** @module core: the top level of a Caddy JSON config, admin, logging and storage. */
import type { HttpApp } from './http.js';
import type { TlsApp } from './tls.js';
import type { PkiApp } from './pki.js';
import { s } from './schema.js';
import type { LogEncoderConfig } from './log-modules.js';

/** A duration: nanoseconds as an integer, or a Go duration string such as "1m30s". */
export type Duration = number | string;

/** The whole config document (Caddy's `caddy.Config`). */
export interface Config {
  /** The admin endpoint. */
  admin?: AdminConfig;
  /** Process-wide logging. */
  logging?: Logging;
  /** Where certificates, keys and other assets are stored (a `caddy.storage` module). */
  storage?: StorageConfig;
  /** The apps to run, keyed by app name (`http`, `tls`, `pki`, `layer4`, ...). */
  apps?: Apps;
}

/** The apps section. */
export interface Apps {
  /** The HTTP app. */
  http?: HttpApp;
  /** The TLS app. */
  tls?: TlsApp;
  /** The PKI app (certificate authorities). */
  pki?: PkiApp;
  /** Other apps (layer4, events...) by name. */
  [name: string]: unknown;
}

/** The admin endpoint (`caddy.AdminConfig`). */
export interface AdminConfig {
  /** Turns the admin endpoint off. */
  disabled?: boolean;
  /** The address to listen on; default "localhost:2019". */
  listen?: string;
  /** Requires the Origin header to be in `origins`. */
  enforce_origin?: boolean;
  /** Allowed origins for admin requests. */
  origins?: string[];
  /** Config persistence and loading options. */
  config?: AdminConfigSettings;
  /** The admin endpoint's identity (for remote admin). */
  identity?: { identifiers?: string[]; issuers?: unknown[] };
  /** Remote admin access over mutual TLS. */
  remote?: {
    listen?: string;
    access_control?: Array<{ public_keys?: string[]; permissions?: Array<{ paths?: string[]; methods?: string[] }> }>;
  };
}

/** Config persistence settings (`caddy.ConfigSettings`). */
export interface AdminConfigSettings {
  /** Whether to persist the active config to disk (default true). */
  persist?: boolean;
  /** A `caddy.config_loaders` module that loads the config dynamically. */
  load?: { module: string; [field: string]: unknown };
  /** Delay before calling the config loader again. */
  load_delay?: Duration;
}

/** Process-wide logging (`caddy.Logging`). */
export interface Logging {
  /** Where Go's standard library log output goes. */
  sink?: { writer?: LogWriter };
  /** Named custom logs; "default" is the default log. */
  logs?: Record<string, CustomLog>;
}

/** A custom log (`caddy.CustomLog`, which embeds `caddy.BaseLog`). */
export interface CustomLog {
  /** Where the log is written (a `caddy.logging.writers` module). */
  writer?: LogWriter;
  /** How entries are encoded (a `caddy.logging.encoders` module). */
  encoder?: LogEncoder;
  /** A custom zap core module. */
  core?: { module: string; [field: string]: unknown };
  /** Minimum level: DEBUG, INFO, WARN, ERROR, PANIC, FATAL. */
  level?: string;
  /** Log sampling. */
  sampling?: LogSampling;
  /** Adds the caller to entries. */
  with_caller?: boolean;
  /** Number of frames to skip for the caller. */
  with_caller_skip?: number;
  /** Adds stack traces at or above this level. */
  with_stacktrace?: string;
  /** Logger names to include. */
  include?: string[];
  /** Logger names to exclude. */
  exclude?: string[];
}

/** Log sampling (`caddy.LogSampling`). */
export interface LogSampling {
  /** The window in which entries are counted. */
  interval?: Duration;
  /** How many entries to log per interval before sampling. */
  first?: number;
  /** After `first`, log every Nth entry. */
  thereafter?: number;
}

/** A log writer module (`caddy.logging.writers.*`). */
export interface LogWriter {
  /** The writer module: stdout, stderr, discard, file, net. */
  output: string;
  /** File writer: the file path. */
  filename?: string;
  /** File writer: file mode. */
  mode?: string;
  /** File writer: roll over log files. */
  roll?: boolean;
  /** File writer: roll size in megabytes. */
  roll_size_mb?: number;
  /** File writer: how many rolled files to keep. */
  roll_keep?: number;
  /** File writer: how many days to keep rolled files. */
  roll_keep_days?: number;
  /** File writer: gzip rolled files. */
  roll_gzip?: boolean;
  /** File writer: use local time in rolled file names. */
  roll_local_time?: boolean;
  /** Net writer: the address to write to. */
  address?: string;
  /** Net writer: dial timeout. */
  dial_timeout?: Duration;
  /** Net writer: start even if the address is unreachable. */
  soft_start?: boolean;
  [field: string]: unknown;
}

/** A log encoder module (`caddy.logging.encoders.*`). */
export interface LogEncoder extends LogEncoderConfig {
  /** The encoder module: json, console, filter, append. */
  format: string;
  /** Filter/append encoders: the wrapped encoder. */
  wrap?: LogEncoder;
  /** Filter/append encoders: per-field filters or appended fields. */
  fields?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A storage module (`caddy.storage.*`); `file_system` is the default. */
export interface StorageConfig {
  /** The storage module name, e.g. "file_system". */
  module: string;
  /** file_system: the root directory. */
  root?: string;
  [field: string]: unknown;
}

const writer = s.obj({ output: s.str }, true);

/** The schema of a custom log. */
export const customLogSchema = s.obj<CustomLog>({
  writer,
  encoder: s.obj({ format: s.str }, true),
  core: s.any,
  level: s.str,
  sampling: s.obj<LogSampling>({ interval: s.dur, first: s.int, thereafter: s.int }),
  with_caller: s.bool,
  with_caller_skip: s.int,
  with_stacktrace: s.str,
  include: s.strs,
  exclude: s.strs,
});

/** The schema of the top level (apps are checked by their own modules). */
export const configSchema = s.obj<Config>({
  admin: s.obj<AdminConfig>({
    disabled: s.bool,
    listen: s.str,
    enforce_origin: s.bool,
    origins: s.strs,
    config: s.obj<AdminConfigSettings>({
      persist: s.bool,
      load: s.mod('caddy.config_loaders', 'module'),
      load_delay: s.dur,
    }),
    identity: s.any,
    remote: s.any,
  }),
  logging: s.obj<Logging>({ sink: s.obj({ writer }), logs: s.map(customLogSchema) }),
  storage: s.mod('caddy.storage', 'module'),
  apps: s.any,
});
