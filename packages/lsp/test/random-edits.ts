/**
 * Random typing for property tests of the incremental paths: sequences of edits, each removing a few characters
 * somewhere and inserting a few pieces (braces, quotes, comments, words), applied to a text.
 */
import fc from 'fast-check';

/** One edit: where (any number, taken modulo the text's length), how many characters go, what comes in. */
export interface RandomEdit {
  at: number;
  remove: number;
  insert: string;
}

/** Sequences of 1 to 6 edits inserting up to three of `pieces` each. */
export function editSequences(pieces: string[]): fc.Arbitrary<RandomEdit[]> {
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 4 }),
    insert: fc.array(fc.constantFrom(...pieces), { maxLength: 3 }).map((xs) => xs.join('')),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 });
}

/** The text after an edit. */
export function applyEdit(text: string, e: RandomEdit): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}
