/** @module matchers/ip: `remote_ip` and `client_ip` ({ranges}), with the `private_ranges` shortcut. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { MatcherParserOf, MatcherValue } from './registry.js';
import { PRIVATE_RANGES } from '@proxy/contract';
import type { ModuleOfKind } from '../module.js';

function ipMatcher(kind: 'remote_ip' | 'client_ip', rejectForwarded: boolean): MatcherParserOf<typeof kind> {
  return (d: Dispenser): MatcherValue<typeof kind> => {
    const ranges: string[] = [];
    while (d.next()) {
      while (d.nextArg()) {
        if (rejectForwarded && d.val() === 'forwarded') {
          throw d.err("the 'forwarded' option is no longer supported; use the 'client_ip' matcher instead");
        }
        if (d.val() === 'private_ranges') ranges.push(...PRIVATE_RANGES);
        else ranges.push(d.val());
      }
      if (d.nextBlock(0)) throw d.err(`malformed ${kind} matcher: blocks are not supported`);
    }
    return ranges.length > 0 ? { ranges } : {};
  };
}

/** `remote_ip ranges...`. */
export const parseRemoteIP = ipMatcher('remote_ip', true);
/** `client_ip ranges...`. */
export const parseClientIP = ipMatcher('client_ip', false);

export const RemoteIPMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'remote_ip',
  syntax: 'remote_ip <ranges...|private_ranges>',
  doc: "Matches the immediate peer's IP address against IPs or CIDR ranges.",
  parse: parseRemoteIP,
};

export const ClientIPMatcher: ModuleOfKind<'matcher'> = {
  kind: 'matcher',
  name: 'client_ip',
  syntax: 'client_ip <ranges...|private_ranges>',
  doc: "Matches the client IP (from trusted proxies' headers when configured) against IPs or CIDR ranges.",
  parse: parseClientIP,
};
