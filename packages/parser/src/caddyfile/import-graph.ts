/** @module import-graph: detects import cycles across files and snippets (Caddy's `importgraph.go`). */

/** A directed graph of which file or snippet imports which. */
export class ImportGraph {
  private readonly edges = new Map<string, Set<string>>();

  /** Adds edges from `from` to each of `to`; returns Caddy's error text if one would close a cycle. */
  addEdges(from: string, to: readonly string[]): string | undefined {
    for (const target of to) {
      if (this.reaches(target, from)) return `a cycle of imports exists between ${from} and ${target}`;
      let set = this.edges.get(from);
      if (!set) this.edges.set(from, (set = new Set()));
      set.add(target);
    }
    return undefined;
  }

  /** Whether `to` can be reached from `from` (a node reaches itself). */
  private reaches(from: string, to: string): boolean {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      for (const next of this.edges.get(node) ?? []) stack.push(next);
    }
    return false;
  }
}
