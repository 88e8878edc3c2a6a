/**
 * @module service-reader: what Traefik's HTTP, TCP and UDP services share: reading the named servers transports and
 * services with each definition's error reported once, the `weighted` service's children, and flattening a weighted
 * service into its servers' shares (with loop detection) and those shares into integer weights. What a transport,
 * a load balancer and a server are is the protocol's.
 */
import { namedEntries, type Field } from './reader.js';

/** Runs `f`; its error is reported and gives undefined. */
export type Attempt = <T>(f: () => T) => T | undefined;

/** One child of a weighted service. */
export interface WeightedRef {
  name: string;
  weight: number;
  field: Field;
}

/** A `weighted` service: its children, by name. */
export interface WeightedDef {
  kind: 'weighted';
  refs: WeightedRef[];
}

/** A share of a weighted service's traffic, as a fraction. */
export interface Fraction {
  num: number;
  den: number;
}

/**
 * The children of `weighted.services`; `onlyFile` refuses a child of another provider (`name@docker`).
 * At least one child must have a weight above 0.
 */
export function readWeightedRefs(services: Field | undefined, weighted: Field, onlyFile: boolean): WeightedRef[] {
  const refs = (services?.items() ?? []).map((f) => {
    const rk = f.object(['name', 'weight'], 'a weighted service');
    const name = rk['name']?.string()?.replace(/@file$/, '');
    if (!name) throw f.error('a weighted service needs a name');
    if (onlyFile && name.includes('@'))
      throw rk['name']!.error('only services of the file provider (@file) can be referred to');
    const weight = rk['weight']?.int() ?? 1;
    if (weight < 0) throw rk['weight']!.error('a weight cannot be negative');
    return { name, weight, field: rk['name']! };
  });
  if (!refs.some((r) => r.weight > 0)) throw (services ?? weighted).error('no service with a weight above 0');
  return refs;
}

/** A protocol's services, read: the names declared (with or without errors) and each one built, once. */
export interface Services<R> {
  declared: Set<string>;
  /** Undefined when the service or one it uses has an error, reported once. */
  resolve(name: string): R | undefined;
}

/**
 * Reads the servers transports, then the services (which may refer to them), of one protocol; `what` names them in
 * errors ("the TCP servers transport", "the TCP service"). Each definition's error is reported once and the others
 * still adapt. A service is built when first resolved, or at once when `buildAtOnce` says so of its definition.
 */
export function readServices<T, D, R>(
  tables: { transports: (Field | undefined)[]; services: (Field | undefined)[] },
  what: { transport: string; service: string },
  read: {
    transport: (t: Field) => T;
    service: (s: Field, transports: Map<string, T | undefined>) => D | undefined;
    build: (name: string, defs: Map<string, D | undefined>) => R | undefined;
    buildAtOnce?: (def: D) => boolean;
  },
  attempt: Attempt,
): Services<R> {
  const transports = new Map<string, T | undefined>();
  for (const t of attempt(() => namedEntries(tables.transports, what.transport)) ?? [])
    transports.set(
      t.name,
      attempt(() => read.transport(t)),
    );
  const defs = new Map<string, D | undefined>();
  for (const s of attempt(() => namedEntries(tables.services, what.service)) ?? [])
    defs.set(
      s.name,
      attempt(() => read.service(s, transports)),
    );
  const resolved = new Map<string, R | undefined>();
  const resolve = (name: string): R | undefined => {
    if (!resolved.has(name))
      resolved.set(
        name,
        attempt(() => read.build(name, defs)),
      );
    return resolved.get(name);
  };
  if (read.buildAtOnce) for (const [name, def] of defs) if (def !== undefined && read.buildAtOnce(def)) resolve(name);
  return { declared: new Set(defs.keys()), resolve };
}

/**
 * A weighted service's servers with their shares, its children flattened (`path` is the chain of weighted services
 * that led here, to refuse loops); `lbShares` gives a load balancer child's servers with their shares of that
 * child's `weight / total`. Undefined when a child has an error reported elsewhere.
 */
export function flattenWeighted<D extends { kind: string }, S extends Fraction>(
  def: WeightedDef,
  defs: Map<string, D | undefined>,
  path: string[],
  service: string,
  lbShares: (child: Exclude<D, WeightedDef>, ref: WeightedRef, total: number) => S[] | undefined,
): S[] | undefined {
  const total = def.refs.reduce((n, r) => n + r.weight, 0);
  const out: S[] = [];
  for (const r of def.refs) {
    if (path.includes(r.name)) throw r.field.error(`the weighted services loop: ${[...path, r.name].join(' -> ')}`);
    if (!defs.has(r.name)) throw r.field.error(`${service} "${r.name}" does not exist`);
    const child = defs.get(r.name);
    if (!child) return undefined;
    if (child.kind === 'weighted') {
      const inner = flattenWeighted(child as unknown as WeightedDef, defs, [...path, r.name], service, lbShares);
      if (!inner) return undefined;
      for (const x of inner) out.push({ ...x, num: x.num * r.weight, den: x.den * total });
    } else {
      const shares = lbShares(child as Exclude<D, WeightedDef>, r, total);
      if (!shares) return undefined;
      out.push(...shares);
    }
  }
  return out;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The fraction in lowest terms. */
export function reduced(f: Fraction): Fraction {
  const g = gcd(f.num, f.den);
  return { num: f.num / g, den: f.den / g };
}

/** Integer weights in the fractions' proportions, as small as they can be. */
export function integerWeights(fractions: Fraction[]): number[] {
  const lcm = fractions.reduce((l, f) => (l * f.den) / gcd(l, f.den), 1);
  const ints = fractions.map((f) => (f.num * lcm) / f.den);
  const g = ints.reduce((a, b) => gcd(a, b));
  return ints.map((w) => w / g);
}
