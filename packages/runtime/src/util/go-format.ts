/**
 * @module util/go-format: values printed the way Go prints them, for placeholders whose Caddy values are
 * Go types (time.Duration, time.Time, float64) and for Go's path.Base/path.Ext.
 */

/** Go's time.Duration.String() for a duration in nanoseconds ("1.5ms", "2m3.0004s", "0s"). */
export function goDuration(ns: number): string {
  ns = Math.trunc(ns);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    // Sub-second: the largest unit that keeps a non-zero integer part.
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${withFraction(u, 3)}µs`;
    else out = `${withFraction(u, 6)}ms`;
  } else {
    out = `${withFraction(u % 60e9, 9)}s`;
    u = Math.floor(u / 60e9);
    if (u > 0) {
      out = `${u % 60}m${out}`;
      u = Math.floor(u / 60);
      if (u > 0) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** v / 10^prec with the fraction's trailing zeros (and a bare ".") dropped. */
function withFraction(v: number, prec: number): string {
  const p = 10 ** prec;
  const frac = String(v % p)
    .padStart(prec, '0')
    .replace(/0+$/, '');
  return frac ? `${Math.floor(v / p)}.${frac}` : String(Math.floor(v / p));
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest exact digits, never an exponent. */
export function goFloat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const s = String(v);
  if (!/e/i.test(s)) return s;
  const [mant, expStr] = s.split(/e/i) as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const [int, frac = ''] = mant.replace('-', '').split('.') as [string, string?];
  const digits = int + frac;
  const point = int.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/** Milliseconds as Caddy computes them for *_ms placeholders: Duration.Seconds() * 1e3, as a float. */
export function goMilliseconds(ns: number): string {
  ns = Math.trunc(ns);
  const seconds = Math.trunc(ns / 1e9) + (ns % 1e9) / 1e9;
  return goFloat(seconds * 1e3);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** The local zone offset of a time as Go's "-0700". */
function zoneOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
}

/** The local zone's abbreviation ("UTC", "CET"; "+0100" when the platform knows no name, as Go does). */
function zoneName(d: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(d)
    .find((x) => x.type === 'timeZoneName')?.value;
  if (!name || (name === 'GMT' && d.getTimezoneOffset() === 0))
    return d.getTimezoneOffset() === 0 ? 'UTC' : zoneOffset(d);
  return /^GMT[+-]/.test(name) ? zoneOffset(d) : name;
}

/**
 * Go's time.Time.String() of time.Now() in the local zone, monotonic reading included:
 * "2006-01-02 15:04:05.999999999 -0700 MST m=+0.000000001". `epochMs` may carry a fraction (sub-ms
 * digits); `monotonicNs` is the time since the process started.
 */
export function goTimeString(epochMs: number, monotonicNs: number): string {
  const d = new Date(Math.floor(epochMs));
  const ns = Math.round((epochMs - Math.floor(epochMs)) * 1e6) + d.getMilliseconds() * 1e6;
  const frac = ns > 0 ? `.${String(ns).padStart(9, '0').replace(/0+$/, '')}` : '';
  const date = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
  const m = Math.max(0, Math.trunc(monotonicNs));
  const mono = `${Math.floor(m / 1e9)}.${String(m % 1e9).padStart(9, '0')}`;
  return `${date}${frac} ${zoneOffset(d)} ${zoneName(d)} m=+${mono}`;
}

/** Go's layout "02/Jan/2006:15:04:05 -0700" in the local zone (Common Log Format). */
export function commonLogTime(d: Date): string {
  return `${p2(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${zoneOffset(d)}`;
}

/** Go's path.Base: the last element, trailing slashes ignored; "/" for only slashes, "." for "". */
export function goPathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Go's path.Ext: the suffix from the last "." of the last element, or "". */
export function goPathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}
