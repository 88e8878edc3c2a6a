import { describe, expect, it } from 'vitest';
import { Dispenser } from '@proxy/parser';

const input = `dir1 arg1 arg2
dir2 {
	sub1 a
	sub2 {
		deep x
	}
}
dir3 "quoted {" last`;

describe('Dispenser', () => {
  it('next walks every token regardless of lines', () => {
    const d = Dispenser.fromText('a b\nc');
    const seen: string[] = [];
    while (d.next()) seen.push(d.val());
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(d.next()).toBe(false);
  });
  it('nextArg stays on the line and stops before a block', () => {
    const d = Dispenser.fromText(input);
    d.next();
    expect(d.remainingArgs()).toEqual(['arg1', 'arg2']);
    expect(d.nextArg()).toBe(false);
    d.next();
    expect(d.val()).toBe('dir2');
    expect(d.nextArg()).toBe(false);
    expect(d.countRemainingArgs()).toBe(0);
  });
  it('nextLine moves only onto a new line', () => {
    const d = Dispenser.fromText('a b\nc');
    d.next();
    expect(d.nextLine()).toBe(false);
    d.next();
    expect(d.nextLine()).toBe(true);
    expect(d.val()).toBe('c');
  });
  it('nextBlock walks the first token of each line in a block, nested too', () => {
    const d = Dispenser.fromText(input);
    d.next();
    d.nextLine();
    d.remainingArgs();
    d.next();
    expect(d.val()).toBe('dir2');
    const outer: string[] = [];
    const inner: string[] = [];
    for (let n = d.nesting(); d.nextBlock(n); ) {
      outer.push(d.val());
      if (d.val() === 'sub2')
        for (let m = d.nesting(); d.nextBlock(m); ) {
          inner.push(d.val());
          d.remainingArgs();
        }
      else d.remainingArgs();
    }
    expect(outer).toEqual(['sub1', 'sub2']);
    expect(inner).toEqual(['deep']);
    expect(d.nesting()).toBe(0);
  });
  it('nextBlock returns false for an empty block and when no block opens', () => {
    const d = Dispenser.fromText('a {\n}');
    d.next();
    expect(d.nextBlock(0)).toBe(false);
    const e = Dispenser.fromText('a\nb');
    e.next();
    expect(e.nextBlock(0)).toBe(false);
    expect(e.val()).toBe('a');
  });
  it('treats a quoted brace as an argument', () => {
    const d = Dispenser.fromText(input);
    while (d.next() && d.val() !== 'dir3');
    expect(d.remainingArgs()).toEqual(['quoted {', 'last']);
    expect(d.valRaw()).toBe('last');
  });
  it('allArgs needs the exact count and restores the cursor otherwise', () => {
    const d = Dispenser.fromText('a x y');
    d.next();
    expect(d.allArgs(3)).toBeUndefined();
    expect(d.val()).toBe('a');
    expect(d.allArgs(2)).toEqual(['x', 'y']);
  });
  it('scalarVal converts like Caddy', () => {
    const d = Dispenser.fromText('a 12 1.5 true F "7" word');
    d.next();
    const vals: unknown[] = [];
    while (d.nextArg()) vals.push(d.scalarVal());
    expect(vals).toEqual([12, 1.5, true, false, '7', 'word']);
  });
  it('nextSegment takes the line and its block', () => {
    const d = Dispenser.fromText(input);
    d.next();
    d.remainingArgs();
    d.next();
    expect(d.nextSegment().map((t) => t.text)).toEqual(['dir2', '{', 'sub1', 'a', 'sub2', '{', 'deep', 'x', '}', '}']);
    const seg = Dispenser.fromText(input);
    seg.next();
    const sub = seg.newFromNextSegment();
    const all: string[] = [];
    while (sub.next()) all.push(sub.val());
    expect(all).toEqual(['dir1', 'arg1', 'arg2']);
  });
  it('delete removes the current token; reset rewinds', () => {
    const d = Dispenser.fromText('a @m b');
    d.next();
    d.next();
    d.delete();
    d.reset();
    const all: string[] = [];
    while (d.next()) all.push(d.val());
    expect(all).toEqual(['a', 'b']);
  });
  it('error helpers name the file and line like Caddy', () => {
    const d = Dispenser.fromText('a\nb');
    d.next();
    d.next();
    expect(d.argErr().message).toBe("wrong argument count or unexpected line ending after 'b', at Testfile:2");
    expect(d.err('boom').token?.range.line).toBe(2);
    expect(d.syntaxErr('{').message).toBe(
      "syntax error: unexpected token 'b', expecting '{', at Testfile:2 import chain: ['']",
    );
    expect(d.eofErr().message).toBe('unexpected EOF, at Testfile:2');
  });
});
