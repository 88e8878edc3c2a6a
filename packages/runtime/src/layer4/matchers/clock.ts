/** @module layer4/matchers/clock: `layer4.matchers.clock` — the time of day (in a time zone) lies in [after, before). */
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import type { MatcherFactory } from '../types.js';

const DAY = 86_400;

function seconds(v: unknown, path: string, fallback: string): number {
  const text = v === undefined || v === '' ? fallback : v;
  const m = typeof text === 'string' ? /^(\d{2}):(\d{2}):(\d{2})$/.exec(text) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) > 59) {
    throw new Layer4ConfigError(path, `expected a time of day like "15:04:05", got ${JSON.stringify(v)}`);
  }
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

export const createClockMatcher: MatcherFactory = (json, path) => {
  const cfg = (json ?? {}) as { after?: unknown; before?: unknown; timezone?: unknown };
  let after = seconds(cfg.after, `${path}.after`, '00:00:00');
  let before = seconds(cfg.before, `${path}.before`, '00:00:00');
  if (before === 0) before = DAY; // "00:00:00" as the end means midnight at the end of the day
  if (before < after) [after, before] = [before, after];
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(typeof cfg.timezone === 'string' && cfg.timezone !== '' && cfg.timezone !== 'Local'
        ? { timeZone: cfg.timezone }
        : {}),
    });
  } catch {
    throw new Layer4ConfigError(`${path}.timezone`, `unknown time zone ${JSON.stringify(cfg.timezone)}`);
  }
  return {
    match(_cx: Connection) {
      const parts = format.formatToParts(new Date());
      const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
      const now = get('hour') * 3600 + get('minute') * 60 + get('second');
      return now >= after && now < before;
    },
  };
};
