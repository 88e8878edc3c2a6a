/**
 * @module http/cel/env: the CEL environment expressions compile in, built once: the request variable, the
 * placeholder function, cel-go's string extensions the library lacks, Go (RE2) regexps for matches(), and a
 * macro per matcher function (calls.ts) whose uses are collected while an expression is parsed.
 */
import { Environment, ParseError } from '@marcbachmann/cel-js';
import { compileGoRegexp } from '../../util/go-regexp.js';
import type { HttpRequest } from '../request.js';
import { MATCHER_CALLS, type CelNode, type MatcherCallSpec } from './calls.js';
import { placeholderValue, PLACEHOLDER_FUNC, REQUEST_VAR } from './placeholders.js';

/** The request as a CEL value: an opaque http.Request (no fields), as Caddy's celHTTPRequest. */
export class CelRequest {
  constructor(readonly r: HttpRequest) {}
}

/** What the library gives a macro's type check. */
export interface CelChecker {
  check(node: CelNode, ctx: unknown): { name: string };
  getType(name: string): unknown;
}

/** What the library gives a macro's evaluation. */
export interface CelEvaluator {
  run(node: CelNode, ctx: unknown): unknown;
}

/** What the library gives a macro's evaluation as its variables. */
export interface CelScope {
  getValue(name: string): unknown;
}

/** One use of a matcher function in an expression; the compiler gives it its matcher. */
export interface MatcherCallSite {
  readonly spec: MatcherCallSpec;
  readonly args: readonly CelNode[];
  readonly node: CelNode;
  /** Whether the call matches this request (set by the compiler). */
  run?: (r: HttpRequest, ev: CelEvaluator, scope: CelScope) => boolean;
}

/** The name matches() is renamed to, so that patterns are Go's (the library's own matches() is JS's). */
export const GO_MATCHES_INTERNAL = '__go_matches';

let collecting: MatcherCallSite[] | undefined;
let shared: Environment | undefined;

/** The environment, created on first use. */
export function celEnvironment(): Environment {
  return (shared ??= createEnvironment());
}

/** Parses an expression (matches() made Go's), returning its AST's evaluator and the matcher calls in it. */
export function parseCollecting(
  env: Environment,
  text: string,
): { parsed: ReturnType<Environment['parse']>; calls: MatcherCallSite[] } {
  const calls: MatcherCallSite[] = [];
  collecting = calls;
  try {
    const parsed = env.parse(text);
    expandWithoutArguments(parsed.ast as CelNode);
    useGoMatches(parsed.ast as CelNode);
    return { parsed, calls };
  } finally {
    collecting = undefined;
  }
}

/** A node as the library builds it: its macro is attached as metadata. */
interface MacroTarget {
  setMeta(key: string, value: unknown): void;
}

const WITHOUT_ARGUMENTS = new Map(MATCHER_CALLS.filter((s) => s.arities.includes(0)).map((s) => [s.name, s]));

// The library only expands calls with arguments (a macro's parameters are typed `ast`), so file() is expanded here.
function expandWithoutArguments(ast: CelNode): void {
  walk(ast, (n) => {
    if (n.op !== 'call') return;
    const [name, args] = n.args as [string, CelNode[]];
    const spec = WITHOUT_ARGUMENTS.get(name);
    if (!spec || args.length > 0) return;
    const target = n as unknown as MacroTarget;
    target.setMeta('macro', expand(spec, [], n));
    target.setMeta('async', false);
  });
}

/** The request of an evaluation. */
export function requestOf(scope: CelScope): HttpRequest {
  const v = scope.getValue(REQUEST_VAR);
  if (!(v instanceof CelRequest)) throw new Error('missing request');
  return v.r;
}

const regexps = new Map<string, RegExp>();

/** A Go regexp, compiled once per pattern (a bounded cache: patterns may come from placeholders). */
export function goRegexp(pattern: string): RegExp {
  let re = regexps.get(pattern);
  if (!re) {
    if (regexps.size >= 256) regexps.clear();
    re = compileGoRegexp(pattern);
    regexps.set(pattern, re);
  }
  return re;
}

function goMatches(s: string, pattern: string): boolean {
  const re = goRegexp(pattern);
  re.lastIndex = 0;
  return re.test(s);
}

/** Renames matches() calls in an AST to the Go-regexp function (before it is type-checked). */
function useGoMatches(node: CelNode): void {
  walk(node, (n) => {
    const args = n.args as unknown[];
    if ((n.op === 'rcall' || n.op === 'call') && args[0] === 'matches') args[0] = GO_MATCHES_INTERNAL;
  });
}

/** Visits every node of an AST. */
export function walk(node: CelNode, visit: (n: CelNode) => void): void {
  visit(node);
  visitIn(node.args, visit);
}

// Operands are nodes, arrays of nodes (call arguments, list elements) or arrays of pairs (map entries).
function visitIn(x: unknown, visit: (n: CelNode) => void): void {
  if (isNode(x)) walk(x, visit);
  else if (Array.isArray(x)) for (const y of x) visitIn(y, visit);
}

function isNode(x: unknown): x is CelNode {
  return typeof x === 'object' && x !== null && 'op' in x && 'start' in x;
}

function createEnvironment(): Environment {
  // cel-go's defaults: declared variables only, mixed list/map literals allowed, no optional types.
  const env = new Environment({ homogeneousAggregateLiterals: false })
    .registerType('http.Request', { ctor: CelRequest, fields: {} })
    .registerVariable(REQUEST_VAR, 'http.Request')
    .registerVariable('request', 'http.Request')
    .registerFunction(`${PLACEHOLDER_FUNC}(http.Request, string): dyn`, (r: CelRequest, key: string) =>
      placeholderValue(r.r, key),
    )
    // 2.6.2's name for ph().
    .registerFunction('caddyPlaceholder(http.Request, string): dyn', (r: CelRequest, key: string) =>
      placeholderValue(r.r, key),
    )
    .registerFunction(`string.${GO_MATCHES_INTERNAL}(string): bool`, goMatches)
    .registerFunction(`${GO_MATCHES_INTERNAL}(string, string): bool`, goMatches)
    // cel-go's ext.Strings() has these; the library does not.
    .registerFunction('string.charAt(int): string', charAt)
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      replace(s, a, b, -1n),
    )
    .registerFunction('string.replace(string, string, int): string', replace);
  for (const spec of MATCHER_CALLS) {
    for (const n of spec.arities) {
      if (n === 0) continue;
      const params = Array.from({ length: n }, () => 'ast').join(', ');
      env.registerFunction(`${spec.name}(${params}): bool`, (m: { args: CelNode[]; ast: CelNode }) =>
        expand(spec, m.args, m.ast),
      );
    }
  }
  return env;
}

function expand(spec: MatcherCallSpec, args: CelNode[], node: CelNode): object {
  const bad = spec.check(args);
  if (bad)
    throw new ParseError({ code: 'invalid_macro_argument', message: bad.message, node: (bad.node ?? node) as never });
  const site: MatcherCallSite = { spec, args, node };
  collecting?.push(site);
  return {
    typeCheck(chk: CelChecker, _m: unknown, ctx: unknown) {
      for (const a of args) chk.check(a, ctx);
      return chk.getType('bool');
    },
    evaluate(ev: CelEvaluator, _m: unknown, scope: CelScope) {
      if (!site.run) throw new Error(`${spec.name}() was not compiled`);
      return site.run(requestOf(scope), ev, scope);
    },
  };
}

/** cel-go's charAt: the code point at an index; the length itself gives "". */
function charAt(s: string, i: bigint): string {
  const cps = [...s];
  if (i < 0n || i > BigInt(cps.length)) throw new Error(`index out of range: ${i}`);
  return cps[Number(i)] ?? '';
}

/** Go's strings.Replace: at most n replacements (all when n < 0); "" matches before each code point and at the end. */
function replace(s: string, from: string, to: string, n: bigint): string {
  if (n === 0n || from === to) return s;
  if (from === '') {
    const cps = [...s];
    const limit = n < 0n || n > BigInt(cps.length) ? cps.length + 1 : Number(n);
    let out = '';
    for (const [i, c] of cps.entries()) out += (i < limit ? to : '') + c;
    return out + (cps.length < limit ? to : '');
  }
  const parts = s.split(from);
  if (n < 0n || BigInt(parts.length - 1) <= n) return parts.join(to);
  const k = Number(n) + 1;
  return `${parts.slice(0, k).join(to)}${from}${parts.slice(k).join(from)}`;
}
