/** @module http/handlers/templates/humanize: Caddy's humanize function (go-humanize's Bytes and Time) and stripHTML. */
import { parseTime } from './go-time-parse.js';

const SIZES = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

/** humanize.Bytes: SI units, one decimal below 10. */
export function humanizeBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const e = Math.floor(Math.log(n) / Math.log(1000));
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10;
  return `${val < 10 ? val.toFixed(1) : val.toFixed(0)} ${SIZES[e]}`;
}

const SECOND = 1;
const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 12 * MONTH;
/** go-humanize's defaultMagnitudes: below `d` seconds, print `fmt` with the difference divided by `div`. */
const MAGNITUDES: Array<[number, string, number]> = [
  [SECOND, 'now', SECOND],
  [2 * SECOND, '1 second %s', 1],
  [MINUTE, '%d seconds %s', SECOND],
  [2 * MINUTE, '1 minute %s', 1],
  [HOUR, '%d minutes %s', MINUTE],
  [2 * HOUR, '1 hour %s', 1],
  [DAY, '%d hours %s', HOUR],
  [2 * DAY, '1 day %s', 1],
  [WEEK, '%d days %s', DAY],
  [2 * WEEK, '1 week %s', 1],
  [MONTH, '%d weeks %s', WEEK],
  [2 * MONTH, '1 month %s', 1],
  [YEAR, '%d months %s', MONTH],
  [18 * MONTH, '1 year %s', 1],
  [2 * YEAR, '2 years %s', 1],
  [37 * YEAR, '%d years %s', YEAR],
  [Number.POSITIVE_INFINITY, 'a long while %s', 1],
];

/** humanize.Time: "3 days ago", "2 hours from now". */
export function humanizeTime(thenMs: number, nowMs = Date.now()): string {
  let diff = Math.trunc((nowMs - thenMs) / 1000);
  let label = 'ago';
  if (diff < 0) {
    diff = -diff;
    label = 'from now';
  }
  const [, fmt, div] = MAGNITUDES.find(([d]) => diff < d)!;
  return fmt.replace('%d', String(Math.trunc(diff / div))).replace('%s', label);
}

/** Caddy's humanize template function: "size" of a byte count, or "time[:layout]" of a time. */
export function humanize(formatType: string, data: string): string {
  const parts = formatType.split(':');
  switch (parts[0]) {
    case 'size': {
      if (!/^\d+$/.test(data) || BigInt(data) > 18446744073709551615n)
        throw new Error(
          `humanize: size cannot be parsed: strconv.ParseUint: parsing ${JSON.stringify(data)}: invalid syntax`,
        );
      return humanizeBytes(Number(data));
    }
    case 'time': {
      const layout = parts.length > 1 ? parts.slice(1).join(':') : 'Mon, 02 Jan 2006 15:04:05 -0700';
      let t: ReturnType<typeof parseTime>;
      try {
        t = parseTime(layout, data);
      } catch (e) {
        throw new Error(`humanize: time cannot be parsed: ${(e as Error).message}`);
      }
      return humanizeTime(t.ms);
    }
  }
  throw new Error('no know function was given');
}

/** Caddy's stripHTML: drops tags (quotes inside a tag may hold ">"); an unclosed tag is kept. */
export function stripHTML(s: string): string {
  let out = '';
  let inTag = false;
  let inQuotes = false;
  let tagStart = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (inTag) {
      if (ch === '>' && !inQuotes) inTag = false;
      else if (ch === '<' && !inQuotes) {
        out += s.slice(tagStart, i);
        tagStart = i;
      } else if (ch === '"') inQuotes = !inQuotes;
      continue;
    }
    if (ch === '<') {
      inTag = true;
      tagStart = i;
      continue;
    }
    out += ch;
  }
  if (inTag) out += s.slice(tagStart);
  return out;
}
