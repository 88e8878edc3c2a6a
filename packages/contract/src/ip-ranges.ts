/** @module ip-ranges: what the `private_ranges` shortcut stands for, in the Caddyfile and in the JSON. */

/** Caddy's private IP ranges (caddyhttp.PrivateRangesCIDR; Caddy 2.6.2 spells the same list out at each use). */
export const PRIVATE_RANGES: readonly string[] = [
  '192.168.0.0/16',
  '172.16.0.0/12',
  '10.0.0.0/8',
  '127.0.0.1/8',
  'fd00::/8',
  '::1',
];

/** A list of ranges with each `private_ranges` replaced by PRIVATE_RANGES. */
export function expandPrivateRanges<T>(ranges: readonly T[]): (T | string)[] {
  return ranges.flatMap((r): readonly (T | string)[] => (r === 'private_ranges' ? PRIVATE_RANGES : [r]));
}
