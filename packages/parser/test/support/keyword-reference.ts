/**
 * Reads the reference table of accepted Caddyfile keywords (fixtures/caddyfile-keywords.md, a copy of
 * ../shared/reference/caddyfile-keywords.md refreshed by `pnpm conformance:refresh`) into keyword entries.
 *
 * The table is prose with a regular shape: headings, paragraphs that open a context ("`transport http { ... }`:"),
 * bullets whose text starts with a code span (the keyword is its first word), nested bullets under a bullet, and
 * inline blocks `{ a ...; b ... }` inside a code span. Each keyword keeps the chain that leads to it, so a test can
 * place it in a Caddyfile where the adapter would read it.
 */
import { readFileSync } from 'node:fs';

/** One keyword of the reference and where it was found. */
export interface RefKeyword {
  /** The heading or opening paragraph the keyword is listed under (its first 60 characters). */
  context: string;
  /** Keywords of the enclosing bullets and inline blocks, outermost first. */
  parents: string[];
  /** How it is listed: a nested bullet, or a key of an inline block `{ a; b }` of its parent's code span. */
  via: 'bullet' | 'inline';
  /**
   * Whether each parent (and, last, the keyword itself) is a value written on its parent's line (`dynamic a`,
   * `output file`, `redir <to> permanent`) rather than a key of its parent's block: a nested bullet under a bullet
   * that says "one of:", "Sources:", "Policies:", "Writers:", "Encoders:", "Filters:" or "Loaders:".
   */
  values: boolean[];
  name: string;
  /** 1-based line in the reference file. */
  line: number;
}

/** A bullet whose nested bullets are values of its keyword, not keys of its block. */
const VALUE_LIST = /one of:|(?:Sources|Policies|Writers|Encoders|Filters|Loaders):/;

export const REFERENCE = new URL('../fixtures/caddyfile-keywords.md', import.meta.url);

/** First word of a code span (`a [<x>]` -> a), when it is a keyword (lowercase letters, digits and `_`). */
function keywordOf(code: string): string | undefined {
  const w = /^[a-z0-9_]+/.exec(code.trim())?.[0];
  return w && /[a-z]/.test(w) ? w : undefined;
}

/** Splits `s` at `sep` outside braces. */
function splitTop(s: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    if (ch === sep && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** The content of the first top-level `{ ... }` of a code span, if any. */
function firstBlock(code: string): string | undefined {
  const open = code.indexOf('{');
  if (open < 0) return undefined;
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    if (code[i] === '}' && --depth === 0) return code.slice(open + 1, i);
  }
  return undefined;
}

/** Keys of the inline blocks `{ a ...; b { c } }` of a code span, each with the chain of its owners. */
function inlineKeys(code: string, owners: string[]): { owners: string[]; key: string }[] {
  const block = firstBlock(code);
  if (block === undefined) return [];
  return splitTop(block, ';').flatMap((part) => {
    const key = keywordOf(part);
    if (key === undefined) return [];
    return [{ owners, key }, ...inlineKeys(part.trim().slice(key.length), [...owners, key])];
  });
}

/** Every keyword the reference lists, in file order. */
export function readReference(text = readFileSync(REFERENCE, 'utf8')): RefKeyword[] {
  const out: RefKeyword[] = [];
  let context = '';
  let stack: { indent: number; name: string; text: string; value: boolean }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const bullet = /^( *)- (.*)$/.exec(raw);
    if (!bullet) {
      if (/^#+ /.test(raw) || /^`[^`]+`/.test(raw) || /^\S.*:$/.test(raw)) {
        context = raw.slice(0, 60);
        stack = [];
      }
      return;
    }
    const indent = bullet[1]!.length;
    const body = bullet[2]!;
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const named = stack.filter((s) => s.name !== '');
    const parents = named.map((s) => s.name);
    const parentValues = named.map((s) => s.value);
    const isValue = VALUE_LIST.test(stack[stack.length - 1]?.text ?? '');
    // "`a <x>` or `b <y>`", "`a`, `b`, `c`" and "`a|b <x>`" list several keywords on one bullet.
    const codes: string[] = [];
    const lead = /^(?:or )?\*?\*?`([^`]+)`/.exec(body);
    if (lead) {
      codes.push(lead[1]!);
      const more = /^\s*(?:,|or|,\s*or|together with)\s*`([^`]+)`/y;
      let rest = body.slice(lead[0].length);
      for (let m = more.exec(rest); m; m = more.exec(rest)) {
        codes.push(m[1]!);
        rest = rest.slice(m[0].length);
        more.lastIndex = 0;
      }
    }
    let name: string | undefined;
    for (const code of codes) {
      const word = code.trim().split(/\s/)[0]!;
      for (const alt of word.split('|')) {
        const k = keywordOf(alt);
        if (k === undefined || alt !== k) continue;
        name ??= k;
        out.push({ context, parents, via: 'bullet', values: [...parentValues, isValue], name: k, line });
        for (const { owners, key } of inlineKeys(code.trim().slice(word.length), [...parents, k])) {
          out.push({
            context,
            parents: owners,
            via: 'inline',
            values: [...parentValues, isValue, ...owners.slice(parents.length + 1).map(() => false), false],
            name: key,
            line,
          });
        }
      }
    }
    // "Output: `output <writer>`. Writers:" names the keyword its nested bullets belong to.
    const label = /^[A-Z][\w ]*: `([^`]+)`/.exec(body)?.[1];
    stack.push({
      indent,
      name: name ?? (label === undefined ? '' : (keywordOf(label) ?? '')),
      text: body,
      value: isValue,
    });
  });
  return out;
}

/** Rows of the tables under a heading starting with `heading`: each row's cells, code spans unwrapped. */
export function readTable(heading: string, text = readFileSync(REFERENCE, 'utf8')): string[][] {
  const rows: string[][] = [];
  let inside = false;
  for (const raw of text.split('\n')) {
    if (/^#+ /.test(raw)) inside = raw.replace(/^#+ /, '').startsWith(heading);
    if (!inside || !raw.startsWith('| `')) continue;
    rows.push(
      raw
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** The code spans of a table cell or a line (`a` / `b` -> [a, b]). */
export function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

/** The 43 registered directives the reference lists in its section 1.2 ("There are N: `a`, `b` ..."). */
export function readDirectives(text = readFileSync(REFERENCE, 'utf8')): string[] {
  const section = text.slice(text.indexOf('### 1.2'), text.indexOf('\n---', text.indexOf('### 1.2')));
  const names = section.split('\n').flatMap((l) => {
    const list = /There are \d+:(.*)$/.exec(l)?.[1];
    if (list !== undefined) return codeSpans(list).filter((c) => /^[a-z_]+$/.test(c));
    const special = /^ {2}- `([a-z_]+)`/.exec(l)?.[1];
    return special === undefined ? [] : [special];
  });
  return [...new Set(names)];
}
