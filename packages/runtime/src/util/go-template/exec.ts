/** @module util/go-template/exec: executes parse trees as Go's text/template does (exec.go), asynchronously. */
import { formatValue } from './fmt.js';
import {
  type Arg,
  argString,
  type Command,
  commandString,
  type ControlNode,
  type ListNode,
  type Node,
  type Pipe,
  type Tree,
} from './nodes.js';
import { TemplateError } from './parse.js';
import { goFloat, goTypeName, kindOf, mapEntries, mapGet, truth } from './values.js';

/** A template function: its arity (max Infinity for variadic), and whether it gets its arguments unevaluated. */
export interface FuncDef {
  fn: (...args: unknown[]) => unknown;
  min: number;
  max: number;
  /** The Go types of the parameters that are not interface{} (the last one repeats for a variadic function). */
  types?: ParamType[];
}

/** A parameter type text/template checks before the call. */
export type ParamType = 'string' | 'bool' | 'int' | 'any';

/** What a tree set gives the executor. */
export interface ExecEnv {
  lookup(name: string): Tree | undefined;
  func(name: string): FuncDef | undefined;
}

const MAX_EXEC_DEPTH = 100000;

/**
 * Thrown by a function whose argument has the wrong Go type: text/template reports these itself ("wrong type
 * for value; expected string; got int"), not as an error of the call.
 */
export class ArgTypeError extends Error {
  constructor(want: string, got: string) {
    super(`wrong type for value; expected ${want}; got ${got}`);
  }
}
/** The most output one execution may produce (Go has no limit; this keeps a runaway template from the heap limit). */
const MAX_OUTPUT = 64 << 20;

/** Where an execution writes, shared by the templates it calls. */
interface Sink {
  parts: string[];
  size: number;
}
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
/** No final value in a pipeline (Go's missingVal). */
const MISSING = Symbol('missing');

interface Variable {
  name: string;
  value: unknown;
}

/** Go's "at <node>" location of an error. */
/** What an error names after "at": a node, printed only when an error needs it. */
type AtNode = Arg | Command | Pipe | Extract<Node, { k: 'template' }>;

/** The error a template function threw, kept to pass on (Caddy's httpError). */
export function unwrapTemplateError(e: unknown): unknown {
  let cur = e;
  while (cur instanceof TemplateError && cur.wrapped !== undefined) cur = cur.wrapped;
  return cur;
}

class State {
  vars: Variable[];
  /** The position and node of the last node evaluated (Go's s.at), -1 before any. */
  atPos = -1;
  atNode: AtNode | undefined;
  constructor(
    readonly env: ExecEnv,
    readonly tree: Tree,
    readonly out: Sink,
    dot: unknown,
    readonly depth: number,
  ) {
    this.vars = [{ name: '$', value: dot }];
  }

  fail(msg: string, wrapped?: unknown): never {
    if (this.atPos < 0 || !this.atNode) throw new TemplateError(`template: ${this.tree.name}: ${msg}`, wrapped);
    const before = this.tree.text.slice(0, this.atPos);
    const nl = before.lastIndexOf('\n');
    const col = Buffer.byteLength(nl < 0 ? before : before.slice(nl + 1));
    const line = before.split('\n').length;
    throw new TemplateError(
      `template: ${this.tree.parseName}:${line}:${col}: executing ${JSON.stringify(this.tree.name)} at <${nodeString(this.atNode)}>: ${msg}`,
      wrapped,
    );
  }

  setAt(pos: number, node: AtNode): void {
    this.atPos = pos;
    this.atNode = node;
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.fail(`undefined variable: ${name}`);
  }

  setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  async walk(dot: unknown, node: Node | ListNode): Promise<void> {
    switch (node.k) {
      case 'list':
        for (const n of node.nodes) {
          // Text needs no promise: most nodes of a page are text.
          if (n.k === 'text') this.emit(n.text);
          else await this.walk(dot, n);
        }
        return;
      case 'text':
        this.emit(node.text);
        return;
      case 'action': {
        this.setAt(node.pos, node.pipe);
        // Declarations in an action stay for the rest of the enclosing control's scope.
        const v = await this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node.pos, node.pipe, v);
        return;
      }
      case 'if':
      case 'with':
        return this.walkIfOrWith(node.k, dot, node.pipe, node.list, node.elseList);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  printValue(pos: number, pipe: Pipe, v: unknown): void {
    this.setAt(pos, pipe);
    if (v === undefined || v === MISSING) {
      this.emit('<no value>');
      return;
    }
    if (kindOf(v) === 'func') this.fail(`can't print ${pipeString(pipe)} of type ${goTypeName(v)}`);
    this.emit(formatValue(v, 'v'));
  }

  emit(s: string): void {
    this.out.size += s.length;
    if (this.out.size > MAX_OUTPUT) this.fail(`template output exceeds ${MAX_OUTPUT} characters`);
    this.out.parts.push(s);
  }

  async walkIfOrWith(
    kind: 'if' | 'with',
    dot: unknown,
    pipe: Pipe,
    list: ListNode,
    elseList: ListNode | undefined,
  ): Promise<void> {
    const mark = this.vars.length;
    try {
      const val = await this.evalPipeline(dot, pipe);
      if (truth(val)) await this.walk(kind === 'with' ? val : dot, list);
      else if (elseList) await this.walk(dot, elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  async walkRange(dot: unknown, r: ControlNode): Promise<void> {
    this.setAt(r.pos, r.pipe);
    const outer = this.vars.length;
    try {
      const val = await this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const one = async (index: unknown, elem: unknown): Promise<void> => {
        const n = this.vars.length;
        if (r.pipe.decl.length > 0) this.vars[n - 1]!.value = elem;
        if (r.pipe.decl.length > 1) this.vars[n - 2]!.value = index;
        try {
          await this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = mark;
        }
      };
      let iterated = false;
      try {
        switch (kindOf(val)) {
          case 'slice':
          case 'bytes': {
            const a = val as ArrayLike<unknown>;
            for (let i = 0; i < a.length; i++) {
              iterated = true;
              await one(i, a[i]);
            }
            break;
          }
          case 'map':
            for (const [k, v] of mapEntries(val)) {
              iterated = true;
              await one(k, v);
            }
            break;
          case 'int': {
            // Current Go (1.22+, which current Caddy is built with) ranges over an integer.
            if (r.pipe.decl.length > 1)
              this.fail(`can't use ${formatValue(val, 'v')} to iterate over more than one variable`);
            for (let i = 0; i < (val as number); i++) {
              iterated = true;
              await one(i, i);
            }
            break;
          }
          case 'nil':
            break;
          default:
            this.fail(`range can't iterate over ${formatValue(val, 'v')}`);
        }
      } catch (e) {
        if (e !== BREAK) throw e;
        return;
      }
      if (!iterated && r.elseList) await this.walk(dot, r.elseList);
    } finally {
      this.vars.length = outer;
    }
  }

  async walkTemplate(dot: unknown, t: Extract<Node, { k: 'template' }>): Promise<void> {
    this.setAt(t.pos, t);
    const tree = this.env.lookup(t.name);
    if (!tree) this.fail(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth >= MAX_EXEC_DEPTH) this.fail(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = t.pipe ? await this.evalPipeline(dot, t.pipe) : undefined;
    const s = new State(this.env, tree, this.out, newDot, this.depth + 1);
    await s.walk(newDot, tree.root);
  }

  async evalPipeline(dot: unknown, pipe: Pipe): Promise<unknown> {
    this.setAt(pipe.pos, pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = await this.evalCommand(dot, cmd, value);
    for (const name of pipe.decl) {
      if (pipe.isAssign) this.setVar(name, value);
      else this.vars.push({ name, value });
    }
    return value;
  }

  async evalCommand(dot: unknown, cmd: Command, final: unknown): Promise<unknown> {
    const first = cmd.args[0]!;
    switch (first.k) {
      case 'field':
        this.setAt(first.pos, first);
        return this.evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain': {
        this.setAt(first.pos, first);
        if (first.node.k === 'nil') this.fail(`indirection through explicit nil in ${argString(first)}`);
        const recv = await this.evalArg(dot, first.node);
        return this.evalFieldChain(dot, recv, first, first.fields, cmd.args, final);
      }
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable': {
        this.setAt(first.pos, first);
        const value = this.varValue(first.idents[0]!);
        if (first.idents.length === 1) {
          this.notAFunction(cmd.args, final);
          return value;
        }
        return this.evalFieldChain(dot, value, first, first.idents.slice(1), cmd.args, final);
      }
    }
    this.setAt(first.pos, first);
    this.notAFunction(cmd.args, final);
    switch (first.k) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.fail('nil is not a command');
      case 'number':
        return first.isFloat ? goFloat(first.value) : first.value;
      case 'string':
        return first.value;
    }
  }

  notAFunction(args: Arg[], final: unknown): void {
    if (args.length > 1 || final !== MISSING) this.fail(`can't give argument to non-function ${argString(args[0]!)}`);
  }

  async evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: Arg,
    idents: string[],
    args: Arg[],
    final: unknown,
  ): Promise<unknown> {
    const n = idents.length;
    for (let i = 0; i < n - 1; i++) receiver = await this.evalField(dot, idents[i]!, node, [], MISSING, receiver);
    return this.evalField(dot, idents[n - 1]!, node, args, final, receiver);
  }

  async evalField(
    dot: unknown,
    name: string,
    node: Arg,
    args: Arg[],
    final: unknown,
    receiver: unknown,
  ): Promise<unknown> {
    const k = kindOf(receiver);
    if (k === 'nil') return undefined;
    const hasArgs = args.length > 1 || final !== MISSING;
    // Methods first, as Go looks them up before fields and map keys (http.Header is a map with methods).
    const typed = k === 'struct' || (k === 'map' && receiver instanceof Map && receiver.constructor !== Map);
    if (typed && /^\p{Lu}/u.test(name)) {
      const member = (receiver as Record<string, unknown>)[name];
      if (typeof member === 'function') {
        const f = member as (...a: unknown[]) => unknown;
        const def: FuncDef = { fn: (...a) => f.apply(receiver, a), min: f.length, max: arityMax(f) };
        return this.evalCall(dot, def, node, name, args, final);
      }
      if (k === 'struct' && (member !== undefined || name in (receiver as object))) {
        if (hasArgs) this.fail(`${name} has arguments but cannot be invoked as function`);
        return member;
      }
    }
    if (k === 'map') {
      if (hasArgs) this.fail(`${name} is not a method but has arguments`);
      return mapGet(receiver, name);
    }
    return this.fail(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  async evalFunction(
    dot: unknown,
    node: Extract<Arg, { k: 'identifier' }>,
    cmd: Command,
    args: Arg[],
    final: unknown,
  ): Promise<unknown> {
    this.setAt(node.pos, node);
    const def = this.env.func(node.name);
    if (!def) return this.fail(`${JSON.stringify(node.name)} is not a defined function`);
    return this.evalCall(dot, def, cmd, node.name, args, final);
  }

  /** Calls a function or method; `node` (a command or field) is where its errors are reported. */
  async evalCall(
    dot: unknown,
    def: FuncDef,
    node: Arg | Command,
    name: string,
    args: Arg[],
    final: unknown,
  ): Promise<unknown> {
    const given = args.slice(1);
    const numIn = given.length + (final !== MISSING ? 1 : 0);
    if (def.max === Number.POSITIVE_INFINITY) {
      if (numIn < def.min) this.fail(`wrong number of args for ${name}: want at least ${def.min} got ${numIn}`);
    } else if (numIn < def.min || numIn > def.max) {
      this.fail(`wrong number of args for ${name}: want ${def.max} got ${numIn}`);
    }
    // and/or evaluate their arguments one at a time and stop at the first that decides.
    if (name === 'and' || name === 'or') {
      if (def.fn === builtinMarker[name]) {
        let v: unknown;
        for (const a of given) {
          v = await this.evalArg(dot, a);
          if (truth(v) === (name === 'or')) return v;
        }
        if (final !== MISSING) v = final;
        return v;
      }
    }
    const vals: unknown[] = [];
    for (const [i, a] of given.entries()) {
      const t = def.types
        ? (def.types[i] ?? (def.max === Number.POSITIVE_INFINITY ? def.types.at(-1) : undefined))
        : undefined;
      if (t && t !== 'any') this.checkConstant(a, t);
      const v = this.simpleArg(dot, a) ?? (await this.evalArg(dot, a));
      if (t && t !== 'any') this.checkType(v, t);
      vals.push(v);
    }
    if (final !== MISSING) {
      const t = def.types?.[given.length] ?? (def.max === Number.POSITIVE_INFINITY ? def.types?.at(-1) : undefined);
      if (t && t !== 'any') this.checkType(final, t);
      vals.push(final);
    }
    this.setAt(node.pos, node);
    try {
      const r = def.fn(...vals);
      return r instanceof Promise ? await r : r;
    } catch (e) {
      if (e instanceof ArgTypeError) return this.fail(e.message, e);
      const msg = e instanceof Error ? e.message : String(e);
      return this.fail(`error calling ${name}: ${msg}`, e);
    }
  }

  /** A constant given for a typed parameter must be of that type (exec.go's evalString, evalBool, evalInteger). */
  checkConstant(a: Arg, t: Exclude<ParamType, 'any'>): void {
    const k = a.k;
    if (k !== 'bool' && k !== 'number' && k !== 'string' && k !== 'nil') return;
    this.setAt(a.pos, a);
    if (k === 'nil') this.fail(`cannot assign nil to ${t}`);
    const ok = t === 'string' ? k === 'string' : t === 'bool' ? k === 'bool' : k === 'number' && !a.isFloat;
    if (!ok) this.fail(`expected ${t === 'int' ? 'integer' : t}; found ${argString(a)}`);
  }

  /** A value given for a typed parameter must be of that type (exec.go's validateType). */
  checkType(v: unknown, t: Exclude<ParamType, 'any'>): void {
    const k = kindOf(v);
    if (k === 'nil') this.fail(`invalid value; expected ${t}`);
    if (k !== t) this.fail(`wrong type for value; expected ${t}; got ${goTypeName(v)}`);
  }

  /** Constants, dot and plain variables without a promise; undefined for what needs evalArg (or is nil). */
  simpleArg(dot: unknown, a: Arg): unknown {
    switch (a.k) {
      case 'dot':
        this.setAt(a.pos, a);
        return dot;
      case 'string':
      case 'bool':
        this.setAt(a.pos, a);
        return a.value;
      case 'number':
        this.setAt(a.pos, a);
        return a.isFloat ? goFloat(a.value) : a.value;
      case 'variable':
        if (a.idents.length > 1) return undefined;
        this.setAt(a.pos, a);
        return this.varValue(a.idents[0]!);
      default:
        return undefined;
    }
  }

  async evalArg(dot: unknown, a: Arg): Promise<unknown> {
    this.setAt(a.pos, a);
    switch (a.k) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'field':
        return this.evalFieldChain(dot, dot, a, a.idents, [a], MISSING);
      case 'variable': {
        const v = this.varValue(a.idents[0]!);
        return a.idents.length === 1 ? v : this.evalFieldChain(dot, v, a, a.idents.slice(1), [a], MISSING);
      }
      case 'pipe':
        return this.evalPipeline(dot, a.pipe);
      case 'identifier':
        return this.evalFunction(dot, a, { pos: a.pos, args: [a] }, [a], MISSING);
      case 'chain': {
        const recv = await this.evalArg(dot, a.node);
        return this.evalFieldChain(dot, recv, a, a.fields, [a], MISSING);
      }
      case 'number':
        return a.isFloat ? goFloat(a.value) : a.value;
      case 'bool':
      case 'string':
        return a.value;
    }
  }
}

/** The builtin and/or functions, recognised for their lazy evaluation. */
export const builtinMarker: { and?: FuncDef['fn']; or?: FuncDef['fn'] } = {};

/** The number of parameters a method takes at most: its declared count, unbounded for a rest parameter. */
function arityMax(f: (...a: unknown[]) => unknown): number {
  return /\.\.\.\s*\w+\s*\)/.test(f.toString().split('{')[0] ?? '') ? Number.POSITIVE_INFINITY : f.length;
}

/** How Go prints a node in "at <...>". */
function nodeString(n: AtNode): string {
  if ('cmds' in n) return pipeString(n);
  if ('args' in n) return commandString(n);
  if (n.k === 'template') return `{{template ${JSON.stringify(n.name)}${n.pipe ? ` ${pipeString(n.pipe)}` : ''}}}`;
  return argString(n);
}

function pipeString(p: Pipe): string {
  let s = '';
  if (p.decl.length) s = `${p.decl.join(', ')} ${p.isAssign ? '=' : ':='} `;
  return s + p.cmds.map((c) => c.args.map(argString).join(' ')).join(' | ');
}

/** Executes `tree` with `data` as dot; returns the output. */
export async function execute(env: ExecEnv, tree: Tree, data: unknown): Promise<string> {
  const out: Sink = { parts: [], size: 0 };
  const s = new State(env, tree, out, data, 0);
  try {
    await s.walk(data, tree.root);
  } catch (e) {
    if (e === BREAK || e === CONTINUE)
      throw new TemplateError(`template: ${tree.name}: break or continue outside range`);
    throw e;
  }
  return out.parts.join('');
}
