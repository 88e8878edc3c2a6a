/** @module http/canonical-key: Go's textproto.CanonicalMIMEHeaderKey, the field name case Go writes and logs. */

/** Bytes Go accepts in a field name; a name with any other is left as it is. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Names seen so far (responses repeat a handful of names); bounded so odd names cannot grow it. */
const cache = new Map<string, string>();

/** The longest name cached. */
const MAX_CACHED_NAME = 64;

/** "x-forwarded-for" -> "X-Forwarded-For", "ETag" -> "Etag"; names with bytes outside a token stay as given. */
export function canonicalKey(k: string): string {
  let c = cache.get(k);
  if (c !== undefined) return c;
  c = TOKEN.test(k)
    ? k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase())
    : k;
  // Real field names are short; a long one (a fuzzer's, an attacker's) would pin its bytes in the cache.
  if (cache.size < 1024 && k.length <= MAX_CACHED_NAME) cache.set(k, c);
  return c;
}
