/** @module util/go-template/lexer: Go's text/template/parse lexer (lex.go): text, delimiters, trim markers, action tokens. */

export type ItemType =
  | 'error'
  | 'bool'
  | 'char'
  | 'charconst'
  | 'assign'
  | 'declare'
  | 'eof'
  | 'field'
  | 'identifier'
  | 'leftDelim'
  | 'leftParen'
  | 'number'
  | 'pipe'
  | 'rawString'
  | 'rightDelim'
  | 'rightParen'
  | 'space'
  | 'string'
  | 'text'
  | 'variable'
  | 'keyword'
  | 'dot'
  | 'nil';

export interface Item {
  type: ItemType;
  val: string;
  /** Byte offset (UTF-16 index here) in the input. */
  pos: number;
  /** 1-based line of the item's start. */
  line: number;
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'template', 'with']);
const SPACE_CHARS = ' \t\r\n';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlphaNumeric = (c: string): boolean => c === '_' || /[\p{L}\p{Nd}]/u.test(c);

/** Go's %#U of a character, used in lexer errors. */
export function goCharU(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return /\p{L}|\p{N}|\p{P}|\p{S}|\p{Zs}/u.test(c) ? `U+${hex} '${c}'` : `U+${hex}`;
}

/** Splits a template into Go's items; the last is `eof` or `error`. */
export function lex(input: string, leftDelim = '{{', rightDelim = '}}'): Item[] {
  const ld = leftDelim || '{{';
  const rd = rightDelim || '}}';
  const items: Item[] = [];
  let pos = 0;
  let start = 0;
  let line = 1;
  let startLine = 1;
  const emit = (type: ItemType): void => {
    items.push({ type, val: input.slice(start, pos), pos: start, line: startLine });
    startLine = line;
    start = pos;
  };
  const ignore = (): void => {
    start = pos;
    startLine = line;
  };
  const fail = (msg: string): Item[] => {
    items.push({ type: 'error', val: msg, pos: start, line: startLine });
    return items;
  };
  const advance = (to: number): void => {
    line += count(input.slice(pos, to), '\n');
    pos = to;
  };
  const hasLeftTrim = (at: number): boolean => input[at] === '-' && isSpace(input[at + 1]);
  const hasRightTrim = (at: number): boolean => isSpace(input[at]) && input[at + 1] === '-';
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrim(pos) && input.startsWith(rd, pos + 2)) return { delim: true, trim: true };
    return { delim: input.startsWith(rd, pos), trim: false };
  };

  for (;;) {
    // Text up to the next left delimiter.
    const x = input.indexOf(ld, pos);
    if (x < 0) {
      advance(input.length);
      if (pos > start) emit('text');
      emit('eof');
      return items;
    }
    let textEnd = x;
    if (hasLeftTrim(x + ld.length)) {
      while (textEnd > start && SPACE_CHARS.includes(input[textEnd - 1]!)) textEnd--;
    }
    advance(textEnd);
    if (pos > start) emit('text');
    advance(x);
    ignore();
    // The left delimiter.
    advance(pos + ld.length);
    const trimLeft = hasLeftTrim(pos);
    const after = trimLeft ? 2 : 0;
    if (input.startsWith('/*', pos + after)) {
      advance(pos + after);
      ignore();
      const i = input.indexOf('*/', pos + 2);
      if (i < 0) return fail('unclosed comment');
      advance(i + 2);
      const { delim, trim } = atRightDelim();
      if (!delim) return fail('comment ends before closing delimiter');
      advance(pos + (trim ? 2 : 0) + rd.length);
      if (trim) while (isSpace(input[pos])) advance(pos + 1);
      ignore();
      continue;
    }
    emit('leftDelim');
    advance(pos + after);
    ignore();
    let parenDepth = 0;
    // Inside the action.
    for (;;) {
      const { delim, trim } = atRightDelim();
      if (delim) {
        if (parenDepth !== 0) return fail('unclosed left paren');
        if (trim) {
          advance(pos + 2);
          ignore();
        }
        advance(pos + rd.length);
        emit('rightDelim');
        if (trim) {
          while (isSpace(input[pos])) advance(pos + 1);
          ignore();
        }
        break;
      }
      const r = input[pos];
      if (r === undefined) return fail('unclosed action');
      if (isSpace(r)) {
        while (isSpace(input[pos]) && !(hasRightTrim(pos) && input.startsWith(rd, pos + 2))) advance(pos + 1);
        if (pos > start) emit('space');
        continue;
      }
      advance(pos + 1);
      if (r === '=') emit('assign');
      else if (r === ':') {
        if (input[pos] !== '=') return fail('expected :=');
        advance(pos + 1);
        emit('declare');
      } else if (r === '|') emit('pipe');
      else if (r === '"') {
        for (;;) {
          const c = input[pos];
          if (c === '\\' && input[pos + 1] !== undefined && input[pos + 1] !== '\n') advance(pos + 2);
          else if (c === undefined || c === '\n') return fail('unterminated quoted string');
          else if (c === '"') break;
          else advance(pos + 1);
        }
        advance(pos + 1);
        emit('string');
      } else if (r === '`') {
        const i = input.indexOf('`', pos);
        if (i < 0) return fail('unterminated raw quoted string');
        advance(i + 1);
        emit('rawString');
      } else if (r === '$' || (r === '.' && !/[0-9]/.test(input[pos] ?? ''))) {
        // A variable ($x, or $ alone) or a field (.X, or . alone).
        while (pos < input.length && isAlphaNumeric(input[pos]!)) advance(pos + 1);
        if (r === '.' && pos === start + 1) {
          emit('dot');
          continue;
        }
        if (!atTerminator()) return fail(`bad character ${goCharU(input[pos]!)}`);
        emit(r === '$' ? 'variable' : 'field');
      } else if (r === "'") {
        for (;;) {
          const c = input[pos];
          if (c === '\\' && input[pos + 1] !== undefined && input[pos + 1] !== '\n') advance(pos + 2);
          else if (c === undefined || c === '\n') return fail('unterminated character constant');
          else if (c === "'") break;
          else advance(pos + 1);
        }
        advance(pos + 1);
        emit('charconst');
      } else if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
        advance(pos - 1);
        const m =
          /^[+-]?(?:0[xX][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?(?:[pP][+-]?[0-9_]+)?|0[bB][01_]*|0[oO][0-7_]*|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)i?/.exec(
            input.slice(pos),
          );
        advance(pos + (m?.[0].length ?? 0));
        if (pos < input.length && isAlphaNumeric(input[pos]!)) {
          advance(pos + 1);
          return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos))}`);
        }
        if (pos === start || /^[+-]?\.?$/.test(input.slice(start, pos)))
          return fail(`bad number syntax: ${JSON.stringify(input.slice(start, pos + (pos === start ? 1 : 0)))}`);
        emit('number');
      } else if (isAlphaNumeric(r)) {
        while (pos < input.length && isAlphaNumeric(input[pos]!)) advance(pos + 1);
        const word = input.slice(start, pos);
        if (!atTerminator()) return fail(`bad character ${goCharU(input[pos]!)}`);
        if (KEYWORDS.has(word)) emit('keyword');
        else if (word === 'true' || word === 'false') emit('bool');
        else if (word === 'nil') emit('nil');
        else emit('identifier');
      } else if (r === '(') {
        emit('leftParen');
        parenDepth++;
      } else if (r === ')') {
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) return fail(`unexpected right paren ${goCharU(r)}`);
      } else if (r <= '\x7f' && r >= ' ') emit('char');
      else {
        const c = String.fromCodePoint(input.codePointAt(pos - 1)!);
        return fail(`unrecognized character in action: ${goCharU(c)}`);
      }
    }
  }

  function atTerminator(): boolean {
    const c = input[pos];
    if (c === undefined || isSpace(c)) return true;
    if ('.,|:()'.includes(c)) return true;
    return input.startsWith(rd, pos);
  }
}

function count(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}
