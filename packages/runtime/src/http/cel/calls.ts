/**
 * @module http/cel/calls: the CEL functions that call request matchers (each Caddy matcher's CELLibrary):
 * which arguments each takes, checked when the expression compiles as Caddy's macro expanders check them,
 * and the matcher JSON its argument values give.
 */

/** A node of the CEL library's AST (only what these checks read). */
export interface CelNode {
  readonly op: string;
  readonly args: unknown;
  readonly start: number;
  readonly end: number;
}

/** A matcher a call builds: its module ID and JSON. */
export interface MatcherJson {
  id: string;
  json: unknown;
}

/** One matcher function. */
export interface MatcherCallSpec {
  name: string;
  /** The argument counts it accepts. */
  arities: readonly number[];
  /** Why the arguments are not acceptable (and which one), or undefined. */
  check(args: readonly CelNode[]): { node: CelNode | undefined; message: string } | undefined;
  /** The matcher for these argument values (the matcher set's name fills in unnamed regexps). */
  build(values: readonly unknown[], matcherName: string): MatcherJson;
}

/** A call's arguments rejected at run time (a placeholder that gave no string, a bad option). */
export class CallArgumentError extends Error {}

const PLACEHOLDER_FUNCS = new Set(['ph', 'caddyPlaceholder']);

/** A string literal, a placeholder, or a concatenation of those (Caddy's isCELStringExpr). */
export function isStringExpr(n: CelNode): boolean {
  if (n.op === 'value') return typeof n.args === 'string';
  if (n.op === 'call') return PLACEHOLDER_FUNCS.has((n.args as [string])[0]);
  if (n.op === '+') return (n.args as CelNode[]).every(isStringExpr);
  return false;
}

function isStringLiteral(n: CelNode): boolean {
  return n.op === 'value' && typeof n.args === 'string';
}

function isPlaceholderCall(n: CelNode): boolean {
  return n.op === 'call' && PLACEHOLDER_FUNCS.has((n.args as [string])[0]);
}

function isStringList(n: CelNode): boolean {
  return n.op === 'list' && (n.args as CelNode[]).every(isStringExpr);
}

function mapEntries(n: CelNode): Array<[CelNode, CelNode]> {
  return n.op === 'map' ? (n.args as Array<[CelNode, CelNode]>) : [];
}

/** The value of an argument made only of literals, or undefined when it depends on the request. */
export function constantValue(n: CelNode): unknown {
  switch (n.op) {
    case 'value':
      return typeof n.args === 'string' ? n.args : undefined;
    case 'list': {
      const out: unknown[] = [];
      for (const e of n.args as CelNode[]) {
        const v = constantValue(e);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'map': {
      const out = new Map<string, unknown>();
      for (const [k, e] of mapEntries(n)) {
        const key = constantValue(k);
        const v = constantValue(e);
        if (typeof key !== 'string' || v === undefined) return undefined;
        out.set(key, v);
      }
      return out;
    }
    default:
      return undefined;
  }
}

function str(v: unknown): string {
  if (typeof v !== 'string') throw new CallArgumentError(`matcher arguments must be strings, got ${describe(v)}`);
  return v;
}

function strs(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v)) throw new CallArgumentError(`expected a string or a list of strings, got ${describe(v)}`);
  return v.map(str);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'map' : typeof v;
}

/** A map value as entries (CEL maps evaluate to a Map or a plain object). */
function entries(v: unknown): Array<[string, unknown]> {
  if (v instanceof Map) return [...v].map(([k, x]) => [str(k), x]);
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return Object.entries(v);
  throw new CallArgumentError(`expected a map, got ${describe(v)}`);
}

/** Caddy's CELValueToMapStrList: each value a string or a list of strings. */
function mapStrList(v: unknown): Record<string, string[]> {
  return Object.fromEntries(entries(v).map(([k, x]) => [k, strs(x)]));
}

const VARARGS = Array.from({ length: 32 }, (_, i) => i + 1);

/** `name('a', 'b', ...)`: one or more string arguments, collected in a list. */
function stringList(name: string, build: (values: string[]) => unknown): MatcherCallSpec {
  return {
    name,
    arities: VARARGS,
    check(args) {
      const bad = args.find((a) => !isStringExpr(a));
      return bad ? { node: bad, message: 'matcher arguments must be string constants' } : undefined;
    },
    build: (values) => ({ id: `http.matchers.${name}`, json: build(values.map(str)) }),
  };
}

/** `name({'Key': 'value' | ['values'...]})`: one map literal. */
function stringMap(name: string): MatcherCallSpec {
  return {
    name,
    arities: [1],
    check([arg]) {
      if (arg!.op !== 'map') return { node: arg, message: 'matcher requires a map literal argument' };
      for (const [k, v] of mapEntries(arg!)) {
        if (!isStringExpr(k)) return { node: k, message: 'matcher map keys must be string literals' };
        if (!isStringExpr(v) && !isStringList(v))
          return { node: v, message: 'matcher map values must be string or list literals' };
      }
      return undefined;
    },
    build: ([v]) => ({ id: `http.matchers.${name}`, json: mapStrList(v) }),
  };
}

/** `name(['name',] 'field', 'pattern')`: a regexp over a header field or a variable. */
function fieldRegexp(name: string): MatcherCallSpec {
  return {
    name,
    arities: [2, 3],
    check(args) {
      const bad = args.find((a) => !isStringExpr(a));
      return bad ? { node: bad, message: 'matcher arguments must be string constants' } : undefined;
    },
    build(values, matcherName) {
      const [n, field, pattern] = values.length === 3 ? values.map(str) : ['', ...values.map(str)];
      // Current Caddy names an unnamed regexp after its matcher set (2.6.2 left it unnamed).
      return { id: `http.matchers.${name}`, json: { [field!]: { name: n || matcherName, pattern } } };
    },
  };
}

const FILE_KEYS: Record<string, 'list' | 'string'> = {
  try_files: 'list',
  split_path: 'list',
  root: 'string',
  try_policy: 'string',
};

export const MATCHER_CALLS: readonly MatcherCallSpec[] = [
  stringList('host', (v) => v),
  stringList('path', (v) => v),
  stringList('method', (v) => v),
  stringList('remote_ip', (ranges) => {
    // Current Caddy dropped the `forwarded` option (client_ip replaces it).
    if (ranges.includes('forwarded'))
      throw new CallArgumentError("the 'forwarded' option is no longer supported; use the 'client_ip' matcher instead");
    return { ranges };
  }),
  stringList('client_ip', (ranges) => ({ ranges })),
  {
    name: 'protocol',
    arities: [1],
    check: ([a]) => (isStringExpr(a!) ? undefined : { node: a, message: 'matcher argument must be a string literal' }),
    build: ([v]) => ({ id: 'http.matchers.protocol', json: str(v) }),
  },
  {
    name: 'path_regexp',
    arities: [1, 2],
    check(args) {
      const bad = args.find((a) => !isStringExpr(a));
      if (!bad) return undefined;
      const message =
        args.length === 1 ? 'matcher argument must be a string literal' : 'matcher arguments must be string constants';
      return { node: bad, message };
    },
    build(values, matcherName) {
      const [n, pattern] = values.length === 2 ? values.map(str) : ['', str(values[0])];
      return { id: 'http.matchers.path_regexp', json: { name: n || matcherName, pattern } };
    },
  },
  stringMap('header'),
  stringMap('query'),
  stringMap('vars'),
  fieldRegexp('header_regexp'),
  fieldRegexp('vars_regexp'),
  {
    name: 'file',
    // Current Caddy also takes file() alone (the request path); 2.6.2 wanted one argument.
    arities: [0, ...VARARGS],
    check(args) {
      if (args.length === 1) {
        const [a] = args as [CelNode];
        if (isStringLiteral(a) || isPlaceholderCall(a)) return undefined;
        const ok =
          a.op === 'map' &&
          mapEntries(a).every(([k, v]) => {
            const kind = isStringLiteral(k) ? FILE_KEYS[k.args as string] : undefined;
            return kind === 'list' ? isStringList(v) : kind === 'string' && isStringExpr(v);
          });
        return ok ? undefined : { node: a, message: 'matcher requires either a map or string literal argument' };
      }
      const bad = args.find((a) => !isStringLiteral(a) && !isPlaceholderCall(a));
      return bad ? { node: bad, message: 'matcher only supports repeated string literal arguments' } : undefined;
    },
    build(values) {
      const json: Record<string, unknown> = {};
      const [only] = values;
      if (values.length === 1 && typeof only !== 'string') {
        for (const [k, v] of entries(only)) json[k] = FILE_KEYS[k] === 'list' ? strs(v) : str(v);
      } else if (values.length > 0) json['try_files'] = values.map(str);
      return { id: 'http.matchers.file', json };
    },
  },
];
