/** @module http/handlers/templates/go-time: Go's time.Time as templates see it: layouts (Format, Parse), String, fields. */
import { GO_TYPE } from '../../../util/go-template/values.js';

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
export const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Layout chunks, longest first where one is a prefix of another (time.nextStdChunk). */
const CHUNKS = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '002',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '__2',
  '_2',
  '1',
  '2',
  '3',
  '4',
  '5',
  'PM',
  'pm',
  'Z070000',
  'Z07:00:00',
  'Z0700',
  'Z07:00',
  'Z07',
  '-070000',
  '-07:00:00',
  '-0700',
  '-07:00',
  '-07',
];

export type Chunk = { lit: string } | { std: string };

const layoutCache = new Map<string, Chunk[]>();

/** Splits a layout into literal text and std chunks. */
export function chunks(layout: string): Chunk[] {
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  const out: Chunk[] = [];
  let lit = '';
  for (let i = 0; i < layout.length; ) {
    const c = layout[i]!;
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      let j = i + 1;
      while (layout[j] === layout[i + 1]) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        if (lit) out.push({ lit });
        lit = '';
        out.push({ std: layout.slice(i, j) });
        i = j;
        continue;
      }
    }
    const std = CHUNKS.find(
      (k) =>
        layout.startsWith(k, i) &&
        !(k === 'Jan' && /^[a-z]/.test(layout.slice(i + 3)) && !layout.startsWith('January', i)) &&
        !(k === 'Mon' && /^[a-z]/.test(layout.slice(i + 3)) && !layout.startsWith('Monday', i)),
    );
    if (std) {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ std });
      i += std.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ lit });
  if (layoutCache.size < 256) layoutCache.set(layout, out);
  return out;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

const PROCESS_START = performance.now();

/** A Go time.Time: an instant, the offset and name of its zone, and (for now) a monotonic reading. */
export class GoTime {
  readonly [GO_TYPE] = 'time.Time';
  constructor(
    /** Milliseconds since the epoch. */
    readonly ms: number,
    /** Nanoseconds within the millisecond. */
    readonly nsExtra: number,
    /** The zone's offset east of UTC, in seconds. */
    readonly offset: number,
    readonly zone: string,
    /** The monotonic clock reading in ms since process start, for time.Now. */
    readonly mono?: number,
  ) {}

  static now(): GoTime {
    const ms = Date.now();
    const d = new Date(ms);
    return new GoTime(ms, 0, -d.getTimezoneOffset() * 60, localZoneName(d), performance.now() - PROCESS_START);
  }

  static fromDate(d: Date, utc = false): GoTime {
    const ms = d.getTime();
    return utc ? new GoTime(ms, 0, 0, 'UTC') : new GoTime(ms, 0, -d.getTimezoneOffset() * 60, localZoneName(d));
  }

  /** The wall clock fields in the time's zone. */
  private wall(): Date {
    return new Date(this.ms + this.offset * 1000);
  }

  Format(layout: string): string {
    const w = this.wall();
    const year = w.getUTCFullYear();
    const month = w.getUTCMonth();
    const day = w.getUTCDate();
    const hour = w.getUTCHours();
    const ns = w.getUTCMilliseconds() * 1e6 + this.nsExtra;
    let out = '';
    for (const c of chunks(layout)) {
      if ('lit' in c) {
        out += c.lit;
        continue;
      }
      switch (c.std) {
        case 'January':
          out += MONTHS[month];
          break;
        case 'Jan':
          out += MONTHS[month]!.slice(0, 3);
          break;
        case 'Monday':
          out += DAYS[w.getUTCDay()];
          break;
        case 'Mon':
          out += DAYS[w.getUTCDay()]!.slice(0, 3);
          break;
        case '2006':
          out += pad(year, 4);
          break;
        case '06':
          out += pad(year % 100, 2);
          break;
        case '01':
          out += pad(month + 1, 2);
          break;
        case '1':
          out += month + 1;
          break;
        case '02':
          out += pad(day, 2);
          break;
        case '_2':
          out += String(day).padStart(2, ' ');
          break;
        case '2':
          out += day;
          break;
        case '002':
        case '__2': {
          const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86400000) + 1;
          out += c.std === '002' ? pad(yday, 3) : String(yday).padStart(3, ' ');
          break;
        }
        case '15':
          out += pad(hour, 2);
          break;
        case '03':
          out += pad(hour % 12 || 12, 2);
          break;
        case '3':
          out += hour % 12 || 12;
          break;
        case '04':
          out += pad(w.getUTCMinutes(), 2);
          break;
        case '4':
          out += w.getUTCMinutes();
          break;
        case '05':
          out += pad(w.getUTCSeconds(), 2);
          break;
        case '5':
          out += w.getUTCSeconds();
          break;
        case 'PM':
          out += hour >= 12 ? 'PM' : 'AM';
          break;
        case 'pm':
          out += hour >= 12 ? 'pm' : 'am';
          break;
        case 'MST':
          out += this.zone || zoneOffsetName(this.offset);
          break;
        default: {
          if (c.std[0] === '.' || c.std[0] === ',') {
            const digits = c.std.length - 1;
            let frac = pad(ns, 9).slice(0, digits);
            if (c.std[1] === '9') {
              frac = pad(ns, 9).replace(/0+$/, '').slice(0, digits);
              if (frac) out += c.std[0] + frac;
            } else out += c.std[0] + frac;
            break;
          }
          out += formatOffset(c.std, this.offset);
        }
      }
    }
    return out;
  }

  /** time.Time.String: "2006-01-02 15:04:05.999999999 -0700 MST", and the monotonic reading of time.Now. */
  String(): string {
    let s = this.Format('2006-01-02 15:04:05.999999999 -0700 MST');
    if (this.mono !== undefined) s += ` m=+${(this.mono / 1000).toFixed(9)}`;
    return s;
  }

  Unix(): number {
    return Math.floor(this.ms / 1000);
  }
  UnixNano(): number {
    return this.ms * 1e6 + this.nsExtra;
  }
  Year(): number {
    return this.wall().getUTCFullYear();
  }
  Month(): string {
    return MONTHS[this.wall().getUTCMonth()]!;
  }
  Day(): number {
    return this.wall().getUTCDate();
  }
  Hour(): number {
    return this.wall().getUTCHours();
  }
  Minute(): number {
    return this.wall().getUTCMinutes();
  }
  Second(): number {
    return this.wall().getUTCSeconds();
  }
  Weekday(): string {
    return DAYS[this.wall().getUTCDay()]!;
  }
  UTC(): GoTime {
    return new GoTime(this.ms, this.nsExtra, 0, 'UTC');
  }
  Local(): GoTime {
    return GoTime.fromDate(new Date(this.ms));
  }
  IsZero(): boolean {
    return this.ms === ZERO_MS && this.nsExtra === 0;
  }
  Before(t: GoTime): boolean {
    return this.ms < t.ms;
  }
  After(t: GoTime): boolean {
    return this.ms > t.ms;
  }
  Equal(t: GoTime): boolean {
    return this.ms === t.ms && this.nsExtra === t.nsExtra;
  }
}

/** time.Time{} (January 1, year 1, UTC). */
export const ZERO_MS = (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d.getTime();
})();

function zoneOffsetName(offset: number): string {
  const a = Math.abs(offset);
  const h = Math.floor(a / 3600);
  const m = Math.floor((a % 3600) / 60);
  return `${offset < 0 ? '-' : '+'}${pad(h, 2)}${m ? pad(m, 2) : ''}`;
}

function formatOffset(std: string, offset: number): string {
  if (std[0] === 'Z' && offset === 0) return 'Z';
  const a = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  const body = std.replace(/^[Z-]/, '');
  switch (body) {
    case '070000':
      return sign + h + m + s;
    case '07:00:00':
      return `${sign}${h}:${m}:${s}`;
    case '0700':
      return sign + h + m;
    case '07:00':
      return `${sign}${h}:${m}`;
    default:
      return sign + h;
  }
}

function localZoneName(d: Date): string {
  if (d.getTimezoneOffset() === 0 && (process.env.TZ === undefined || /^(UTC|Etc\/UTC|)$/.test(process.env.TZ)))
    return 'UTC';
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName');
    return part?.value ?? zoneOffsetName(-d.getTimezoneOffset() * 60);
  } catch {
    return zoneOffsetName(-d.getTimezoneOffset() * 60);
  }
}
