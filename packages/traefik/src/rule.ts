/**
 * @module rule: Traefik v3 router rules (`HostSNI(\`a\`) && !ClientIP(\`10.0.0.0/8\`)`), parsed as Traefik's
 * predicate parser reads them: Go expressions made of matcher calls, `&&`, `||`, `!` and parentheses, `&&`
 * binding tighter than `||`; arguments are Go string literals in backticks (raw) or double quotes (escapes).
 * This module only parses; which matchers exist and what they take is checked by the caller.
 */

export type RuleExpr =
  | { kind: 'and' | 'or'; left: RuleExpr; right: RuleExpr }
  | { kind: 'not'; expr: RuleExpr }
  | { kind: 'matcher'; name: string; args: string[]; offset: number; argOffsets: number[] };

/** A rule that does not parse; `offset` is the 0-based index into the rule text. */
export class RuleSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token =
  | { t: 'ident'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: '(' | ')' | ',' | '&&' | '||' | '!' | 'end'; at: number };

function lex(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if (c === '(' || c === ')' || c === ',' || c === '!') {
      out.push({ t: c, at });
      i++;
    } else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      out.push({ t: text.slice(i, i + 2) as '&&' | '||', at });
      i += 2;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) throw new RuleSyntaxError('unterminated backtick string', at);
      out.push({ t: 'string', v: text.slice(i + 1, end), at });
      i = end + 1;
    } else if (c === '"') {
      const [v, end] = goQuoted(text, i);
      out.push({ t: 'string', v, at });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /[A-Za-z_][A-Za-z0-9_]*/y;
      m.lastIndex = i;
      const v = m.exec(text)![0];
      out.push({ t: 'ident', v, at });
      i += v.length;
    } else {
      throw new RuleSyntaxError(`unexpected character ${JSON.stringify(c)}`, at);
    }
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

/** A Go interpreted string literal starting at `start`; returns its value and the index after it. */
function goQuoted(text: string, start: number): [string, number] {
  let v = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return [v, i + 1];
    if (c === '\n') break;
    if (c !== '\\') {
      v += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && ESCAPES[e] !== undefined) {
      v += ESCAPES[e];
      i += 2;
      continue;
    }
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hex > 0 && new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(text.slice(i + 2, i + 2 + hex))) {
      v += String.fromCodePoint(parseInt(text.slice(i + 2, i + 2 + hex), 16));
      i += 2 + hex;
      continue;
    }
    if (e !== undefined && /^[0-7]{3}$/.test(text.slice(i + 1, i + 4))) {
      v += String.fromCharCode(parseInt(text.slice(i + 1, i + 4), 8));
      i += 4;
      continue;
    }
    throw new RuleSyntaxError(`invalid escape sequence in string`, i);
  }
  throw new RuleSyntaxError('unterminated double-quoted string', start);
}

/** Parses a rule; throws RuleSyntaxError with the offending offset. */
export function parseRule(text: string): RuleExpr {
  const tokens = lex(text);
  let p = 0;
  const peek = (): Token => tokens[p]!;
  const describe = (t: Token): string =>
    t.t === 'end' ? 'the end of the rule' : t.t === 'ident' || t.t === 'string' ? JSON.stringify(t.v) : `"${t.t}"`;
  const expect = (t: Token['t'], what: string): Token => {
    const tok = peek();
    if (tok.t !== t) throw new RuleSyntaxError(`expected ${what}, found ${describe(tok)}`, tok.at);
    p++;
    return tok;
  };
  const or = (): RuleExpr => {
    let left = and();
    while (peek().t === '||') {
      p++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): RuleExpr => {
    let left = unary();
    while (peek().t === '&&') {
      p++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const unary = (): RuleExpr => {
    if (peek().t === '!') {
      p++;
      return { kind: 'not', expr: unary() };
    }
    return primary();
  };
  const primary = (): RuleExpr => {
    const tok = peek();
    if (tok.t === '(') {
      p++;
      const e = or();
      expect(')', '")"');
      return e;
    }
    if (tok.t !== 'ident') throw new RuleSyntaxError(`expected a matcher, "!" or "(", found ${describe(tok)}`, tok.at);
    p++;
    expect('(', `"(" after ${tok.v}`);
    const args: string[] = [];
    const argOffsets: number[] = [];
    if (peek().t !== ')') {
      for (;;) {
        const a = expect('string', 'a string in backticks or double quotes');
        args.push((a as { v: string }).v);
        argOffsets.push(a.at);
        if (peek().t !== ',') break;
        p++;
      }
    }
    expect(')', '"," or ")"');
    return { kind: 'matcher', name: tok.v, args, offset: tok.at, argOffsets };
  };
  if (peek().t === 'end') throw new RuleSyntaxError('empty rule', 0);
  const e = or();
  if (peek().t !== 'end')
    throw new RuleSyntaxError(`expected "&&", "||" or the end of the rule, found ${describe(peek())}`, peek().at);
  return e;
}

/** Every matcher call of a rule, in source order. */
export function matchersOf(e: RuleExpr): Extract<RuleExpr, { kind: 'matcher' }>[] {
  if (e.kind === 'matcher') return [e];
  if (e.kind === 'not') return matchersOf(e.expr);
  return [...matchersOf(e.left), ...matchersOf(e.right)];
}
