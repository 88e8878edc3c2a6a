/** @module tls/preferred-chains: `preferred_chains [smallest] { root_common_name ...; any_common_name ... }`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { ChainPreference } from '@proxy/contract';
import { struct } from '../json.js';

/** Caddy's `ParseCaddyfilePreferredChainsOptions`; the cursor is on the option/subdirective name. */
export function parsePreferredChains(d: Dispenser): ChainPreference {
  let smallest: boolean | undefined;
  let root: string[] | undefined;
  let any: string[] | undefined;
  if (d.nextArg()) {
    if (d.val() !== 'smallest') throw d.err(`Invalid argument '${d.val()}'`);
    smallest = true;
    if (d.nextArg()) throw d.argErr();
    if (d.nextBlock(d.nesting())) throw d.err("No more options are accepted when using the 'smallest' option");
  }
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'root_common_name':
        root = d.remainingArgs();
        if (root.length === 0) throw d.argErr();
        if (any) throw d.err("Can't set root_common_name when any_common_name is already set");
        break;
      case 'any_common_name':
        any = d.remainingArgs();
        if (any.length === 0) throw d.argErr();
        if (root) throw d.err("Can't set any_common_name when root_common_name is already set");
        break;
      default:
        throw d.err(`Received unrecognized parameter '${d.val()}'`);
    }
  }
  if (smallest === undefined && !root && !any) throw d.err('No options for preferred_chains received');
  return struct<ChainPreference>({ smallest, root_common_name: root, any_common_name: any });
}
