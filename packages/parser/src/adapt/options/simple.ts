/** @module options/simple: flag, port, duration, string and list global options (Caddy's `options.go`). */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { caddyDurationNs } from '@proxy/contract';

/** `debug`, `skip_install_trust`, `local_certs`: present → true (arguments are ignored). */
export function parseOptTrue(): true {
  return true;
}

/** `http_port N`, `https_port N`. */
export function parseOptPort(d: Dispenser): number {
  d.next();
  const a = d.allArgs(1);
  if (!a) throw d.argErr();
  if (!/^[+-]?\d+$/.test(a[0]!))
    throw d.err(`converting port '${a[0]}' to integer value: strconv.Atoi: parsing "${a[0]}": invalid syntax`);
  return Number(a[0]);
}

/** Parses a duration argument to nanoseconds, with Go's error text. */
export function durationArg(d: Dispenser, text: string, wrap?: string): number {
  const v = caddyDurationNs(text);
  if (typeof v === 'string') throw d.err(wrap ? `${wrap}: ${v}` : v);
  return v;
}

/** `grace_period D`, `shutdown_delay D`, `renew_interval D`, `ocsp_interval D`, `cert_lifetime D`. */
export function parseOptDuration(d: Dispenser): number {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  return durationArg(d, d.val());
}

/** `default_sni`, `fallback_sni`, `acme_ca`, `acme_ca_root`, `email`, `key_type`: exactly one argument. */
export function parseOptSingleString(d: Dispenser): string {
  d.next();
  if (!d.next()) throw d.argErr();
  const v = d.val();
  if (d.next()) throw d.argErr();
  return v;
}

function mustBeOff(name: string) {
  return (d: Dispenser): 'off' => {
    d.next();
    if (!d.next()) throw d.argErr();
    const v = d.val();
    if (d.next()) throw d.argErr();
    if (v !== 'off') throw d.err(`${name} must be 'off'`);
    return v;
  };
}

/** `persist_config off`. */
export const parseOptPersistConfig = mustBeOff('persist_config');
/** `storage_check off`. */
export const parseOptStorageCheck = mustBeOff('storage_check');

/** `storage_clean_interval off|D` → false or nanoseconds. */
export function parseOptStorageCleanInterval(d: Dispenser): false | number {
  d.next();
  if (!d.next()) throw d.argErr();
  const v = d.val();
  if (d.next()) throw d.argErr();
  if (v === 'off') return false;
  const dur = caddyDurationNs(v);
  if (typeof dur === 'string')
    throw d.err(`failed to parse storage_clean_interval, must be a duration or 'off' ${dur}`);
  return dur;
}

/** `ocsp_stapling off` → {disable_stapling: true}. */
export function parseOptOCSPStapling(d: Dispenser): unknown {
  d.next();
  const a = d.allArgs(1);
  if (!a) throw d.argErr();
  if (a[0] !== 'off') throw d.err(`invalid argument '${a[0]}'`);
  return { disable_stapling: true };
}

/** `tls_resolvers addr...`. */
export function parseOptTLSResolvers(d: Dispenser): string[] {
  d.next();
  const r = d.remainingArgs();
  if (r.length === 0) throw d.argErr();
  return r;
}

/** `renewal_window_ratio R` with 0 < R < 1. */
export function parseOptRenewalWindowRatio(d: Dispenser): number {
  d.next();
  if (!d.next()) throw d.argErr();
  const v = d.val();
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n))
    throw d.err(`parsing renewal_window_ratio: strconv.ParseFloat: parsing "${v}": invalid syntax`);
  if (n <= 0 || n >= 1) throw d.err('renewal_window_ratio must be between 0 and 1 (exclusive)');
  if (d.next()) throw d.argErr();
  return n;
}

/** `auto_https off|disable_redirects|disable_certs|ignore_loaded_certs...`. */
export function parseOptAutoHTTPS(d: Dispenser): string[] {
  d.next();
  const vals = d.remainingArgs();
  if (vals.length === 0) throw d.argErr();
  for (const v of vals) {
    if (!['off', 'disable_redirects', 'disable_certs', 'ignore_loaded_certs'].includes(v)) {
      throw d.err("auto_https must be one of 'off', 'disable_redirects', 'disable_certs', or 'ignore_loaded_certs'");
    }
  }
  return vals;
}

/** `default_bind addr... [{ protocols ... }]` → a `bind` config value. */
export function parseOptDefaultBind(d: Dispenser): unknown {
  d.next();
  let addresses = d.remainingArgs();
  if (addresses.length === 0) addresses = [''];
  let protocols: string[] | undefined;
  for (const n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() === 'protocols') {
      protocols = d.remainingArgs();
      if (protocols.length === 0) throw d.err('protocols requires one or more arguments');
    } else throw d.err(`unknown subdirective: ${d.val()}`);
  }
  return [{ class: 'bind', value: { addresses, protocols } }];
}
