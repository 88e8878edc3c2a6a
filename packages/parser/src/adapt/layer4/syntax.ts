/**
 * @module layer4/syntax: the small checks every caddy-l4 `UnmarshalCaddyfile` repeats (no same-line
 * arguments, no blocks, single options, typed values), with caddy-l4's error texts.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { caddyDurationNs } from '@proxy/contract';

/** Expands the `private_ranges` shortcut in a list of IP ranges. */
export { expandPrivateRanges as expandRanges } from '@proxy/contract';

/** Consumes the module's name token and returns it (`_, wrapper := d.Next(), d.Val()`). */
export function consumeName(d: Dispenser): string {
  d.next();
  return d.val();
}

/** Throws an ArgErr if arguments remain on the line. */
export function noArgs(d: Dispenser): void {
  if (d.countRemainingArgs() > 0) throw d.argErr();
}

/** Throws if a block follows: `malformed <what>: blocks are not supported` (e.g. what = "clock matcher"). */
export function noBlock(d: Dispenser, what: string): void {
  if (d.nextBlock(d.nesting())) throw d.err(`malformed ${what}: blocks are not supported`);
}

/** Throws if the option line just read opened a block (options inside a module's block take none). */
export function noNestedBlock(d: Dispenser, nesting: number, wrapper: string, option: string): void {
  if (d.nextBlock(nesting + 1)) throw d.err(`malformed ${wrapper} option '${option}': blocks are not supported`);
}

/** Tracks options that may be given once: `duplicate <wrapper> option '<name>'`. */
export class OnceOptions {
  private readonly seen = new Set<string>();
  constructor(private readonly wrapper: string) {}

  /** Marks an option as seen; throws at the current token if it was seen before. */
  mark(d: Dispenser, option: string): void {
    if (this.seen.has(option)) throw d.err(`duplicate ${this.wrapper} option '${option}'`);
    this.seen.add(option);
  }

  /** Whether an option was seen. */
  has(option: string): boolean {
    return this.seen.has(option);
  }
}

/** The single argument of an option line; ArgErr unless there is exactly one. */
export function singleArg(d: Dispenser): string {
  if (d.countRemainingArgs() !== 1) throw d.argErr();
  d.nextArg();
  return d.val();
}

/** At least one argument; ArgErr if none. */
export function someArgs(d: Dispenser): string[] {
  if (d.countRemainingArgs() === 0) throw d.argErr();
  return d.remainingArgs();
}

/**
 * The arguments of a `modes` line, each checked (case-insensitively) against `allowed`; kept as written
 * (openvpn, winbox).
 */
export function modeArgs(d: Dispenser, wrapper: string, allowed: readonly string[]): string[] {
  const option = d.val();
  const modes = someArgs(d);
  for (const mode of modes) {
    if (!allowed.includes(mode.toLowerCase()))
      throw d.err(`malformed ${wrapper} option '${option}': unrecognized mode '${mode}'`);
  }
  return modes;
}

/** A Caddy duration (nanoseconds) from a value, or `parsing <wrapper> option '<name>' duration: ...`. */
export function durationValue(d: Dispenser, value: string, wrapper: string, option: string): number {
  const ns = caddyDurationNs(value);
  if (typeof ns === 'string') throw d.err(`parsing ${wrapper} option '${option}' duration: ${ns}`);
  return ns;
}

/** The single duration argument of an option line. */
export function durationArg(d: Dispenser, wrapper: string, option: string): number {
  return durationValue(d, singleArg(d), wrapper, option);
}

/** Go's `strconv.ParseInt`/`ParseUint` with a bit size; returns the error text on failure. */
export function parseGoInt(s: string, bits: number, signed: boolean): number | string {
  const fn = signed ? 'strconv.ParseInt' : 'strconv.ParseUint';
  const re = signed ? /^[+-]?\d+$/ : /^\d+$/;
  if (!re.test(s)) return `${fn}: parsing ${JSON.stringify(s)}: invalid syntax`;
  const v = BigInt(s);
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  if (v > max || v < min) return `${fn}: parsing ${JSON.stringify(s)}: value out of range`;
  return Number(v);
}

/** An integer value, or `parsing <wrapper> option '<name>': <strconv error>`. */
export function intValue(
  d: Dispenser,
  value: string,
  wrapper: string,
  option: string,
  bits = 64,
  signed = true,
): number {
  const n = parseGoInt(value, bits, signed);
  if (typeof n === 'string') throw d.err(`parsing ${wrapper} option '${option}': ${n}`);
  return n;
}

/** The single integer argument of an option line. */
export function intArg(d: Dispenser, wrapper: string, option: string, bits = 64, signed = true): number {
  return intValue(d, singleArg(d), wrapper, option, bits, signed);
}

/** Go's `strconv.ParseFloat(s, 64)` for finite values (JSON has no infinities); the error text on failure. */
export function parseGoFloat(s: string): number | string {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s))
    return `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`;
  const v = Number(s);
  if (!Number.isFinite(v)) return `strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`;
  return v;
}

/** A module that takes no arguments and no block; returns its name. */
export function bareModule(d: Dispenser, kind: string): string {
  const wrapper = consumeName(d);
  noArgs(d);
  noBlock(d, `${wrapper} ${kind}`);
  return wrapper;
}
