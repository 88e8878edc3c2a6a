/**
 * @module duration: Caddy's durations, one implementation for both sides. `goParseDuration` is Go's
 * time.ParseDuration, `caddyParseDuration` is caddy.ParseDuration (the Caddyfile's durations: Go's plus `d` for days),
 * and `parseDuration` is how a caddy.Duration unmarshals from JSON (an integer of nanoseconds, or a string for
 * caddy.ParseDuration), in milliseconds for the runtime's timers.
 */

const NS_PER: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const I63 = 1n << 63n;

/** Go's quote() in time/format.go: non-ASCII and control bytes as \x escapes. */
function quote(s: string): string {
  let out = '"';
  for (const b of new TextEncoder().encode(s)) {
    if (b >= 0x80 || b < 0x20) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += b === 0x22 || b === 0x5c ? `\\${String.fromCharCode(b)}` : String.fromCharCode(b);
  }
  return out + '"';
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Go's time.ParseDuration: a signed sequence of decimal numbers with units (`300ms`, `-1.5h`, `.5s`, `2h45m`,
 * `1μs`), or "0". Returns integer nanoseconds (int64 range, exact), or Go's error message.
 */
export function goParseDuration(orig: string): bigint | string {
  const invalid = `time: invalid duration ${quote(orig)}`;
  let s = orig;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return invalid;
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid;
    let i = 0;
    let v = 0n;
    for (; isDigit(s[i]); i++) {
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > I63) return invalid;
    }
    const pre = i > 0;
    let f = 0n;
    let scale = 1;
    let post = false;
    if (s[i] === '.') {
      const start = ++i;
      let overflow = false;
      for (; isDigit(s[i]); i++) {
        if (overflow) continue;
        // Go's leadingFraction stops gaining precision where more digits would overflow.
        const y = f * 10n + BigInt(s.charCodeAt(i) - 48);
        if (f > (I63 - 1n) / 10n || y > I63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = i > start;
    }
    if (!pre && !post) return invalid;
    s = s.slice(i);
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) return `time: missing unit in duration ${quote(orig)}`;
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = NS_PER[unitName];
    if (unit === undefined) return `time: unknown unit ${quote(unitName)} in duration ${quote(orig)}`;
    if (v > I63 / unit) return invalid;
    v *= unit;
    if (f > 0n) {
      // Go computes the fraction in float64 (nanosecond-accurate up to hours) and truncates.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > I63) return invalid;
    }
    d += v;
    if (d > I63) return invalid;
  }
  if (neg) return -d;
  if (d > I63 - 1n) return invalid;
  return d;
}

/** strconv.FormatFloat(x, 'f', -1, 64): the shortest decimal that round-trips, never in exponent form. */
function formatFloatF(x: number): string {
  const s = String(x);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const digits = int! + frac;
  const point = int!.length + Number(expText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** strconv.ParseFloat for the only texts caddy.ParseDuration hands it (runs of [0-9.+-], or one other character). */
function parseDays(text: string): number | string {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(text))
    return `strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`;
  const n = Number(text);
  return Number.isFinite(n) ? n : `strconv.ParseFloat: parsing ${JSON.stringify(text)}: value out of range`;
}

/**
 * caddy.ParseDuration: Go's time.ParseDuration after each `<number>d` is rewritten to hours (`1.5d` -> `36h`), for
 * input of at most 1024 bytes. Returns integer nanoseconds, or the error message.
 */
export function caddyParseDuration(input: string): bigint | string {
  if (input.length > 1024 || (input.length > 256 && new TextEncoder().encode(input).length > 1024)) {
    return 'parsing duration: input string too long';
  }
  let s = input;
  let inNumber = false;
  let numStart = 0;
  // Caddy's own loop, kept literally: it also decides which quirky inputs (`hd`, `1dd`) fail and how.
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === 'd') {
      const days = parseDays(s.slice(numStart, i));
      if (typeof days === 'string') return days;
      s = `${s.slice(0, numStart)}${formatFloatF(days * 24)}h${s.slice(i + 1)}`;
      i--;
      continue;
    }
    if (!inNumber) numStart = i;
    inNumber = isDigit(ch) || ch === '.' || ch === '-' || ch === '+';
  }
  return goParseDuration(s);
}

/** caddy.ParseDuration as the adapter writes it into JSON: integer nanoseconds, or the error message. */
export function caddyDurationNs(input: string): number | string {
  const ns = caddyParseDuration(input);
  return typeof ns === 'string' ? ns : Number(ns);
}

/**
 * How a caddy.Duration unmarshals from JSON, in milliseconds: a string goes through caddy.ParseDuration (so `"5s"`,
 * `"1d"`, `"-1s"`, `"0"`; a bare `"100"` is Go's missing-unit error), anything else must be an integer number of
 * nanoseconds (Go's json rejects `1.5` for an int64). Returns undefined when malformed.
 */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2 ** 63 ? v / 1e6 : undefined;
  if (typeof v !== 'string') return undefined;
  const ns = caddyParseDuration(v);
  return typeof ns === 'string' ? undefined : Number(ns) / 1e6;
}

/** Parses a duration or returns the default when absent. */
export function durationOr(v: unknown, dflt: number): number {
  return v === undefined ? dflt : (parseDuration(v) ?? dflt);
}
