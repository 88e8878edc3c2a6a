/** @module duration: Caddy durations (`caddy.ParseDuration`), emitted as integer nanoseconds. */

const UNITS: Record<string, number> = {
  ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86400e9,
};

/**
 * Parses a Go duration string (with Caddy's `d` for days, e.g. `1.5d`) to integer nanoseconds. As in Go, a
 * number without a unit is an error except "0". Returns the error message (a string) on failure.
 */
export function parseDuration(s: string): number | string {
  const input = s;
  if (s === '0') return 0;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '') return `time: invalid duration "${input}"`;
  let total = 0;
  const re = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h|d)/;
  while (s.length > 0) {
    const m = re.exec(s);
    if (!m || m[1] === '' || m[1] === '.') {
      return /^\d*\.?\d*$/.test(s) ? `time: missing unit in duration "${input}"` : `time: invalid duration "${input}"`;
    }
    total += Number(m[1]) * UNITS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return Math.round(sign * total);
}
