/** @module reverse-proxy-transport-fastcgi: the `fastcgi` transport (`http.reverse_proxy.transport.fastcgi`) Caddyfile syntax. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { FastcgiTransport, Own } from '@proxy/contract';
import { durationArg, omitZero } from './common.js';

/**
 * Handles one fastcgi subdirective at the cursor into `t`; returns false if the name is not one (php_fastcgi
 * shares these with its own).
 */
export function fastcgiSubdirective(d: Dispenser, t: Own<FastcgiTransport, 'protocol'>): boolean {
  switch (d.val()) {
    case 'root':
      if (!d.nextArg()) throw d.argErr();
      t.root = d.val();
      return true;
    case 'split': {
      const s = d.remainingArgs();
      if (s.length === 0) throw d.argErr();
      t.split_path = s;
      return true;
    }
    case 'env': {
      const args = d.remainingArgs();
      if (args.length !== 2) throw d.argErr();
      (t.env ??= {})[args[0]!] = args[1]!;
      return true;
    }
    case 'resolve_root_symlink':
      if (d.nextArg()) throw d.argErr();
      t.resolve_root_symlink = true;
      return true;
    case 'dial_timeout':
      t.dial_timeout = durationArg(d, (v, e) => `bad timeout value ${v}: ${e}`);
      return true;
    case 'read_timeout':
      t.read_timeout = durationArg(d, (v, e) => `bad timeout value ${v}: ${e}`);
      return true;
    case 'write_timeout':
      t.write_timeout = durationArg(d, (v, e) => `bad timeout value ${v}: ${e}`);
      return true;
    case 'capture_stderr':
      if (d.nextArg()) throw d.argErr();
      t.capture_stderr = true;
      return true;
    default:
      return false;
  }
}

/** Parses `fastcgi { ... }` (cursor before the module name). */
export function parseFastcgiTransport(d: Dispenser): Own<FastcgiTransport, 'protocol'> {
  const t: Own<FastcgiTransport, 'protocol'> = {};
  d.next();
  while (d.nextBlock(0)) {
    if (!fastcgiSubdirective(d, t)) throw d.err(`unrecognized subdirective ${d.val()}`);
  }
  omitZero(t, 'root', 'dial_timeout', 'read_timeout', 'write_timeout');
  return t;
}
