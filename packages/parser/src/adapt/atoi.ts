/** @module atoi: Go's strconv.Atoi, as Caddy's Caddyfile parsing calls it for every integer argument. */

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

/**
 * Go's `strconv.Atoi` on a 64-bit platform: an optional sign and decimal digits within int64, or Go's error text.
 * Integers past 2^53 come back as the nearest double (what a JSON number can carry here).
 */
export function atoi(s: string): number | string {
  if (!/^[+-]?\d+$/.test(s)) return `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = BigInt(s);
  if (n < MIN || n > MAX) return `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;
  return Number(n);
}
