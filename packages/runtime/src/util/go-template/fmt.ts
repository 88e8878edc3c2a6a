/** @module util/go-template/fmt: Go's fmt.Sprint, Sprintln and Sprintf over template values (fmt/print.go, format.go). */
import { goQuote, goQuoteASCII, goQuoteRune } from './quote.js';
import { GO_FIELDS, goTypeName, kindOf, mapEntries, num } from './values.js';

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  /** %+v: struct field names (the + is not a sign then). */
  plusV?: boolean;
  width?: number;
  prec?: number;
}

const NO_FLAGS: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };

/** A non-negative finite number as decimal digits: value = 0.DIGITS × 10^point. */
interface Decimal {
  digits: string;
  point: number;
}

/** The exact decimal value of a double (every double is a finite decimal fraction). */
function exactDecimal(a: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let e2 = -1074;
  if (expBits !== 0) {
    mant |= 1n << 52n;
    e2 = expBits - 1075;
  }
  if (mant === 0n) return { digits: '0', point: 1 };
  const int = e2 >= 0 ? (mant << BigInt(e2)).toString() : (mant * 5n ** BigInt(-e2)).toString();
  const point = int.length - (e2 >= 0 ? 0 : -e2);
  return { digits: int.replace(/0+$/, '') || '0', point };
}

/** The shortest digits that read back as the same double (what JS and Go both print by default). */
function shortestDecimal(a: number): Decimal {
  if (a === 0) return { digits: '0', point: 1 };
  const [mant, e] = a.toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', point: Number(e) + 1 };
}

/** Rounds to `nd` digits, an exact half to even (strconv's decimal.Round). */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || d.digits === '0') return { digits: '0', point: d.digits === '0' ? 1 : d.point };
  if (d.digits.length <= nd) return d;
  const keep = d.digits.slice(0, nd);
  const next = d.digits[nd]!;
  const up = next > '5' || (next === '5' && (d.digits.length > nd + 1 || (nd > 0 && Number(keep[nd - 1]) % 2 === 1)));
  if (!up) return { digits: keep.replace(/0+$/, '') || '0', point: d.point };
  if (keep === '') return { digits: '1', point: d.point + 1 };
  const inc = (BigInt(keep) + 1n).toString();
  return inc.length > keep.length
    ? { digits: inc.replace(/0+$/, '') || '0', point: d.point + 1 }
    : { digits: inc.replace(/0+$/, '') || '0', point: d.point };
}

/** %e of digits: d.ddd e±XX with `prec` fraction digits. */
function eForm(d: Decimal, prec: number, upper: boolean): string {
  const digits = d.digits.padEnd(prec + 1, '0');
  const exp = d.digits === '0' ? 0 : d.point - 1;
  const frac = digits.slice(1, prec + 1);
  return `${digits[0]}${prec > 0 ? `.${frac}` : ''}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** %f of digits with `prec` fraction digits. */
function fForm(d: Decimal, prec: number): string {
  const zero = d.digits === '0';
  const int = zero || d.point <= 0 ? '0' : d.digits.slice(0, d.point).padEnd(d.point, '0');
  let frac = '';
  for (let i = 0; i < prec; i++) {
    const at = d.point + i;
    frac += zero || at < 0 ? '0' : (d.digits[at] ?? '0');
  }
  return prec > 0 ? `${int}.${frac}` : int;
}

function special(f: number): string | undefined {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  return undefined;
}

/** Go's strconv.FormatFloat(f, 'g', prec, 64) ('g' with the shortest digits when prec is undefined). */
export function formatFloatG(f: number, prec?: number, upper = false): string {
  const sp = special(f);
  if (sp) return sp;
  const neg = f < 0 || Object.is(f, -0);
  const a = Math.abs(f);
  let d: Decimal;
  let eprec: number;
  if (prec === undefined) {
    d = shortestDecimal(a);
    eprec = 6;
  } else {
    const p = prec === 0 ? 1 : prec;
    d = roundDecimal(exactDecimal(a), p);
    eprec = p > d.digits.length && d.digits.length >= d.point ? d.digits.length : p;
  }
  const exp = d.digits === '0' ? 0 : d.point - 1;
  const s =
    exp < -4 || exp >= eprec ? eForm(d, d.digits.length - 1, upper) : fForm(d, Math.max(d.digits.length - d.point, 0));
  return (neg ? '-' : '') + s;
}

/** %e: `prec` digits after the point, Go's two-digit exponent. */
function formatE(f: number, prec: number, upper: boolean): string {
  const sp = special(f);
  if (sp) return sp;
  const d = roundDecimal(exactDecimal(Math.abs(f)), prec + 1);
  return (f < 0 || Object.is(f, -0) ? '-' : '') + eForm(d, prec, upper);
}

/** %f: `prec` digits after the point. */
function formatF(f: number, prec: number): string {
  const sp = special(f);
  if (sp) return sp;
  const x = exactDecimal(Math.abs(f));
  const d = roundDecimal(x, x.point + prec);
  return (f < 0 || Object.is(f, -0) ? '-' : '') + fForm(d, prec);
}

function pad(s: string, sp: Spec, numeric = false): string {
  const w = sp.width ?? 0;
  const len = [...s].length;
  if (len >= w) return s;
  if (sp.minus) return s + ' '.repeat(w - len);
  if (sp.zero && numeric) {
    const sign = /^[+\- ]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(w - len) + s.slice(sign.length);
  }
  return (sp.zero && !numeric ? '0' : ' ').repeat(w - len) + s;
}

function signed(s: string, neg: boolean, sp: Spec): string {
  return (neg ? '-' : sp.plus ? '+' : sp.space ? ' ' : '') + s;
}

function fmtInt(n: number | bigint, verb: string, sp: Spec): string {
  const big = BigInt(n);
  const neg = big < 0n;
  const a = neg ? -big : big;
  let s: string;
  switch (verb) {
    case 'd':
    case 'v':
      s = a.toString(10);
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'o':
      s = (sp.sharp ? '0' : '') + a.toString(8);
      break;
    case 'O':
      s = `0o${a.toString(8)}`;
      break;
    case 'x':
      s = (sp.sharp ? '0x' : '') + a.toString(16);
      break;
    case 'X':
      s = (sp.sharp ? '0X' : '') + a.toString(16).toUpperCase();
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(a)), sp);
    case 'q':
      return pad(goQuoteRune(Number(a)), sp);
    case 'U': {
      const u = `U+${a.toString(16).toUpperCase().padStart(4, '0')}`;
      return pad(sp.sharp ? `${u} '${String.fromCodePoint(Number(a))}'` : u, sp);
    }
    default:
      return bad(verb, n);
  }
  if (sp.prec !== undefined) s = s.padStart(sp.prec, '0');
  if (sp.prec === 0 && a === 0n) s = '';
  return pad(signed(s, neg, sp), sp.prec !== undefined ? { ...sp, zero: false } : sp, true);
}

function fmtFloat(f: number, verb: string, sp: Spec): string {
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
      s = formatFloatG(f, sp.prec);
      break;
    case 'G':
      s = formatFloatG(f, sp.prec, true);
      break;
    case 'e':
    case 'E':
      s = formatE(f, sp.prec ?? 6, verb === 'E');
      break;
    case 'f':
    case 'F':
      s = formatF(f, sp.prec ?? 6);
      break;
    default:
      return bad(verb, f);
  }
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  if (s === '+Inf') s = 'Inf';
  return pad(signed(s, neg, sp), Number.isFinite(f) ? sp : { ...sp, zero: false }, true);
}

function hexString(bytes: Uint8Array, sp: Spec, upper: boolean): string {
  let out = '';
  for (const [i, b] of bytes.entries()) {
    if (sp.space && i > 0) out += ' ';
    if (sp.sharp && (sp.space || i === 0)) out += upper ? '0X' : '0x';
    out += b.toString(16).padStart(2, '0');
  }
  return upper ? out.toUpperCase().replace(/0X/g, '0X') : out;
}

function fmtString(s: string, verb: string, sp: Spec): string {
  switch (verb) {
    case 'v':
    case 's':
      if (sp.prec !== undefined) s = [...s].slice(0, sp.prec).join('');
      return pad(s, sp);
    case 'q':
      if (sp.sharp && !/[`\x00-\x08\x0a-\x1f\x7f]/.test(s)) return pad(`\`${s}\``, sp);
      return pad(sp.plus ? goQuoteASCII(s) : goQuote(s), sp);
    case 'x':
    case 'X': {
      let b: Uint8Array = Buffer.from(s);
      if (sp.prec !== undefined) b = b.subarray(0, sp.prec);
      return pad(hexString(b, sp, verb === 'X'), sp);
    }
    default:
      return bad(verb, s);
  }
}

/** Go's %!verb(type=value) for a verb that does not fit the operand. */
function bad(verb: string, v: unknown): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v, 'v', NO_FLAGS)})`;
}

/** Formats one operand with a verb (fmt's printArg). */
export function formatValue(v: unknown, verb: string, sp: Spec = NO_FLAGS, depth = 0): string {
  if (verb === 'T') return pad(goTypeName(v), sp);
  // %+v names struct fields and %#v is Go syntax: neither flag means a sign or a prefix for what is inside.
  if (verb === 'v' && (sp.plus || sp.sharp)) sp = { ...sp, plus: false, sharp: false, plusV: sp.plus || sp.plusV };
  const k = kindOf(v);
  if (k === 'nil') return verb === 'v' ? pad('<nil>', sp) : bad(verb, v);
  // Errors and Stringers print through their method for the string-like verbs.
  if (k === 'struct' && 'vsxXq'.includes(verb)) {
    if (v instanceof Error) return fmtString(v.message, verb, sp);
    const str = (v as { String?: unknown }).String;
    if (typeof str === 'function') return fmtString(String(str.call(v)), verb, sp);
  }
  switch (k) {
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), sp) : bad(verb, v);
    case 'int':
      return fmtInt(v as number, verb, sp);
    case 'float':
      return 'vgGeEfF'.includes(verb) ? fmtFloat(num(v) as number, verb, sp) : bad(verb, v);
    case 'string':
      return fmtString(v as string, verb, sp);
    case 'bytes':
      if (verb === 's' || verb === 'q' || verb === 'x' || verb === 'X')
        return fmtString(Buffer.from(v as Uint8Array).toString('latin1'), verb, sp);
      return `[${[...(v as Uint8Array)].map((b) => fmtInt(b, verb, sp)).join(' ')}]`;
    case 'slice':
      if (depth > 8) return '[...]';
      return `[${(v as unknown[]).map((e) => formatValue(e, verb, sp, depth + 1)).join(' ')}]`;
    case 'map':
      if (depth > 8) return 'map[...]';
      return `map[${mapEntries(v)
        .map(([a, b]) => `${formatValue(a, verb, sp, depth + 1)}:${formatValue(b, verb, sp, depth + 1)}`)
        .join(' ')}]`;
    case 'func':
      return verb === 'v' || verb === 'p' ? '0x1' : bad(verb, v);
    default: {
      if (depth > 8) return '{...}';
      const listed = (v as { [GO_FIELDS]?: () => Array<[string, unknown]> })[GO_FIELDS];
      const fields = listed ? listed.call(v) : Object.entries(v as object).filter(([n]) => /^[A-Z]/.test(n));
      return `{${fields.map(([n, f]) => (sp.plusV ? `${n}:` : '') + formatValue(f, verb, sp, depth + 1)).join(' ')}}`;
    }
  }
}

/** fmt.Sprint: operands in %v, a space between two operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  for (const [i, a] of args.entries()) {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a, 'v');
  }
  return out;
}

/** fmt.Sprintln: operands in %v separated by spaces, then a newline. */
export function sprintln(args: unknown[]): string {
  return `${args.map((a) => formatValue(a, 'v')).join(' ')}\n`;
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const n = format.length;
  let i = 0;
  let badIndex = false;
  const argIndex = (): void => {
    const m = /^\[(\d*)\]/.exec(format.slice(i));
    if (!m) return;
    reordered = true;
    const n = Number(m[1]) - 1;
    if (m[1] === '' || n < 0 || n >= args.length) badIndex = true;
    else argNum = n;
    i += m[0].length;
  };
  while (i < n) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    const sp: Spec = { ...NO_FLAGS };
    for (; i < n; i++) {
      const c = format[i];
      if (c === '-') sp.minus = true;
      else if (c === '+') sp.plus = true;
      else if (c === '#') sp.sharp = true;
      else if (c === ' ') sp.space = true;
      else if (c === '0') sp.zero = !sp.minus;
      else break;
    }
    argIndex();
    if (format[i] === '*') {
      i++;
      const w = args[argNum++];
      // Go refuses widths and precisions beyond a million (fmt's tooLarge).
      if (typeof w === 'number' && Number.isInteger(w) && Math.abs(w) <= 1e6) {
        sp.width = Math.abs(w);
        if (w < 0) sp.minus = true;
      } else out += '%!(BADWIDTH)';
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        if (Number(m[0]) <= 1e6) sp.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      argIndex();
      if (format[i] === '*') {
        i++;
        const p = args[argNum++];
        if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 1e6) sp.prec = p;
        else out += '%!(BADPREC)';
      } else {
        const m = /^\d+/.exec(format.slice(i));
        sp.prec = m && Number(m[0]) <= 1e6 ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    argIndex();
    if (i >= n) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (badIndex) {
      out += `%!${verb}(BADINDEX)`;
      badIndex = false;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const a = args[argNum++];
    if (verb === 'w') out += formatValue(a, 'v', sp);
    else if (!/^[a-zA-Z]$/.test(verb)) out += bad(verb, a);
    else out += formatValue(a, verb, sp);
  }
  if (!reordered && argNum < args.length) {
    out += `%!(EXTRA ${args
      .slice(argNum)
      .map((a) => (a === undefined || a === null ? '<nil>' : `${goTypeName(a)}=${formatValue(a, 'v')}`))
      .join(', ')})`;
  }
  return out;
}
