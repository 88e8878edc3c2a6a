/** @module options/humanize: `humanize.ParseBytes` (go-humanize): `100MB` = 100000000, `1KiB` = 1024. */

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pib: 1024 ** 5,
  e: 1e18,
  eb: 1e18,
  eib: 1024 ** 6,
};

/** Parses a size; returns the error text on failure. */
export function parseBytes(s: string): number | string {
  const m = /^\s*([0-9.,]+)\s*([a-zA-Z]*)\s*$/.exec(s);
  if (!m) return `strconv.ParseFloat: parsing "${s.trim()}": invalid syntax`;
  const num = Number(m[1]!.replace(/,/g, ''));
  if (Number.isNaN(num)) return `strconv.ParseFloat: parsing "${m[1]}": invalid syntax`;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return `unhandled size name: ${m[2]!.toLowerCase()}`;
  return Math.floor(num * unit);
}
