/** @module http/ip-prefix: {http.request.remote.host/BITS}: an address masked to a prefix, printed as Go's netip.Prefix. */

/**
 * The network prefix of `host` with "24" or "24,64" (IPv4 bits, IPv6 bits) bits, as Caddy gives it: the
 * host itself when it is not an IP address, "" for bad bit counts.
 */
export function ipPrefix(host: string, bits: string): string {
  const [v4, v6] = bits.split(',', 2) as [string, string | undefined];
  const isV6 = host.includes(':');
  const b = isV6 && v6 !== undefined ? v6 : v4;
  const n = /^[+-]?\d+$/.test(b) ? Number(b) : undefined;
  if (!/^[\d.]+$/.test(host) && !isV6) return host;
  if (n === undefined) return '';
  const bytes = ipBytes(host);
  if (!bytes || n < 0 || n > bytes.length * 8) return '';
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, n - i * 8));
    bytes[i]! &= (0xff << (8 - keep)) & 0xff;
  }
  return `${formatIp(bytes)}/${n}`;
}

function ipBytes(ip: string): number[] | undefined {
  if (!ip.includes(':')) {
    const parts = ip.split('.').map(Number);
    return parts.length === 4 && parts.every((x) => Number.isInteger(x) && x >= 0 && x <= 255) ? parts : undefined;
  }
  const [head, tail] = ip.split('::', 2) as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  if (tail === undefined && h.length !== 8) return undefined;
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return undefined;
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

function formatIp(b: number[]): string {
  if (b.length === 4) return b.join('.');
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  // The longest run of zero groups (two or more) becomes "::".
  let best = -1,
    len = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > len && j - i >= 2) {
      best = i;
      len = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + len).join(':')}`;
}
