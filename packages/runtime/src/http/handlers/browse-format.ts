/**
 * @module http/handlers/browse-format: how Go prints the values of a directory listing: encoding/json strings,
 * time.Time (RFC 3339 with nanoseconds), fs.FileMode bits, escaped URL paths, humanize.IBytes sizes and the
 * text/template `html` function.
 */
import type { BigIntStats } from 'node:fs';

/** A JSON string as Go's encoding/json writes it (HTML-safe: <, > and & escaped; U+2028/9 too). */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029\b\f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The length of the valid UTF-8 sequence at `i` (Go's utf8.DecodeRune rules), 0 when the byte there is invalid. */
function utf8Len(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf): boolean => j < b.length && b[j]! >= lo && b[j]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/** A JSON string of raw bytes as Go writes it: each byte that is not valid UTF-8 becomes \ufffd. */
export function goJsonBytes(b: Buffer): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < b.length; ) {
    const n = utf8Len(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += `${goJsonString(b.subarray(start, i).toString('utf8')).slice(1, -1)}\\ufffd`;
    start = ++i;
  }
  return `"${out}${goJsonString(b.subarray(start).toString('utf8')).slice(1, -1)}"`;
}

const pad = (n: number | bigint, w = 2): string => String(n).padStart(w, '0');

/** Calendar fields of a time in UTC, from nanoseconds since the epoch. */
function utcParts(ns: bigint): { d: Date; frac: bigint } {
  let sec = ns / 1_000_000_000n;
  let frac = ns % 1_000_000_000n;
  if (frac < 0n) {
    frac += 1_000_000_000n;
    sec -= 1n;
  }
  return { d: new Date(Number(sec) * 1000), frac };
}

function ymdhms(d: Date): [string, string, string, string, string, string] {
  return [
    pad(d.getUTCFullYear(), 4),
    pad(d.getUTCMonth() + 1),
    pad(d.getUTCDate()),
    pad(d.getUTCHours()),
    pad(d.getUTCMinutes()),
    pad(d.getUTCSeconds()),
  ];
}

/** time.Time's JSON form in UTC: RFC 3339 with the fraction's trailing zeros cut (Go's RFC3339Nano). */
export function rfc3339Nano(ns: bigint): string {
  const { d, frac } = utcParts(ns);
  const [y, mo, da, h, mi, s] = ymdhms(d);
  const f = frac === 0n ? '' : `.${pad(frac, 9).replace(/0+$/, '')}`;
  return `${y}-${mo}-${da}T${h}:${mi}:${s}${f}Z`;
}

/** The page's machine-readable time: Go layout "2006-01-02T15:04:05Z" in UTC. */
export function isoSeconds(ns: bigint): string {
  const [y, mo, da, h, mi, s] = ymdhms(utcParts(ns).d);
  return `${y}-${mo}-${da}T${h}:${mi}:${s}Z`;
}

/** The page's visible time: Go layout "01/02/2006 03:04:05 PM -07:00" in UTC. */
export function usTime(ns: bigint): string {
  const d = utcParts(ns).d;
  const [y, mo, da, , mi, s] = ymdhms(d);
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  return `${mo}/${da}/${y} ${pad(h12)}:${mi}:${s} ${h24 < 12 ? 'AM' : 'PM'} +00:00`;
}

// Go's io/fs mode bits above the permissions.
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_NAMED_PIPE = 2 ** 25;
const MODE_SOCKET = 2 ** 24;
const MODE_SETUID = 2 ** 23;
const MODE_SETGID = 2 ** 22;
const MODE_CHAR_DEVICE = 2 ** 21;
const MODE_STICKY = 2 ** 20;

/** A Unix st_mode as Go's fs.FileMode (what its JSON prints): permissions plus type and special bits. */
export function goFileMode(st: BigIntStats): number {
  const m = Number(st.mode);
  let mode = m & 0o777;
  if (st.isDirectory()) mode += MODE_DIR;
  else if (st.isSymbolicLink()) mode += MODE_SYMLINK;
  else if (st.isBlockDevice()) mode += MODE_DEVICE;
  else if (st.isCharacterDevice()) mode += MODE_DEVICE + MODE_CHAR_DEVICE;
  else if (st.isFIFO()) mode += MODE_NAMED_PIPE;
  else if (st.isSocket()) mode += MODE_SOCKET;
  if (m & 0o2000) mode += MODE_SETGID;
  if (m & 0o4000) mode += MODE_SETUID;
  if (m & 0o1000) mode += MODE_STICKY;
  return mode;
}

/** A path as Go's url.URL{Path: p}.String() escapes it (letters, digits, -_.~ and $&+,/:;=@ stay). */
export function goEscapePath(p: string | Buffer): string {
  let out = '';
  for (const b of typeof p === 'string' ? Buffer.from(p, 'utf8') : p) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's url.PathUnescape; undefined for a malformed escape. */
export function goPathUnescape(s: string): string | undefined {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

const HTML: Record<string, string> = {
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\0': '\uFFFD',
};

/** text/template's `html` function. */
export function html(s: string): string {
  return s.replace(/["'&<>\0]/g, (c) => HTML[c]!);
}

/** Go's %.Nf: the decimal rounded half to even (JS's toFixed rounds exact halves up). */
function goFixed(v: number, digits: number): string {
  const scaled = v * 10 ** digits;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  if (diff === 0.5 && Number.isInteger(scaled * 2) && v.toFixed(digits + 1).endsWith('5')) {
    const even = floor % 2 === 0 ? floor : floor + 1;
    return (even / 10 ** digits).toFixed(digits);
  }
  return v.toFixed(digits);
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** humanize.IBytes: "3 B", "19 KiB", "1.5 MiB". */
export function humanIBytes(n: number): string {
  if (n < 10) return `${n} B`;
  const e = Math.floor(Math.log(n) / Math.log(1024));
  const val = Math.floor((n / 1024 ** e) * 10 + 0.5) / 10;
  return `${goFixed(val, val < 10 ? 1 : 0)} ${IEC[e]}`;
}
