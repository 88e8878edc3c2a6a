/** @module util/go-template/parse: Go's text/template/parse parser (parse.go): items to trees, one per template name. */
import { type Item, lex } from './lexer.js';
import type { Arg, Command, ListNode, Node, Pipe, Tree } from './nodes.js';
import { goUnquote } from './quote.js';

/** A template error, printed as Go prints it (`template: name:line: ...`). */
export class TemplateError extends Error {
  constructor(
    message: string,
    /** The error a function returned, when this wraps one (Go's %w). */
    readonly wrapped?: unknown,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Else = { k: 'else'; pos: number; line: number } | { k: 'end'; pos: number; line: number };

/** Parses `text` as template `name`; returns its trees (the top one under `name`, then each define). */
export function parseTemplate(
  name: string,
  text: string,
  delims: [string, string],
  hasFunction: (name: string) => boolean,
): Tree[] {
  const items = lex(text, delims[0], delims[1]);
  let i = 0;
  let token: Item = items[0]!;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  const trees: Tree[] = [];

  const fail = (msg: string): never => {
    throw new TemplateError(`template: ${name}:${token.line}: ${msg}`);
  };
  const next = (): Item => {
    token = items[i] ?? items[items.length - 1]!;
    if (i < items.length) i++;
    if (token.type === 'error') fail(token.val);
    return token;
  };
  const backup = (): void => {
    i--;
  };
  const peek = (): Item => items[i] ?? items[items.length - 1]!;
  const nextNonSpace = (): Item => {
    let t = next();
    while (t.type === 'space') t = next();
    return t;
  };
  const peekNonSpace = (): Item => {
    const t = nextNonSpace();
    backup();
    return t;
  };
  const describe = (t: Item): string => {
    switch (t.type) {
      case 'eof':
        return 'EOF';
      case 'keyword':
        return `<${t.val}>`;
      case 'space':
        return 'space';
      case 'error':
        return t.val;
      default:
        return t.val.length > 10 ? `${JSON.stringify(t.val.slice(0, 10))}...` : JSON.stringify(t.val);
    }
  };
  const unexpected = (t: Item, context: string): never => {
    if (t.type === 'error') fail(t.val);
    return fail(`unexpected ${describe(t)} in ${context}`);
  };
  const expect = (type: Item['type'], context: string): Item => {
    const t = nextNonSpace();
    if (t.type !== type) unexpected(t, context);
    return t;
  };

  function parseTop(): void {
    const root: ListNode = { k: 'list', nodes: [] };
    while (peek().type !== 'eof') {
      if (peek().type === 'leftDelim') {
        const save = i;
        next();
        const t = nextNonSpace();
        if (t.type === 'keyword' && t.val === 'define') {
          parseDefinition();
          continue;
        }
        i = save;
      }
      const n = textOrAction();
      if (n.k === 'else' || n.k === 'end') fail(`unexpected {{${n.k}}}`);
      else root.nodes.push(n);
    }
    trees.unshift({ name, parseName: name, text, root });
  }

  function parseDefinition(): void {
    const context = 'define clause';
    const defName = templateName(context);
    expect('rightDelim', context);
    const saved = vars;
    vars = ['$'];
    const [list, end] = itemList();
    if (end.k !== 'end') fail(`unexpected ${end.k === 'else' ? '{{else}}' : 'EOF'}`);
    trees.push({ name: defName, parseName: name, text, root: list });
    vars = saved;
  }

  function itemList(): [ListNode, Else] {
    const list: ListNode = { k: 'list', nodes: [] };
    while (peekNonSpace().type !== 'eof') {
      const n = textOrAction();
      if (n.k === 'end' || n.k === 'else') return [list, n];
      list.nodes.push(n);
    }
    return fail('unexpected EOF');
  }

  function textOrAction(): Node | Else {
    const t = nextNonSpace();
    if (t.type === 'text') return { k: 'text', pos: t.pos, text: t.val };
    if (t.type === 'leftDelim') return action();
    return unexpected(t, 'input');
  }

  function action(): Node | Else {
    const t = nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'block':
          return blockControl();
        case 'break':
        case 'continue': {
          if (rangeDepth === 0) fail(`{{${t.val}}} outside {{range}}`);
          const d = nextNonSpace();
          if (d.type !== 'rightDelim') unexpected(d, `{{${t.val}}}`);
          return { k: t.val, pos: t.pos, line: t.line };
        }
        case 'else': {
          const p = peekNonSpace();
          if (p.type === 'keyword' && (p.val === 'if' || p.val === 'with'))
            return { k: 'else', pos: t.pos, line: t.line };
          const d = nextNonSpace();
          if (d.type !== 'rightDelim') unexpected(d, 'else');
          return { k: 'else', pos: t.pos, line: t.line };
        }
        case 'end': {
          const d = nextNonSpace();
          if (d.type !== 'rightDelim') unexpected(d, 'end');
          return { k: 'end', pos: t.pos, line: t.line };
        }
        case 'if':
        case 'range':
        case 'with':
          return control(t.val, t);
        case 'template':
          return templateControl();
      }
    }
    backup();
    const p = peek();
    return { k: 'action', pos: p.pos, line: p.line, pipe: pipeline('command', 'rightDelim') };
  }

  function control(kind: 'if' | 'range' | 'with', t: Item): Node {
    const saved = vars.length;
    const pipe = pipeline(kind, 'rightDelim');
    if (kind === 'range') rangeDepth++;
    let [list, nxt] = itemList();
    if (kind === 'range') rangeDepth--;
    let elseList: ListNode | undefined;
    if (nxt.k === 'else') {
      const p = peekNonSpace();
      if (kind !== 'range' && p.type === 'keyword' && p.val === kind) {
        // "{{else if ...}}" is "{{else}}{{if ...}}...{{end}}{{end}}" with one shared end.
        const kw = next();
        elseList = { k: 'list', nodes: [control(kind, kw)] };
      } else {
        [elseList, nxt] = itemList();
        if (nxt.k !== 'end') fail('expected end; found {{else}}');
      }
    }
    vars.length = saved;
    return elseList
      ? { k: kind, pos: pipe.pos, line: t.line, pipe, list, elseList }
      : { k: kind, pos: pipe.pos, line: t.line, pipe, list };
  }

  function templateName(context: string): string {
    const t = nextNonSpace();
    if (t.type === 'string') return goUnquote(t.val);
    if (t.type === 'rawString') return t.val.slice(1, -1);
    return unexpected(t, context);
  }

  function templateControl(): Node {
    const context = 'template clause';
    const tname = templateName(context);
    const at = token;
    let pipe: Pipe | undefined;
    if (nextNonSpace().type !== 'rightDelim') {
      backup();
      pipe = pipeline(context, 'rightDelim');
    }
    return pipe
      ? { k: 'template', pos: at.pos, line: at.line, name: tname, pipe }
      : { k: 'template', pos: at.pos, line: at.line, name: tname };
  }

  function blockControl(): Node {
    const context = 'block clause';
    const tname = templateName(context);
    const at = token;
    const pipe = pipeline(context, 'rightDelim');
    const saved = vars;
    vars = ['$'];
    const [list, end] = itemList();
    if (end.k !== 'end') fail('unexpected {{else}} in block clause');
    vars = saved;
    trees.push({ name: tname, parseName: name, text, root: list });
    return { k: 'template', pos: at.pos, line: at.line, name: tname, pipe };
  }

  function pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const start = peekNonSpace();
    const pipe: Pipe = { pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    declarations(pipe, context);
    for (;;) {
      const t = nextNonSpace();
      if (t.type === end) {
        if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
        for (const [n, c] of pipe.cmds.entries()) {
          if (n === 0) continue;
          const k = c.args[0]!.k;
          if (k === 'bool' || k === 'dot' || k === 'nil' || k === 'number' || k === 'string')
            fail(`non executable command in pipeline stage ${n + 1}`);
        }
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'charconst':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  }

  /** Declarations: "$x :=", "$x =", and for range "$i, $x :=". */
  function declarations(pipe: Pipe, context: string): void {
    if (peekNonSpace().type === 'variable') {
      const save = i;
      const v = nextNonSpace();
      const nxt = peekNonSpace();
      if (nxt.type === 'assign' || nxt.type === 'declare') {
        nextNonSpace();
        pipe.isAssign = nxt.type === 'assign';
        pipe.decl.push(v.val);
        vars.push(v.val);
        return;
      }
      if (nxt.type === 'char' && nxt.val === ',') {
        nextNonSpace();
        pipe.decl.push(v.val);
        vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          if (peekNonSpace().type !== 'variable') fail('range can only initialize variables');
          const v2 = nextNonSpace();
          const op = nextNonSpace();
          if (op.type !== 'declare' && op.type !== 'assign') fail(`too many declarations in ${context}`);
          pipe.isAssign = op.type === 'assign';
          pipe.decl.push(v2.val);
          vars.push(v2.val);
          return;
        }
        fail(`too many declarations in ${context}`);
      }
      i = save;
    }
  }

  function command(): Command {
    const cmd: Command = { pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const t = next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') backup();
      else if (t.type !== 'pipe') fail(`unexpected ${describe(t)} in operand`);
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  }

  function operand(): Arg | undefined {
    const node = term();
    if (!node) return undefined;
    if (peek().type !== 'field') return node;
    const fields: string[] = [];
    const pos = peek().pos;
    while (peek().type === 'field') fields.push(next().val.slice(1));
    switch (node.k) {
      case 'field':
        return { k: 'field', pos, idents: [...node.idents, ...fields] };
      case 'variable':
        return { k: 'variable', pos, idents: [...node.idents, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(
          `unexpected . after term ${JSON.stringify(node.k === 'string' ? node.quoted : node.k === 'dot' ? '.' : node.k === 'nil' ? 'nil' : node.k === 'bool' ? String(node.value) : node.text)}`,
        );
      default:
        return { k: 'chain', pos, node, fields };
    }
  }

  function term(): Arg | undefined {
    const t = nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!hasFunction(t.val)) fail(`function ${JSON.stringify(t.val)} not defined`);
        return { k: 'identifier', pos: t.pos, name: t.val };
      case 'dot':
        return { k: 'dot', pos: t.pos };
      case 'nil':
        return { k: 'nil', pos: t.pos };
      case 'variable': {
        if (!vars.includes(t.val)) fail(`undefined variable ${JSON.stringify(t.val)}`);
        return { k: 'variable', pos: t.pos, idents: [t.val] };
      }
      case 'field':
        return { k: 'field', pos: t.pos, idents: [t.val.slice(1)] };
      case 'bool':
        return { k: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charconst':
      case 'number':
        return number(t);
      case 'leftParen':
        return { k: 'pipe', pos: t.pos, pipe: pipeline('parenthesized pipeline', 'rightParen') };
      case 'string':
      case 'rawString': {
        let value: string;
        try {
          value = t.type === 'rawString' ? t.val.slice(1, -1).replace(/\r/g, '') : goUnquote(t.val);
        } catch (e) {
          return fail((e as Error).message);
        }
        return { k: 'string', pos: t.pos, quoted: t.val, value };
      }
    }
    backup();
    return undefined;
  }

  function number(t: Item): Arg {
    if (t.type === 'charconst') {
      let c: string;
      try {
        c = goUnquote(`"${t.val.slice(1, -1).replace(/^"$/, '\\"')}"`);
      } catch {
        return fail(`malformed character constant: ${t.val}`);
      }
      if ([...c].length !== 1) fail(`malformed character constant: ${t.val}`);
      return { k: 'number', pos: t.pos, text: t.val, value: c.codePointAt(0)!, isFloat: false };
    }
    const text = t.val.replace(/_/g, '');
    if (text.endsWith('i')) fail(`complex numbers are not supported: ${t.val}`);
    const neg = text.startsWith('-');
    const body = text.replace(/^[+-]/, '');
    let value: number;
    let isFloat = false;
    if (/^0[xX]/.test(body) && /[pP.]/.test(body)) {
      value = hexFloat(body);
      isFloat = true;
    } else if (/^0[xX]/.test(body)) value = Number.parseInt(body.slice(2), 16);
    else if (/^0[bB]/.test(body)) value = Number.parseInt(body.slice(2), 2);
    else if (/^0[oO]/.test(body)) value = Number.parseInt(body.slice(2), 8);
    else if (/^0[0-7]+$/.test(body)) value = Number.parseInt(body.slice(1), 8);
    else {
      value = Number(body);
      isFloat = /[.eE]/.test(body);
    }
    if (Number.isNaN(value)) fail(`illegal number syntax: ${JSON.stringify(t.val)}`);
    return { k: 'number', pos: t.pos, text: t.val, value: neg ? -value : value, isFloat };
  }

  parseTop();
  return trees;
}

function hexFloat(s: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s);
  if (!m) return Number.NaN;
  const frac = m[2] ?? '';
  const mant = Number.parseInt((m[1] ?? '') + frac || '0', 16);
  return mant * 2 ** (Number(m[3] ?? 0) - 4 * frac.length);
}
