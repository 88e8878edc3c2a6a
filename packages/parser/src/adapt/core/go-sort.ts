/**
 * @module go-sort: Go's `sort.SliceStable` (insertion sort in blocks of 20, then SymMerge). Caddy's comparators are
 * not always strict orders (vars sorting, error routes), so the exact algorithm decides the result.
 */

/** Sorts `data` in place exactly as Go's `sort.SliceStable(data, less)` would. */
export function sliceStable<T>(data: T[], less: (a: T, b: T) => boolean): void {
  const n = data.length;
  if (n <= 20) {
    // One insertion-sorted block and nothing to merge: the common short list, without the helpers below.
    for (let i = 1; i < n; i++) {
      for (let j = i; j > 0 && less(data[j]!, data[j - 1]!); j--) {
        const t = data[j]!;
        data[j] = data[j - 1]!;
        data[j - 1] = t;
      }
    }
    return;
  }
  const lessAt = (i: number, j: number) => less(data[i]!, data[j]!);
  const swap = (i: number, j: number) => {
    const t = data[i]!;
    data[i] = data[j]!;
    data[j] = t;
  };
  const insertion = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessAt(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, k: number) => {
    for (let i = 0; i < k; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessAt(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessAt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const nn = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = nn - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = nn - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessAt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = nn - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertion(a, b);
    a = b;
    b += blockSize;
  }
  insertion(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

/**
 * Compares two strings by their UTF-8 bytes, as Go compares strings (sign only). UTF-16 code units order
 * the same way except around surrogates, which take the encoding path (so do lone ones, encoded as U+FFFD).
 */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x < 0xd800 || x > 0xdfff) && (y < 0xd800 || y > 0xdfff)) return x - y;
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
  }
  const last = n > 0 ? a.charCodeAt(n - 1) : 0;
  if (last >= 0xd800 && last <= 0xdbff) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a.length - b.length;
}

/** Go's `len` of a string: its UTF-8 byte length (a lone surrogate counts as U+FFFD, 3 bytes). */
export function byteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** Byte-wise string comparison (Go's `<` on strings). */
export function goLess(a: string, b: string): boolean {
  return compareBytes(a, b) < 0;
}

/** Go's `sort.Strings`, returning a new array. */
export function sortStrings(xs: Iterable<string>): string[] {
  const out = [...xs];
  for (let i = 1; i < out.length; i++) {
    // Sorting copies the list even when it is in order already, as it often is.
    if (compareBytes(out[i - 1]!, out[i]!) > 0) return out.sort(compareBytes);
  }
  return out;
}
