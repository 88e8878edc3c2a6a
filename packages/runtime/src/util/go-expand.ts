/** @module util/go-expand: Go's regexp replacement templates ($1, ${1}, $name, ${name}, $$). */

/**
 * Replaces every match of `re` (a global RegExp) in `s` with `template` expanded as Go's
 * Regexp.ReplaceAllString expands it: "$$" is "$"; "$name" takes the longest run of letters, digits and
 * "_" as the name (so "$1x" is the group named "1x"); a number names a group by index; a group that is
 * absent or did not take part gives ""; a "$" not followed by a name is kept.
 */
export function goReplaceAll(s: string, re: RegExp, template: string): string {
  if (!template.includes('$')) return s.replace(re, () => template);
  return s.replace(re, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const groups = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    const end = groups ? args.length - 3 : args.length - 2;
    const indexed = args.slice(0, end) as Array<string | undefined>;
    return expand(template, indexed, groups);
  });
}

/** Expands a Go replacement template for one match (`indexed`: the match and its groups by index). */
export function expand(
  template: string,
  indexed: Array<string | undefined>,
  groups: Record<string, string | undefined> | undefined,
): string {
  let out = '';
  let t = template;
  for (;;) {
    const d = t.indexOf('$');
    if (d < 0) break;
    out += t.slice(0, d);
    t = t.slice(d + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const m = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(t);
    if (!m) {
      out += '$';
      continue;
    }
    t = t.slice(m[0].length);
    const name = (m[1] ?? m[2])!;
    if (/^\d+$/.test(name) && !(name.length > 1 && name.startsWith('0')) && name.length <= 8)
      out += indexed[Number(name)] ?? '';
    else out += groups?.[name] ?? '';
  }
  return out + t;
}
