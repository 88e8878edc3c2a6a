/**
 * @module util/go-template/template: Go's text/template.Template: a set of named trees sharing functions
 * and delimiters; Parse adds to the set, Execute runs one of them.
 */
import { builtins } from './builtins.js';
import { type FuncDef, execute } from './exec.js';
import { isEmptyTree, type Tree } from './nodes.js';
import { parseTemplate, TemplateError } from './parse.js';

export { TemplateError } from './parse.js';
export type { FuncDef } from './exec.js';
export { def } from './builtins.js';

export class Template {
  private readonly trees = new Map<string, Tree>();
  private readonly funcs = new Map<string, FuncDef>();
  private delims: [string, string] = ['{{', '}}'];

  constructor(readonly name: string) {}

  /** Sets the action delimiters (empty means the default). */
  setDelims(left: string, right: string): this {
    this.delims = [left || '{{', right || '}}'];
    return this;
  }

  /** Adds functions; later additions win. */
  addFuncs(funcs: Record<string, FuncDef>): this {
    for (const [k, v] of Object.entries(funcs)) this.funcs.set(k, v);
    return this;
  }

  /** Parses `text` into the set: its body as this template, its defines under their names. */
  parse(text: string): this {
    const trees = parseTemplate(this.name, text, this.delims, (n) => this.funcs.has(n) || Object.hasOwn(builtins, n));
    for (const t of trees) {
      const old = this.trees.get(t.name);
      // A tree that is only white space does not replace an existing one (text/template's associate).
      if (old && isEmptyTree(t.root)) continue;
      this.trees.set(t.name, t);
    }
    return this;
  }

  lookup(name: string): Tree | undefined {
    return this.trees.get(name);
  }

  /** Runs this template with `data` as dot. */
  async execute(data: unknown): Promise<string> {
    return this.executeTemplate(this.name, data);
  }

  /** Runs the named template of the set. */
  async executeTemplate(name: string, data: unknown): Promise<string> {
    const tree = this.trees.get(name);
    if (!tree) {
      throw new TemplateError(
        `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`,
      );
    }
    return execute(
      {
        lookup: (n) => this.trees.get(n),
        func: (n) => this.funcs.get(n) ?? (Object.hasOwn(builtins, n) ? builtins[n] : undefined),
      },
      tree,
      data,
    );
  }
}
