/** @module util/go-template/nodes: the parse tree of Go's text/template (parse/node.go), and how nodes print. */

/** An operand of a command. */
export type Arg =
  | { k: 'field'; pos: number; idents: string[] }
  | { k: 'variable'; pos: number; idents: string[] }
  | { k: 'chain'; pos: number; node: Arg; fields: string[] }
  | { k: 'identifier'; pos: number; name: string }
  | { k: 'dot'; pos: number }
  | { k: 'nil'; pos: number }
  | { k: 'bool'; pos: number; value: boolean }
  | { k: 'number'; pos: number; text: string; value: number; isFloat: boolean }
  | { k: 'string'; pos: number; quoted: string; value: string }
  | { k: 'pipe'; pos: number; pipe: Pipe };

export interface Command {
  pos: number;
  args: Arg[];
}

export interface Pipe {
  pos: number;
  line: number;
  isAssign: boolean;
  decl: string[];
  cmds: Command[];
}

/** An if, with or range. */
export interface ControlNode {
  k: 'if' | 'with' | 'range';
  pos: number;
  line: number;
  pipe: Pipe;
  list: ListNode;
  elseList?: ListNode;
}

export type Node =
  | { k: 'text'; pos: number; text: string }
  | { k: 'action'; pos: number; line: number; pipe: Pipe }
  | ControlNode
  | { k: 'template'; pos: number; line: number; name: string; pipe?: Pipe }
  | { k: 'break' | 'continue'; pos: number; line: number };

export interface ListNode {
  k: 'list';
  nodes: Node[];
}

/** A parsed template: its name and body. */
export interface Tree {
  name: string;
  /** The name of the top-level template this was parsed in (for error positions). */
  parseName: string;
  text: string;
  root: ListNode;
}

export function argString(a: Arg): string {
  switch (a.k) {
    case 'field':
      return a.idents.map((i) => `.${i}`).join('');
    case 'variable':
      return a.idents.join('.');
    case 'chain': {
      const inner = a.node.k === 'pipe' ? `(${pipeString(a.node.pipe)})` : argString(a.node);
      return inner + a.fields.map((f) => `.${f}`).join('');
    }
    case 'identifier':
      return a.name;
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.value);
    case 'number':
      return a.text;
    case 'string':
      return a.quoted;
    case 'pipe':
      return `(${pipeString(a.pipe)})`;
  }
}

export function commandString(c: Command): string {
  return c.args.map(argString).join(' ');
}

export function pipeString(p: Pipe): string {
  let s = '';
  if (p.decl.length) s = `${p.decl.join(', ')} ${p.isAssign ? '=' : ':='} `;
  return s + p.cmds.map(commandString).join(' | ');
}

/** Whether a tree has only white space and comments (parse.IsEmptyTree). */
export function isEmptyTree(l: ListNode): boolean {
  return l.nodes.every((n) => n.k === 'text' && n.text.trim() === '');
}
