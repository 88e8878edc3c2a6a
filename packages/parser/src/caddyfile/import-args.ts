/**
 * @module import-args: substitution of `{args[N]}`, `{args[i:j]}`, `{block}` and `{blocks.KEY}` in imported
 * tokens (Caddy's `importargs.go` and the per-token loop of `doImport`).
 */
import { isNextOnNewLine, type Token } from './token.js';

/** What an import supplies to the tokens it brings in. */
export interface ImportArgs {
  args: string[];
  blockTokens: Token[];
  blockMapping: Map<string, Token[]>;
}

/** Reports a problem that Caddy only logs as a warning. */
export type Warn = (message: string, token: Token) => void;

const VARIADIC = /^\{args\[(\d*):(\d*)\]\}$/;

/** Substitutes import arguments into one imported token; may give zero, one or many tokens. */
export function substituteToken(t: Token, a: ImportArgs, warn: Warn): Token[] {
  if (t.text === '{block}') return a.blockTokens;
  if (t.text.startsWith('{blocks.') && t.text.endsWith('}')) {
    return a.blockMapping.get(t.text.slice('{blocks.'.length, -1)) ?? [];
  }
  const variadic = parseVariadic(t, a.args.length, warn);
  if (variadic) return a.args.slice(variadic[0], variadic[1]).map((text) => ({ ...t, text }));
  return [{ ...t, text: replaceArgs(t, a.args, warn) }];
}

/** `{args[i:j]}` as the whole token: the slice bounds, or undefined when not variadic or invalid. */
function parseVariadic(t: Token, argCount: number, warn: Warn): [number, number] | undefined {
  const text = t.text;
  if (!text.startsWith('{args[') || !text.endsWith(']}')) return undefined;
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  // A `}` before the colon or a `{` after it means this is not one placeholder but
  // several (`{args[0]}{args[1:]}`), as Caddy reads it.
  if (text.slice(0, colon).includes('}') || text.slice(colon).includes('{')) return undefined;
  const m = VARIADIC.exec(text);
  if (!m) {
    warn(`Variadic placeholder ${text} has an invalid index`, t);
    return undefined;
  }
  const start = m[1] === '' ? 0 : Number(m[1]);
  const end = m[2] === '' ? argCount : Number(m[2]);
  if (start < 0 || end > argCount || start > end) {
    warn(`Variadic placeholder ${text} indices are out of bounds, only ${argCount} argument(s) exist`, t);
    return undefined;
  }
  return [start, end];
}

/**
 * Caddy's `makeArgsReplacer(args).ReplaceKnown(text, "")`: replaces `{args[N]}` and `{args.N}` anywhere in
 * the text; as the runtime replacer does, `\{` and `\}` lose their backslash, and unknown placeholders stay.
 */
export function replaceArgs(t: Token, args: readonly string[], warn: Warn): string {
  const text = t.text;
  if (!text.includes('{') && !text.includes('}')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\\' && (text[i + 1] === '{' || text[i + 1] === '}')) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 1);
    if (close < 0) {
      out += text.slice(i);
      break;
    }
    const key = text.slice(i + 1, close);
    const value = argValue(key, args, t, warn);
    out += value ?? text.slice(i, close + 1);
    i = close + 1;
  }
  return out;
}

function argValue(key: string, args: readonly string[], t: Token, warn: Warn): string | undefined {
  let index: string | undefined;
  if (key.startsWith('args[') && key.endsWith(']')) index = key.slice(5, -1);
  else if (key.startsWith('args.')) index = key.slice(5);
  if (index === undefined) return undefined;
  if (index.includes(':')) {
    warn(`Variadic placeholder {${key}} must be a token on its own`, t);
    return undefined;
  }
  if (!/^\d+$/.test(index)) {
    warn(`Placeholder {${key}} has an invalid index`, t);
    return undefined;
  }
  const n = Number(index);
  if (n >= args.length) {
    warn(`Placeholder {${key}} is out of range with only ${args.length} argument(s)`, t);
    return undefined;
  }
  return args[n];
}

/**
 * Splits an import's block into `{blocks.KEY}` values: for each first-level line, the first token is the key
 * and the value is the rest of the line plus the tokens inside the block it opens (outer braces excluded).
 */
export function blockMappingOf(block: readonly Token[]): Map<string, Token[]> {
  const mapping = new Map<string, Token[]>();
  let i = 0;
  while (i < block.length) {
    const key = block[i]!;
    const value: Token[] = [];
    let j = i + 1;
    let depth = 0;
    for (; j < block.length; j++) {
      const t = block[j]!;
      const brace = t.quote === '' ? t.text : '';
      if (depth === 0 && isNextOnNewLine(block[j - 1]!, t) && brace !== '}') break;
      if (brace === '{') {
        depth++;
        if (depth === 1) continue;
      } else if (brace === '}') {
        depth--;
        if (depth === 0) continue;
      }
      value.push(t);
    }
    mapping.set(key.text, value);
    i = j;
  }
  return mapping;
}
