/** @module http/handlers/templates/go-time-parse: Go's time.Parse over the same layout chunks as Format. */
import { chunks, DAYS, GoTime, MONTHS } from './go-time.js';

/** time.Parse: reads `value` as written in `layout`; times without a zone are UTC. */
export function parseTime(layout: string, value: string): GoTime {
  let rest = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let ns = 0;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let zone = '';
  const fail = (elem: string): never => {
    throw new Error(
      `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(elem)}`,
    );
  };
  const num = (elem: string, min: number, max: number): number => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(rest);
    if (!m) fail(elem);
    rest = rest.slice(m![0].length);
    return Number(m![0]);
  };
  const word = (elem: string, names: string[]): number => {
    const i = names.findIndex((n) => rest.toLowerCase().startsWith(n.toLowerCase()));
    if (i < 0) fail(elem);
    rest = rest.slice(names[i]!.length);
    return i;
  };
  for (const c of chunks(layout)) {
    if ('lit' in c) {
      if (!rest.startsWith(c.lit)) fail(c.lit);
      rest = rest.slice(c.lit.length);
      continue;
    }
    switch (c.std) {
      case 'January':
        month = word(c.std, MONTHS) + 1;
        break;
      case 'Jan':
        month =
          word(
            c.std,
            MONTHS.map((m) => m.slice(0, 3)),
          ) + 1;
        break;
      case 'Monday':
        word(c.std, DAYS);
        break;
      case 'Mon':
        word(
          c.std,
          DAYS.map((d) => d.slice(0, 3)),
        );
        break;
      case '2006':
        year = num(c.std, 4, 4);
        break;
      case '06': {
        const y = num(c.std, 2, 2);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case '01':
        month = num(c.std, 2, 2);
        break;
      case '1':
        month = num(c.std, 1, 2);
        break;
      case '02':
        day = num(c.std, 2, 2);
        break;
      case '_2':
        if (rest[0] === ' ') rest = rest.slice(1);
        day = num(c.std, 1, 2);
        break;
      case '2':
        day = num(c.std, 1, 2);
        break;
      case '002':
      case '__2':
        rest = rest.replace(/^ +/, '');
        num(c.std, 1, 3);
        break;
      case '15':
        hour = num(c.std, 1, 2);
        break;
      case '03':
      case '3':
        hour = num(c.std, c.std.length, 2);
        break;
      case '04':
      case '4':
        min = num(c.std, c.std.length, 2);
        break;
      case '05':
      case '5':
        sec = num(c.std, c.std.length, 2);
        break;
      case 'PM':
      case 'pm': {
        const i = word(c.std, ['AM', 'PM']);
        pm = i === 1;
        break;
      }
      case 'MST': {
        const m = /^(UTC|GMT|[A-Z]{3,5}|[+-]\d{2,4})/.exec(rest);
        if (!m) fail(c.std);
        zone = m![0];
        rest = rest.slice(zone.length);
        if (zone === 'UTC' || zone === 'GMT') offset = 0;
        break;
      }
      default: {
        if (c.std[0] === '.' || c.std[0] === ',') {
          const m = /^[.,](\d+)/.exec(rest);
          if (!m) {
            if (c.std[1] === '9') break;
            fail(c.std);
          }
          ns = Number(m![1]!.slice(0, 9).padEnd(9, '0'));
          rest = rest.slice(m![0].length);
          break;
        }
        if (c.std[0] === 'Z' && rest[0] === 'Z') {
          rest = rest.slice(1);
          offset = 0;
          break;
        }
        const m = /^([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?/.exec(rest);
        if (!m) fail(c.std);
        offset = (m![1] === '-' ? -1 : 1) * (Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0));
        rest = rest.slice(m![0].length);
      }
    }
  }
  // A fraction of a second after the seconds is accepted even when the layout has none.
  const frac = /^[.,](\d+)/.exec(rest);
  if (frac) {
    ns = Number(frac[1]!.slice(0, 9).padEnd(9, '0'));
    rest = rest.slice(frac[0].length);
  }
  if (rest) throw new Error(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(rest)}`);
  if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
  if (month < 1 || month > 12) throw new Error(`parsing time ${JSON.stringify(value)}: month out of range`);
  if (day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59)
    throw new Error(`parsing time ${JSON.stringify(value)}: day out of range`);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, Math.floor(ns / 1e6));
  const off = offset ?? 0;
  return new GoTime(
    d.getTime() - off * 1000,
    ns % 1e6,
    off,
    offset === 0 && !zone ? 'UTC' : zone || (offset === undefined ? 'UTC' : ''),
  );
}
