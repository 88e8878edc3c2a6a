/** @module format: `format(text)`, a character-for-character port of `caddy fmt` (Caddy 2.6.2 `caddyfile/formatter.go`). */

import { isGoSpace, trimGoSpace } from './go-space.js';

/** Caddy stops indenting deeper than this many levels (absurd inputs must not nest forever). */
const MAX_NESTING = 10;

/**
 * Formats a Caddyfile exactly as `caddy fmt` of Caddy 2.6.2 does: it reads the input one code point at a time and
 * takes control of braces and white space, while words, comments, quoted segments and escapes are copied as they are.
 *
 * It is a raw-character formatter, not a tokenizer, and copies Caddy's quirks on purpose:
 * - `#` starts a comment wherever it appears outside quotes and escapes, even in the middle of a word (`a#b  c`
 *   keeps the rest of the line verbatim, spaces included).
 * - Only `"` quotes (and only at the start of a word); backticks and heredocs (`<<EOF`) are not special, so their
 *   contents are reformatted like any other words.
 * - A `{` is held back until the next non-space character decides whether it is a block opener (`a {b}` stays as is,
 *   while `a {` + newline opens a block); a `{` still pending at the end of the input is dropped.
 * - A `}` preceded by white space closes a block on its own line. A glued `}` does too, unless a `{` is still
 *   pending: after a word that began with `{` (`{path}`), glued `}` stay in their words until the next block opener.
 * - Blank lines collapse to one, but none is added between top-level blocks, except when a word follows `}` on the
 *   same line.
 *
 * Like `caddy fmt`, it is idempotent on well-formed Caddyfiles but not on every input: a top-level `{` glued to a word
 * ending in `}` (`{$SITE}{`), unbalanced braces or a `{` before a `\` change again on a second pass. Being a
 * byte-exact clone, format(format(x)) still equals `caddy fmt` run twice there.
 *
 * Lone UTF-16 surrogates are replaced by U+FFFD first, as Go does when it reads bytes that are not valid UTF-8.
 * The work is one pass over the input, with output at most a small constant factor larger (indentation is capped).
 */
export function format(text: string): string {
  const f = new Formatter();
  for (const ch of trimGoSpace(text)) f.feed(isLoneSurrogate(ch) ? '\uFFFD' : ch);
  // Caddyfiles need no leading or trailing space, but end with a newline because newlines are significant.
  return `${trimGoSpace(f.out)}\n`;
}

/** Whether a code point from `for...of` is half of a broken surrogate pair (pairs arrive as one 2-unit string). */
function isLoneSurrogate(ch: string): boolean {
  const unit = ch.charCodeAt(0);
  return ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff;
}

/** The state of formatter.go's loop, one field per Go local variable. */
class Formatter {
  out = '';
  /** The last character written to `out`. */
  private last = '';
  /** Whether the current or previous character was space (the start of the input counts as space). */
  private space = true;
  /** Whether nothing but indentation has been written on the current output line. */
  private beginningOfLine = true;
  /** Whether the current word is or started with `{`. */
  private openBrace = false;
  /** If `openBrace`, whether that brace was written yet. */
  private openBraceWritten = false;
  /** Whether a same-line space preceded the `{` (it was written already). */
  private openBraceSpace = false;
  /** Newlines consumed since the last word, written later (at most 2, i.e. one blank line). */
  private newLines = 0;
  private comment = false;
  private quoted = false;
  private escaped = false;
  /** Indentation level. */
  private nesting = 0;

  private write(ch: string): void {
    this.out += ch;
    this.last = ch;
  }

  private indent(): void {
    for (let tabs = this.nesting; tabs > 0; tabs--) this.write('\t');
  }

  private nextLine(): void {
    this.write('\n');
    this.beginningOfLine = true;
  }

  /** Processes one code point (the body of formatter.go's `for` loop; `return` is Go's `continue`). */
  feed(ch: string): void {
    if (this.comment) {
      // A comment runs verbatim (trailing spaces and `\r` included) to the end of the line.
      if (ch === '\n') {
        this.comment = false;
        this.space = true;
        this.nextLine();
      } else {
        this.write(ch);
      }
      return;
    }

    if (!this.escaped && ch === '\\') {
      // Quirk: pending newlines are not flushed here, so `a\n\b c` becomes `a \b` + newline + `c`.
      if (this.space) {
        this.write(' ');
        this.space = false;
      }
      this.write(ch);
      this.escaped = true;
      return;
    }

    if (this.escaped) {
      // The escaped character is copied as is, even a newline (written without starting a new line).
      this.write(ch);
      this.escaped = false;
      return;
    }

    if (this.quoted) {
      if (ch === '"') this.quoted = false;
      this.write(ch);
      return;
    }

    // A quote opens a quoted segment only at the start of a word; the `"` itself goes through the regular path below.
    if (this.space && ch === '"') this.quoted = true;

    const cp = ch.codePointAt(0) ?? 0;
    if (isGoSpace(cp)) {
      this.space = true;
      if (ch === '\n') this.newLines++;
      return;
    }
    const spacePrior = this.space;
    this.space = false;

    // From here on the character is a "regular" one: not space, not in a comment or quotes, not escaped.

    // Quirk: `#` starts a comment anywhere, even mid-word; it is still written by the code below.
    if (ch === '#') this.comment = true;

    // A `{` followed by white space was a block opener: write it (on the current line) and indent.
    if (this.openBrace && spacePrior && !this.openBraceWritten) {
      if (this.nesting === 0 && this.last === '}') {
        this.nextLine();
        this.nextLine();
      }
      this.openBrace = false;
      if (this.beginningOfLine) {
        this.indent();
      } else if (!this.openBraceSpace) {
        this.write(' ');
      }
      this.write('{');
      this.openBraceWritten = true;
      this.nextLine();
      this.newLines = 0;
      if (this.nesting < MAX_NESTING) this.nesting++;
    }

    if (ch === '{') {
      this.openBrace = true;
      this.openBraceWritten = false;
      this.openBraceSpace = spacePrior && !this.beginningOfLine;
      if (this.openBraceSpace) this.write(' ');
      return;
    }

    if (ch === '}' && (spacePrior || !this.openBrace)) {
      if (this.last !== '\n') this.nextLine();
      if (this.nesting > 0) this.nesting--;
      this.indent();
      this.write('}');
      // Quirk: `beginningOfLine` stays true after a `}`, so a word after `}` on the same line gets its own line
      // (and a blank line before it at the top level).
      this.newLines = 0;
      return;
    }

    for (let i = Math.min(this.newLines, 2); i > 0; i--) this.nextLine();
    this.newLines = 0;
    if (this.beginningOfLine) this.indent();
    if (this.nesting === 0 && this.last === '}' && this.beginningOfLine) {
      this.nextLine();
      this.nextLine();
    }

    if (!this.beginningOfLine && spacePrior) this.write(' ');

    if (this.openBrace && !this.openBraceWritten) {
      this.write('{');
      this.openBraceWritten = true;
    }
    this.write(ch);

    this.beginningOfLine = false;
  }
}
