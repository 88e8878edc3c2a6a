/** @module net: Go's `net.SplitHostPort`/`JoinHostPort` and IPv6 canonical form, as Caddy uses them. */

/** Go's `net.SplitHostPort`: throws Go's error text. */
export function splitHostPort(hostport: string): [string, string] {
  const r = trySplitHostPort(hostport);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/**
 * Go's `net.SplitHostPort`, giving Go's error text instead of throwing: callers often try one form and then
 * another (a host without a port is the usual case), and building an Error for that costs more than the split.
 */
export function trySplitHostPort(hostport: string): [string, string] | string {
  const err = (why: string) => `address ${hostport}: ${why}`;
  let j = 0;
  let k = 0;
  const i = hostport.lastIndexOf(':');
  if (i < 0) return err('missing port in address');
  let host: string;
  if (hostport[0] === '[') {
    const end = hostport.indexOf(']');
    if (end < 0) return err("missing ']' in address");
    if (end + 1 === hostport.length) return err('missing port in address');
    else if (end + 1 !== i) {
      if (hostport[end + 1] === ':') return err('too many colons in address');
      return err('missing port in address');
    }
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return err('too many colons in address');
  }
  if (hostport.indexOf('[', j) >= 0) return err("unexpected '[' in address");
  if (hostport.indexOf(']', k) >= 0) return err("unexpected ']' in address");
  return [host, hostport.slice(i + 1)];
}

/** Go's `net.JoinHostPort`. */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function parseIPv4(s: string): number[] | undefined {
  // Only digits and dots can make one (most hosts are names: no need to split them).
  if (!/^[\d.]+$/.test(s)) return undefined;
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Parses an IPv6 address (with optional zone) to 8 groups, or undefined. */
export function parseIPv6(s: string): { groups: number[]; zone: string } | undefined {
  let zone = '';
  const pct = s.indexOf('%');
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return undefined;
  }
  if (!s.includes(':')) return undefined;
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  const parseSide = (side: string): number[] | undefined => {
    if (side === '') return [];
    const out: number[] = [];
    const parts = side.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const left = parseSide(s.slice(0, dbl));
    const right = parseSide(s.slice(dbl + 2));
    if (!left || !right || left.length + right.length > 7) return undefined;
    groups = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  } else {
    const all = parseSide(s);
    if (all?.length !== 8) return undefined;
    groups = all;
  }
  return { groups, zone };
}

/** Whether `s` is an IP address (v4 or v6, as netip.ParseAddr accepts). */
export function isIP(s: string): boolean {
  // An IPv6 address has a colon before any zone; an IPv4 one has none at all.
  return s.includes(':') ? parseIPv6(s) !== undefined : parseIPv4(s) !== undefined;
}

/** The canonical text of a pure IPv6 address (netip's `String()`); other input is returned unchanged. */
export function canonicalIPv6(s: string): string {
  const ip = parseIPv6(s);
  if (!ip) return s;
  const g = ip.groups;
  // IPv4-mapped addresses print in mixed form.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return `::ffff:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}${ip.zone ? '%' + ip.zone : ''}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (x: number) => x.toString(16);
  let out: string;
  if (bestStart < 0) out = g.map(hex).join(':');
  else
    out =
      g.slice(0, bestStart).map(hex).join(':') +
      '::' +
      g
        .slice(bestStart + bestLen)
        .map(hex)
        .join(':');
  return out + (ip.zone ? '%' + ip.zone : '');
}
