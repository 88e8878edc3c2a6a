/** @module go-space: Go's `unicode.IsSpace` and `bytes.TrimSpace`, which differ from JavaScript's `\s` and `trim()`. */

/**
 * Whether a code point is white space by Go's `unicode.IsSpace`: the ASCII set `\t \n \v \f \r ' '`, U+0085 (NEL),
 * U+00A0 (NBSP) and the Unicode `White_Space` characters above Latin-1. Unlike JavaScript's `\s`, U+FEFF (BOM) is not
 * space and U+0085 is.
 */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) {
    return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  }
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** `bytes.TrimSpace` for a string: drops leading and trailing code points that {@link isGoSpace} accepts. */
export function trimGoSpace(text: string): string {
  let start = 0;
  let end = text.length;
  // All Go spaces are in the BMP, so stepping by UTF-16 code units is exact (a surrogate is never space).
  while (start < end && isGoSpace(text.charCodeAt(start))) start++;
  while (end > start && isGoSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}
