/** @module http/handlers/templates/sprig/dates: Sprig's dates and durations. */
import { goParseDuration } from '@proxy/contract';
import { def } from '../../../../util/go-template/template.js';
import { GoTime, ZERO_MS } from '../go-time.js';
import { parseTime } from '../go-time-parse.js';
import { zoneAbbreviation } from '../zoneinfo.js';
import { str, toInt } from './convert.js';
import type { FuncDef } from '../../../../util/go-template/template.js';

export const datesFuncs: Record<string, FuncDef> = {
  now: def(() => GoTime.now(), 0),
  date: def((fmt: unknown, d: unknown) => toTime(d).Local().Format(str(fmt)), 2),
  dateInZone: def((fmt: unknown, d: unknown, z: unknown) => inZone(toTime(d), str(z)).Format(str(fmt)), 3),
  htmlDate: def((d: unknown) => toTime(d).Local().Format('2006-01-02'), 1),
  htmlDateInZone: def((d: unknown, z: unknown) => inZone(toTime(d), str(z)).Format('2006-01-02'), 2),
  toDate: def((fmt: unknown, s: unknown) => {
    try {
      return parseTime(str(fmt), str(s)).Local();
    } catch {
      return new GoTime(ZERO_MS, 0, 0, 'UTC');
    }
  }, 2),
  unixEpoch: def((d: unknown) => String(toTime(d).Unix()), 1),
  ago: def((d: unknown) => durationString(Math.round((Date.now() - toTime(d).ms) / 1000)), 1),
  // Sprig reads a string or an int64 only; a template's integer constant is an int, so it gives 0s.
  duration: def((s: unknown) => durationString(typeof s === 'string' ? toInt(s) : 0), 1),

  dateModify: def((d: unknown, t: unknown) => {
    const base = toTime(t);
    const ns = goParseDuration(str(d));
    // Sprig gives the date back unchanged when the duration does not parse.
    if (typeof ns === 'string') return base;
    const total = BigInt(base.nsExtra) + ns;
    const ms = Number(total / 1_000_000n);
    const rest = Number(total % 1_000_000n);
    return new GoTime(base.ms + ms + (rest < 0 ? -1 : 0), rest < 0 ? rest + 1_000_000 : rest, base.offset, base.zone);
  }, 2),
};

function toTime(v: unknown): GoTime {
  if (v instanceof GoTime) return v;
  if (v instanceof Date) return GoTime.fromDate(v);
  if (typeof v === 'number') return GoTime.fromDate(new Date(Math.trunc(v) * 1000));
  return GoTime.now();
}

function inZone(t: GoTime, zone: string): GoTime {
  if (zone === 'UTC' || zone === '') return t.UTC();
  if (zone === 'Local') return t.Local();
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'shortOffset',
    }).formatToParts(new Date(t.ms));
    const off = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d+)(?::(\d+))?/.exec(off);
    const seconds = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60) : 0;
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })
        .formatToParts(new Date(t.ms))
        .find((p) => p.type === 'timeZoneName')?.value ?? zone;
    return new GoTime(t.ms, t.nsExtra, seconds, zoneAbbreviation(zone, seconds, name));
  } catch {
    return t.UTC();
  }
}

function durationString(sec: number): string {
  if (sec === 0) return '0s';
  const neg = sec < 0;
  let a = Math.abs(sec);
  const h = Math.floor(a / 3600);
  a -= h * 3600;
  const m = Math.floor(a / 60);
  a -= m * 60;
  let s = '';
  if (h) s += `${h}h`;
  if (h || m) s += `${m}m`;
  s += `${a}s`;
  return (neg ? '-' : '') + s;
}
