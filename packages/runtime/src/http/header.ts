/** @module http/header: a case-insensitive, multi-valued header map that keeps the written case. */

/** Header fields, like Go's http.Header. */
export class Header {
  private readonly m = new Map<string, { name: string; values: string[] }>();

  /** The first value, or undefined. */
  get(name: string): string | undefined {
    return this.m.get(name.toLowerCase())?.values[0];
  }
  /** All values (empty when absent). */
  values(name: string): string[] {
    return this.m.get(name.toLowerCase())?.values ?? [];
  }
  has(name: string): boolean {
    return this.m.has(name.toLowerCase());
  }
  set(name: string, values: string | string[]): void {
    this.m.set(name.toLowerCase(), { name, values: Array.isArray(values) ? [...values] : [values] });
  }
  add(name: string, value: string): void {
    const e = this.m.get(name.toLowerCase());
    if (e) e.values.push(value);
    else this.m.set(name.toLowerCase(), { name, values: [value] });
  }
  delete(name: string): void {
    this.m.delete(name.toLowerCase());
  }
  /** Field names as written. */
  names(): string[] {
    return [...this.m.values()].map((e) => e.name);
  }
  *entries(): IterableIterator<[string, string[]]> {
    for (const e of this.m.values()) yield [e.name, e.values];
  }
  /** The fields as [name as written, values] pairs, in insertion order (a plain loop: no generator per response). */
  fields(): Array<[string, string[]]> {
    const out: Array<[string, string[]]> = [];
    for (const e of this.m.values()) out.push([e.name, e.values]);
    return out;
  }
  get size(): number {
    return this.m.size;
  }
  clone(): Header {
    const h = new Header();
    for (const [n, v] of this.entries()) h.set(n, v);
    return h;
  }

  /**
   * From a node request's rawHeaders ([name, value, ...]): each field line is its own value, as in Go
   * (node's `headers` joins repeated fields with ", " and drops some). HTTP/2 pseudo-fields are skipped,
   * and HTTP/2 cookie crumbs are joined with "; " into one Cookie value, as Go's HTTP/2 server does.
   */
  static fromRaw(raw: readonly string[], h2: boolean): Header {
    const h = new Header();
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const k = raw[i]!;
      if (k.startsWith(':')) continue;
      h.add(k, raw[i + 1]!);
    }
    const cookies = h.values('cookie');
    if (h2 && cookies.length > 1) h.set('Cookie', cookies.join('; '));
    return h;
  }

  /** From Node's incoming headers (values already joined per Node's rules). */
  static fromNode(raw: Record<string, string | string[] | undefined>): Header {
    const h = new Header();
    for (const [k, v] of Object.entries(raw)) {
      if (v === undefined || k.startsWith(':')) continue;
      h.set(k, Array.isArray(v) ? v : [v]);
    }
    return h;
  }
}
