/**
 * @module log-modules: the log writer, encoder and field filter modules the Caddyfile adapter emits
 * (`caddy.logging.writers.*`, `caddy.logging.encoders.*`, `caddy.logging.encoders.filter.*`), one interface each.
 * The runtime reads logs through the open `LogWriter`/`LogEncoder` of core.ts; fields added by current Caddy
 * (master) over 2.6.2 are marked so.
 */
import type { CustomLog, Duration } from './core.js';

/** `stdout`, `stderr`, `discard`: writers without fields. */
export interface StdWriter {
  output: 'stdout' | 'stderr' | 'discard';
}

/** `file` (`logging.FileWriter`): writes to a file, rolling it. */
export interface FileWriter {
  output: 'file';
  /** The file path. */
  filename?: string;
  /** The file mode in octal, e.g. "0644" (current Caddy). */
  mode?: string;
  /** The mode of created directories in octal, or "from_file" (current Caddy). */
  dir_mode?: string;
  /** Roll over log files (default true). */
  roll?: boolean;
  /** Roll size in megabytes. */
  roll_size_mb?: number;
  /** Compression of rolled files: none, gzip, zstd (current Caddy). */
  roll_compression?: string;
  /** Gzip rolled files (default true). */
  roll_gzip?: boolean;
  /** Use local time in rolled file names. */
  roll_local_time?: boolean;
  /** How many rolled files to keep. */
  roll_keep?: number;
  /** How many days to keep rolled files. */
  roll_keep_days?: number;
  /** Roll at this interval (current Caddy). */
  roll_interval?: Duration;
  /** Roll at these times of day, "HH:MM" (current Caddy). */
  roll_at?: string[];
  /** Roll at these minutes of each hour (current Caddy). */
  roll_minutes?: number[];
  /** The Go time layout of the timestamp in rolled file names (Caddy 2.11). */
  backup_time_format?: string;
}

/** `net` (`logging.NetWriter`): writes to a network socket. */
export interface NetWriter {
  output: 'net';
  /** The address to write to. */
  address?: string;
  /** How long to wait to connect. */
  dial_timeout?: Duration;
  /** Start even if the address cannot be reached (current Caddy). */
  soft_start?: boolean;
}

/** A log writer the adapter emits. */
export type AdaptedLogWriter = StdWriter | FileWriter | NetWriter;

/** The fields of `console` and `json` (`logging.LogEncoderConfig`); the *_key ones keep an empty value. */
export interface LogEncoderConfig {
  /** Key of the message field. */
  message_key?: string;
  /** Key of the level field. */
  level_key?: string;
  /** Key of the time field. */
  time_key?: string;
  /** Key of the logger name field. */
  name_key?: string;
  /** Key of the caller field. */
  caller_key?: string;
  /** Key of the stacktrace field. */
  stacktrace_key?: string;
  /** Line ending. */
  line_ending?: string;
  /** Time format (unix_seconds_float, iso8601, rfc3339, ...). */
  time_format?: string;
  /** Use local time (current Caddy). */
  time_local?: boolean;
  /** Duration format (seconds, nano, string). */
  duration_format?: string;
  /** Level format (lower, upper, color). */
  level_format?: string;
}

/** `console` and `json`: zap's encoders. */
export interface ZapEncoder extends LogEncoderConfig {
  format: 'console' | 'json';
}

/** `filter` (`logging.FilterEncoder`): filters fields before the wrapped encoder writes them. */
export interface FilterEncoder {
  format: 'filter';
  /** The encoder that writes the filtered entry. */
  wrap?: AdaptedLogEncoder;
  /** The filter of each field. */
  fields?: Record<string, AdaptedLogFilter>;
}

/** `append` (current Caddy's `logging.AppendEncoder`): adds fields before the wrapped encoder writes the entry. */
export interface AppendEncoder {
  format: 'append';
  /** The encoder that writes the entry. */
  wrap?: AdaptedLogEncoder;
  /** The fields to add and their values (placeholders allowed). */
  fields?: Record<string, string | number | boolean>;
}

/** `journald` (current Caddy): prefixes entries with their systemd-journald priority. */
export interface JournaldEncoder {
  format: 'journald';
  /** The encoder that writes the entry. */
  wrap?: AdaptedLogEncoder;
}

/** A log encoder the adapter emits. */
export type AdaptedLogEncoder = ZapEncoder | FilterEncoder | AppendEncoder | JournaldEncoder;

/** `delete`, `hash`: filters without fields. */
export interface BareLogFilter {
  filter: 'delete' | 'hash';
}

/** `rename`: renames the field. */
export interface RenameFilter {
  filter: 'rename';
  /** The new name. */
  name?: string;
}

/** `replace`: replaces the value. */
export interface ReplaceFilter {
  filter: 'replace';
  /** The replacement. */
  value?: string;
}

/** `regexp`: replaces matches of a regular expression in the value. */
export interface RegexpFilter {
  filter: 'regexp';
  /** The regular expression. */
  regexp?: string;
  /** The replacement. */
  value?: string;
}

/** `multi_regexp` (current Caddy): several regexp replacements in order. */
export interface MultiRegexpFilter {
  filter: 'multi_regexp';
  /** The replacements. */
  operations?: { regexp?: string; value?: string }[];
}

/** `ip_mask`: masks IP addresses to a prefix length. */
export interface IpMaskFilter {
  filter: 'ip_mask';
  /** The IPv4 prefix length kept. */
  ipv4_cidr?: number;
  /** The IPv6 prefix length kept. */
  ipv6_cidr?: number;
}

/** One action of `query`, `cookie` and `set_cookie`: replace, hash or delete a parameter or cookie. */
export interface LogFilterAction {
  /** replace, hash or delete. */
  type: string;
  /** `query`: the query parameter. */
  parameter?: string;
  /** `cookie`, `set_cookie`: the cookie name. */
  name?: string;
  /** The replacement (replace). */
  value?: string;
}

/**
 * `query`, `cookie` and `set_cookie` (current Caddy): act on query parameters in a URI, cookies in a Cookie header,
 * or the cookies of Set-Cookie headers.
 */
export interface ActionsFilter {
  filter: 'query' | 'cookie' | 'set_cookie';
  /** The actions, in order. */
  actions?: LogFilterAction[];
}

/** A log field filter the adapter emits. */
export type AdaptedLogFilter =
  | BareLogFilter
  | RenameFilter
  | ReplaceFilter
  | RegexpFilter
  | MultiRegexpFilter
  | IpMaskFilter
  | ActionsFilter;

/** A custom log as the adapter emits it: `CustomLog` with the writers and encoders above. */
export interface AdaptedCustomLog extends Omit<CustomLog, 'writer' | 'encoder'> {
  /** Where the log is written. */
  writer?: AdaptedLogWriter;
  /** How entries are encoded. */
  encoder?: AdaptedLogEncoder;
}

/** Process-wide logging as the adapter emits it (`caddy.Logging`'s `logs`). */
export interface AdaptedLogging {
  /** Named custom logs; "default" is the default log. */
  logs?: Record<string, AdaptedCustomLog>;
}
