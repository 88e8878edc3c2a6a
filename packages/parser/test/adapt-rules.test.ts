/** The adapter's Go rules, one implementation each: strconv.Atoi, caddyhttp.WeakString, the placeholder shorthands. */
import { describe, expect, it } from 'vitest';
import { atoi } from '../src/adapt/atoi.js';
import { replaceShorthands, shorthandFor } from '../src/adapt/shorthands.js';
import { weakString } from '../src/adapt/weak-string.js';

const syntax = (s: string): string => `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`;
const range = (s: string): string => `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`;

// Go 1.19 strconv/atoi_test.go parseInt64Tests, as TestAtoi runs them on a 64-bit platform.
const atoiRows: [string, number | string][] = [
  ['', syntax('')],
  ['0', 0],
  ['-0', 0],
  ['+0', 0],
  ['1', 1],
  ['-1', -1],
  ['+1', 1],
  ['12345', 12345],
  ['-12345', -12345],
  ['012345', 12345],
  ['-012345', -12345],
  ['98765432100', 98765432100],
  ['-98765432100', -98765432100],
  // biome-ignore lint/correctness/noPrecisionLoss: Go's test row; the value a double rounds it to is what atoi gives
  ['9223372036854775807', 9223372036854775807],
  // biome-ignore lint/correctness/noPrecisionLoss: Go's test row; the value a double rounds it to is what atoi gives
  ['-9223372036854775807', -9223372036854775807],
  ['9223372036854775808', range('9223372036854775808')],
  // biome-ignore lint/correctness/noPrecisionLoss: Go's test row; the value a double rounds it to is what atoi gives
  ['-9223372036854775808', -9223372036854775808],
  ['9223372036854775809', range('9223372036854775809')],
  ['-9223372036854775809', range('-9223372036854775809')],
  ['-1_2_3_4_5', syntax('-1_2_3_4_5')],
  ['-_12345', syntax('-_12345')],
  ['_12345', syntax('_12345')],
  ['1__2345', syntax('1__2345')],
  ['12345_', syntax('12345_')],
  ['1.5', syntax('1.5')],
  [' 1', syntax(' 1')],
  ['0x10', syntax('0x10')],
  ['1e3', syntax('1e3')],
];

// caddyhttp.WeakString.MarshalJSON: "true"/"false" are booleans, whatever strconv.Atoi takes is a number.
const weakRows: [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['True', 'True'],
  ['404', 404],
  ['+404', 404],
  ['-1', -1],
  ['007', 7],
  ['4.04', '4.04'],
  ['', ''],
  ['{http.error.status_code}', '{http.error.status_code}'],
  ['9223372036854775808', '9223372036854775808'],
];

// Caddy's httpcaddyfile placeholder shorthands (current Caddy's table), then its regexps, in order.
const expandRows: [string, string][] = [
  ['{host}', '{http.request.host}'],
  ['{hostport}', '{http.request.hostport}'],
  ['{port}', '{http.request.port}'],
  ['{orig_?query}', '{http.request.orig_uri.prefixed_query}'],
  ['{%uri}', '{http.request.uri_escaped}'],
  ['{?query}', '{http.request.uri.prefixed_query}'],
  ['{path}{query}', '{http.request.uri.path}{http.request.uri.query}'],
  ['{client_ip}', '{http.vars.client_ip}'],
  ['{upstream_hostport}', '{http.reverse_proxy.upstream.hostport}'],
  ['{header.X-Real-IP}', '{http.request.header.X-Real-IP}'],
  ['{cookie.sid}', '{http.request.cookie.sid}'],
  ['{labels.1}', '{http.request.host.labels.1}'],
  ['{path.0}', '{http.request.uri.path.0}'],
  ['{file.base}', '{http.request.uri.path.file.base}'],
  ['{query.q}', '{http.request.uri.query.q}'],
  ['{re.name.1}', '{http.regexp.name.1}'],
  ['{vars.x}', '{http.vars.x}'],
  ['{rp.upstream.address}', '{http.reverse_proxy.upstream.address}'],
  ['{resp.status_code}', '{http.intercept.status_code}'],
  ['{err.status_code}', '{http.error.status_code}'],
  ['{file_match.relative}', '{http.matchers.file.relative}'],
  ['{hosts}', '{hosts}'],
  ['{http.request.host}', '{http.request.host}'],
  ['no braces', 'no braces'],
  ['{{host}}', '{{http.request.host}}'],
];

// WasReplacedPlaceholderShorthand compares with strings.Trim(token, "{}") on both sides.
const reverseRows: [string, string | undefined][] = [
  ['{http.request.host}', '{host}'],
  ['http.request.host', '{host}'],
  ['{{http.request.uri.path}', '{path}'],
  ['{http.vars.client_ip}', '{client_ip}'],
  ['{my_var}', undefined],
  ['{http.request.header.X}', undefined],
  ['', undefined],
];

describe('atoi (strconv.Atoi)', () => {
  it.each(atoiRows)('%j', (input, want) => expect(atoi(input)).toBe(want));
});

describe('weakString (caddyhttp.WeakString)', () => {
  it.each(weakRows)('%j', (input, want) => expect(weakString(input)).toBe(want));
});

describe('placeholder shorthands', () => {
  it.each(expandRows)('%s expands to %s', (input, want) => expect(replaceShorthands(input)).toBe(want));
  it.each(reverseRows)('%j was the shorthand %s', (input, want) => expect(shorthandFor(input)).toBe(want));
});
