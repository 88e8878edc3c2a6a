/** `private_ranges`: Caddy's list, and which addresses it covers the way Go's net.ParseCIDR reads that list. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { expandPrivateRanges, PRIVATE_RANGES } from '../src/ip-ranges.js';

// caddyhttp.PrivateRangesCIDR (modules/caddyhttp/matchers.go and reverseproxy/caddyfile.go in 2.6.2).
const CADDY = ['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8', '127.0.0.1/8', 'fd00::/8', '::1'];

// Go masks the host bits of a CIDR (127.0.0.1/8 is 127.0.0.0/8); ::1 is a single address.
const rows: [string, boolean][] = [
  ['192.168.0.1', true],
  ['192.168.255.255', true],
  ['192.169.0.1', false],
  ['172.16.0.1', true],
  ['172.31.255.255', true],
  ['172.32.0.1', false],
  ['172.15.255.255', false],
  ['10.0.0.1', true],
  ['10.255.255.255', true],
  ['11.0.0.1', false],
  ['127.0.0.1', true],
  ['127.0.0.0', true],
  ['127.255.255.254', true],
  ['128.0.0.1', false],
  ['fd00::1', true],
  ['fdff:ffff::1', true],
  ['fc00::1', false],
  ['fe80::1', false],
  ['::1', true],
  ['::2', false],
  ['8.8.8.8', false],
  ['2001:db8::1', false],
];

describe('private_ranges', () => {
  it("is Caddy's list, in Caddy's order", () => expect(PRIVATE_RANGES).toEqual(CADDY));

  it('expands in place and keeps other entries', () => {
    expect(expandPrivateRanges(['1.2.3.4', 'private_ranges', '::2'])).toEqual(['1.2.3.4', ...CADDY, '::2']);
    expect(expandPrivateRanges([])).toEqual([]);
  });

  const list = new net.BlockList();
  for (const r of PRIVATE_RANGES) {
    const [ip, bits] = r.split('/') as [string, string | undefined];
    const type = net.isIPv4(ip) ? 'ipv4' : 'ipv6';
    if (bits === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(bits), type);
  }
  it.each(rows)('%s private: %s', (ip, want) => expect(list.check(ip, net.isIPv4(ip) ? 'ipv4' : 'ipv6')).toBe(want));
});
