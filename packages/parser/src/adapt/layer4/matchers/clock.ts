/** @module layer4/matchers/clock: the `clock` matcher (caddy-l4 `MatchClock`): the time of day. */
import type { Layer4ClockMatcher } from '@proxy/contract';
import { struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noBlock } from '../syntax.js';

/** Midnight, the open end of a one-sided range. */
const TIME_MIN = '00:00:00';

/**
 * `clock <after> <before> [<timezone>]`, `clock <after|from> <time> [<tz>]`, or
 * `clock <before|till|to|until> <time> [<tz>]` -> `{"after", "before", "timezone"}` (times as `15:04:05`);
 * it matches when now is in [after, before).
 */
export const MatchClock = matcher(
  'clock',
  {
    syntax: 'clock <after> <before> [<tz>] | clock after|from <time> [<tz>] | clock before|till|to|until <time> [<tz>]',
    doc: 'Matches connections accepted within a time-of-day window (HH:MM:SS; UTC unless a zone or offset is given).',
  },
  (d) => {
    const wrapper = consumeName(d);
    const n = d.countRemainingArgs();
    if (n < 2 || n > 3) throw d.argErr();
    d.nextArg();
    let after = d.val();
    d.nextArg();
    let before = d.val();
    switch (after.toLowerCase()) {
      case 'before':
      case 'till':
      case 'to':
      case 'until':
        after = TIME_MIN;
        break;
      case 'after':
      case 'from':
        after = before;
        before = TIME_MIN;
        break;
    }
    for (const t of [after, before]) {
      if (!isTimeOnly(t))
        throw d.err(`parsing ${wrapper} matcher time: parsing time "${t}" as "15:04:05": cannot parse`);
    }
    const timezone = d.nextArg() ? d.val() : undefined;
    noBlock(d, `${wrapper} matcher`);
    return struct<Layer4ClockMatcher>({ after, before, timezone });
  },
);

/** Go's `time.Parse(time.TimeOnly, s)` acceptance: hour 0-23 in one or two digits, then `:MM:SS`. */
function isTimeOnly(s: string): boolean {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(s);
  return !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && Number(m[3]) < 60;
}
