/** The one duration rule, checked against Go's and Caddy's own test tables. */
import { describe, expect, it } from 'vitest';
import { caddyDurationNs, caddyParseDuration, durationOr, goParseDuration, parseDuration } from '../src/duration.js';

const NS = 1n,
  US = 1000n * NS,
  MS = 1000n * US,
  S = 1000n * MS,
  M = 60n * S,
  H = 60n * M,
  DAY = 24n * H;
const MAX = (1n << 63n) - 1n,
  MIN = -(1n << 63n);

// Go 1.19 time/time_test.go parseDurationTests, row for row.
const goValid: [string, bigint][] = [
  ['0', 0n],
  ['5s', 5n * S],
  ['30s', 30n * S],
  ['1478s', 1478n * S],
  ['-5s', -5n * S],
  ['+5s', 5n * S],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5n * S],
  ['5.6s', 5n * S + 600n * MS],
  ['5.s', 5n * S],
  ['.5s', 500n * MS],
  ['1.0s', S],
  ['1.00s', S],
  ['1.004s', S + 4n * MS],
  ['1.0040s', S + 4n * MS],
  ['100.00100s', 100n * S + MS],
  ['10ns', 10n * NS],
  ['11us', 11n * US],
  ['12µs', 12n * US],
  ['12μs', 12n * US],
  ['13ms', 13n * MS],
  ['14s', 14n * S],
  ['15m', 15n * M],
  ['16h', 16n * H],
  ['3h30m', 3n * H + 30n * M],
  ['10.5s4m', 4n * M + 10n * S + 500n * MS],
  ['-2m3.4s', -(2n * M + 3n * S + 400n * MS)],
  ['1h2m3s4ms5us6ns', H + 2n * M + 3n * S + 4n * MS + 5n * US + 6n * NS],
  ['39h9m14.425s', 39n * H + 9n * M + 14n * S + 425n * MS],
  ['52763797000ns', 52763797000n],
  ['0.3333333333333333333h', 20n * M],
  ['9007199254740993ns', (1n << 53n) + 1n],
  ['9223372036854775807ns', MAX],
  ['9223372036854775.807us', MAX],
  ['9223372036s854ms775us807ns', MAX],
  ['-9223372036854775808ns', MIN],
  ['-9223372036854775.808us', MIN],
  ['-9223372036s854ms775us808ns', MIN],
  ['-2562047h47m16.854775808s', MIN],
  ['0.100000000000000000000h', 6n * M],
  ['0.830103483285477580700h', 49n * M + 48n * S + 372539827n],
];

// Go's parseDurationErrorTests: the input and the quoted text the error must contain.
const goInvalid: [string, string][] = [
  ['', '""'],
  ['3', '"3"'],
  ['-', '"-"'],
  ['s', '"s"'],
  ['.', '"."'],
  ['-.', '"-."'],
  ['.s', '".s"'],
  ['+.s', '"+.s"'],
  ['1d', '"1d"'],
  ['\uFFFD', '"\\xef\\xbf\\xbd"'],
  ['\uFFFD hello \uFFFD world', '"\\xef\\xbf\\xbd hello \\xef\\xbf\\xbd world"'],
  ['9223372036854775810ns', '"9223372036854775810ns"'],
  ['9223372036854775808ns', '"9223372036854775808ns"'],
  ['-9223372036854775809ns', '"-9223372036854775809ns"'],
  ['9223372036854776us', '"9223372036854776us"'],
  ['3000000h', '"3000000h"'],
  ['9223372036854775.808us', '"9223372036854775.808us"'],
  ['9223372036854ms775us808ns', '"9223372036854ms775us808ns"'],
];

// Go's exact messages for the three kinds of failure.
const goMessages: [string, string][] = [
  ['100', 'time: missing unit in duration "100"'],
  ['1x', 'time: unknown unit "x" in duration "1x"'],
  ['1d', 'time: unknown unit "d" in duration "1d"'],
  ['1.2.3s', 'time: missing unit in duration "1.2.3s"'],
  ['-', 'time: invalid duration "-"'],
];

// Caddy 2.6.2 caddy_test.go TestParseDuration, plus how its `d` rewrite fails.
const caddyValid: [string, bigint][] = [
  ['3h', 3n * H],
  ['1d', DAY],
  ['1d30m', DAY + 30n * M],
  ['1m2d', M + 2n * DAY],
  ['1m2d30s', M + 2n * DAY + 30n * S],
  ['1d2d', 3n * DAY],
  ['1.5d', 36n * H],
  ['4m1.25d', 4n * M + 30n * H],
  ['-1.25d12h', -42n * H],
  ['.5d', 12n * H],
  ['0', 0n],
  ['-1s', -S],
  ['1μs', US],
  ['1us', US],
  ['1µs', US],
];
const caddyInvalid: [string, string][] = [
  ['d', 'strconv.ParseFloat: parsing "": invalid syntax'],
  ['hd', 'strconv.ParseFloat: parsing "h": invalid syntax'],
  ['1dd', 'strconv.ParseFloat: parsing "24h": invalid syntax'],
  ['1.2.3d', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
  ['100', 'time: missing unit in duration "100"'],
  ['x'.repeat(1025), 'parsing duration: input string too long'],
];

describe('goParseDuration (time.ParseDuration)', () => {
  it.each(goValid)('%s', (input, want) => expect(goParseDuration(input)).toBe(want));
  it.each(goInvalid)('%s is an error naming %s', (input, quoted) => {
    const got = goParseDuration(input);
    expect(typeof got).toBe('string');
    expect(got).toContain(quoted);
  });
  it.each(goMessages)('%s', (input, msg) => expect(goParseDuration(input)).toBe(msg));
});

describe('caddyParseDuration (caddy.ParseDuration, the Caddyfile)', () => {
  it.each(caddyValid)('%s', (input, want) => expect(caddyParseDuration(input)).toBe(want));
  it.each(caddyInvalid)('%s', (input, msg) => expect(caddyParseDuration(input)).toBe(msg));
  it('writes integer nanoseconds for the JSON', () => {
    expect(caddyDurationNs('1.5s')).toBe(1_500_000_000);
    expect(caddyDurationNs('5')).toBe('time: missing unit in duration "5"');
  });
});

describe('parseDuration (caddy.Duration from JSON, in ms)', () => {
  const rows: [unknown, number | undefined][] = [
    // An integer is nanoseconds, negative too; Go's json refuses a fraction for an int64.
    [5_000_000_000, 5000],
    [0, 0],
    [-1_000_000, -1],
    [1.5, undefined],
    [Number.NaN, undefined],
    // A string is caddy.ParseDuration: units required (except "0"), days allowed.
    ['5s', 5000],
    ['.5s', 500],
    ['-1s', -1000],
    ['1d', 86_400_000],
    ['1μs', 0.001],
    ['0', 0],
    ['100', undefined],
    ['', undefined],
    ['5 s', undefined],
    [true, undefined],
    [null, undefined],
    [{}, undefined],
  ];
  it.each(rows)('%j', (input, want) => expect(parseDuration(input)).toBe(want));
  it('durationOr falls back only when absent or malformed', () => {
    expect(durationOr(undefined, 7)).toBe(7);
    expect(durationOr('2s', 7)).toBe(2000);
    expect(durationOr('2', 7)).toBe(7);
  });
});
