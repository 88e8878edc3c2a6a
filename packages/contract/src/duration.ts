/** @module duration: Caddy durations (nanosecond integers or Go duration strings) as milliseconds. */

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration to milliseconds; returns undefined when malformed. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v / 1e6 : undefined;
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^-?\d+$/.test(v)) return Number(v) / 1e6;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/y;
  let neg = false;
  let s = v;
  if (s.startsWith('-')) { neg = true; s = s.slice(1); }
  let total = 0;
  re.lastIndex = 0;
  while (re.lastIndex < s.length) {
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
  }
  return neg ? -total : total;
}

/** Parses a duration or returns the default when absent. */
export function durationOr(v: unknown, dflt: number): number {
  return v === undefined ? dflt : (parseDuration(v) ?? dflt);
}
