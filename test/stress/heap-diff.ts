/**
 * @module stress/heap-diff: what two heap snapshots of one process differ by (FUZZ_SNAPSHOT=DIR of the HTTP
 * fuzzer writes them), without a GUI: `node test/stress/heap-diff.ts DIR/before.heapsnapshot
 * DIR/after.heapsnapshot [H1Connection Socket ...]` prints the growth by node type and name, then for each
 * name given the objects new in the second snapshot, what holds them, and one path from a GC root.
 */
import fs from 'node:fs';

interface Raw {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

interface Heap {
  count: number;
  type(i: number): string;
  name(i: number): string;
  id(i: number): number;
  size(i: number): number;
  /** Strong edges into node i: [from node, edge label]. */
  retainers(i: number): Array<[number, string]>;
}

function load(file: string): Heap {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Raw;
  const m = raw.snapshot.meta;
  const nf = m.node_fields.length;
  const ef = m.edge_fields.length;
  const [nType, nName, nId, nSize, nEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) =>
    m.node_fields.indexOf(f),
  ) as [number, number, number, number, number];
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => m.edge_fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const count = raw.nodes.length / nf;
  const into: Array<Array<[number, string]>> = Array.from({ length: count }, () => []);
  for (let i = 0, e = 0; i < count; i++) {
    for (let k = raw.nodes[i * nf + nEdges]!; k > 0; k--, e += ef) {
      const t = m.edge_types[0][raw.edges[e + eType]!]!;
      if (t === 'weak') continue;
      const n = raw.edges[e + eName]!;
      const label = t === 'element' || t === 'hidden' ? `[${n}]` : `${t === 'context' ? 'ctx:' : ''}${raw.strings[n]}`;
      into[raw.edges[e + eTo]! / nf]!.push([i, label]);
    }
  }
  return {
    count,
    type: (i) => m.node_types[0][raw.nodes[i * nf + nType]!]!,
    name: (i) => raw.strings[raw.nodes[i * nf + nName]!]!,
    id: (i) => raw.nodes[i * nf + nId]!,
    size: (i) => raw.nodes[i * nf + nSize]!,
    retainers: (i) => into[i]!,
  };
}

/** Count and bytes per "type:name". */
function totals(h: Heap): Map<string, [number, number]> {
  const t = new Map<string, [number, number]>();
  for (let i = 0; i < h.count; i++) {
    const k = `${h.type(i)}:${h.name(i).slice(0, 60)}`;
    const v = t.get(k) ?? [0, 0];
    v[0]++;
    v[1] += h.size(i);
    t.set(k, v);
  }
  return t;
}

/** The shortest chain of strong references from a GC root to node i. */
function rootPath(h: Heap, start: number): string {
  const prev = new Map<number, [number, string] | undefined>([[start, undefined]]);
  for (let q = [start], head = 0; head < q.length; head++) {
    const i = q[head]!;
    if (h.type(i) === 'synthetic') {
      const out: string[] = [];
      for (let k = i, p = prev.get(k); p; k = p[0], p = prev.get(k))
        out.push(`${h.type(k)}:${h.name(k).slice(0, 40)} -${p[1]}->`);
      return `${out.join(' ')} ${h.name(start)}`;
    }
    for (const [from, label] of h.retainers(i))
      if (!prev.has(from)) {
        prev.set(from, [i, label]);
        q.push(from);
      }
  }
  return 'unreachable';
}

const [beforeFile, afterFile, ...names] = process.argv.slice(2);
if (!beforeFile || !afterFile)
  throw new Error('usage: node test/stress/heap-diff.ts before.heapsnapshot after.heapsnapshot [Name...]');
const before = load(beforeFile);
const after = load(afterFile);
const tb = totals(before);
const growth = [...totals(after)].map(([k, [n, s]]) => ({
  k,
  n: n - (tb.get(k)?.[0] ?? 0),
  s: s - (tb.get(k)?.[1] ?? 0),
}));
const mb = (b: number): string => (b / 1048576).toFixed(2);
const sum = (t: Map<string, [number, number]>): number => [...t.values()].reduce((a, [, s]) => a + s, 0);
console.log(`self sizes: ${mb(sum(tb))} -> ${mb(sum(totals(after)))} MiB; growth by size:`);
for (const g of growth.sort((a, b) => b.s - a.s).slice(0, 30))
  console.log(`  ${String(g.s).padStart(10)} B ${String(g.n).padStart(7)}x ${g.k}`);
for (const name of names) {
  const old = new Set<number>();
  for (let i = 0; i < before.count; i++)
    if (before.type(i) === 'object' && before.name(i) === name) old.add(before.id(i));
  const fresh: number[] = [];
  for (let i = 0; i < after.count; i++)
    if (after.type(i) === 'object' && after.name(i) === name && !old.has(after.id(i))) fresh.push(i);
  console.log(`\n${name}: ${old.size} before, ${fresh.length} new`);
  const holders = new Map<string, number>();
  for (const i of fresh.slice(0, 1000)) {
    const k = after
      .retainers(i)
      .map(([f, l]) => `${after.type(f)}:${after.name(f).slice(0, 30)}.${l}`)
      .sort()
      .join(' | ');
    holders.set(k, (holders.get(k) ?? 0) + 1);
  }
  for (const [k, n] of [...holders].sort((a, b) => b[1] - a[1]).slice(0, 8))
    console.log(`  ${n}x held by ${k.slice(0, 300)}`);
  if (fresh[0] !== undefined) console.log(`  from a root: ${rootPath(after, fresh[0]).slice(0, 1500)}`);
}
