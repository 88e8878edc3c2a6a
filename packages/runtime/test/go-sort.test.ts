/** goSort reorders equal elements exactly as Go's sort.Sort does (orders captured from Caddy's browse). */
import { describe, expect, it } from 'vitest';
import { goSort } from '../src/util/go-sort.js';

// Sizes of 60 files in directory order, and the order Caddy 2.6.2 (Go 1.19) listed them with sort=size.
const SIZES = [
  3, 2, 1, 1, 4, 2, 1, 1, 2, 4, 2, 2, 3, 1, 2, 3, 2, 3, 2, 1, 2, 3, 3, 3, 4, 1, 2, 4, 4, 3, 3, 2, 3, 1, 3, 3, 4, 4, 3,
  1, 1, 2, 4, 4, 3, 4, 1, 4, 2, 4, 4, 4, 1, 2, 3, 1, 1, 1, 4, 2,
];
const ASC = [
  52, 2, 55, 3, 39, 40, 6, 7, 25, 57, 46, 19, 56, 13, 33, 8, 48, 53, 18, 11, 20, 31, 16, 10, 41, 1, 26, 5, 59, 14, 29,
  21, 32, 0, 34, 35, 12, 15, 38, 54, 17, 30, 22, 23, 44, 45, 43, 47, 42, 49, 50, 51, 24, 27, 28, 37, 36, 9, 58, 4,
];
const DESC = [
  24, 58, 51, 50, 4, 49, 47, 45, 43, 9, 42, 37, 36, 28, 27, 44, 30, 17, 54, 0, 38, 21, 22, 23, 15, 12, 35, 34, 32, 29,
  14, 31, 59, 1, 16, 26, 18, 11, 20, 53, 5, 41, 10, 8, 48, 7, 52, 6, 19, 40, 3, 2, 46, 39, 25, 55, 56, 57, 33, 13,
];

describe('goSort', () => {
  it('gives the order Go gives, ties included', () => {
    const asc = SIZES.map((_, i) => i);
    goSort(asc, (a, b) => SIZES[a]! < SIZES[b]!);
    expect(asc).toEqual(ASC);
    const desc = SIZES.map((_, i) => i);
    goSort(desc, (a, b) => SIZES[b]! < SIZES[a]!);
    expect(desc).toEqual(DESC);
  });

  it('sorts larger inputs (heap sort fallback, pattern breaking)', () => {
    const n = 5000;
    const items = Array.from({ length: n }, (_, i) => (i * 7919) % 1013);
    goSort(items, (a, b) => a < b);
    for (let i = 1; i < n; i++) expect(items[i - 1]! <= items[i]!).toBe(true);
    const rev = Array.from({ length: n }, (_, i) => n - i);
    goSort(rev, (a, b) => a < b);
    expect(rev[0]).toBe(1);
    expect(rev[n - 1]).toBe(n);
  });
});
