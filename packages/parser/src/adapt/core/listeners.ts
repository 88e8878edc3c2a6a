/**
 * @module listeners: which listener addresses serve which site keys (Caddy's `mapAddressToProtocolToServerBlocks`
 * and `consolidateAddrMappings`), giving the pairings that become servers srv0, srv1...
 */
import type { Token } from '../../caddyfile/token.js';
import { addressString, normalizeAddress, parseAddress, type Address } from './address.js';
import { AdaptError, messageOf } from './errors.js';
import { sortStrings } from './go-sort.js';
import type { BindValue } from './helper-impl.js';
import {
  canonicalNetworkAddress,
  isFdNetwork,
  isUnixNetwork,
  joinNetworkAddress,
  splitNetworkAddress,
} from './network.js';
import { pileOf, sameViews, type SiteBlock, type SiteView } from './site.js';

/** A listener address with the protocols served on it ("" = default). */
export interface AddressWithProtocols {
  address: string;
  protocols: string[];
}

/** One future server: its listeners and the site views it serves. */
export interface Pairing {
  addresses: AddressWithProtocols[];
  views: SiteView[];
}

/** Whether any listener's port range excludes `port` (Caddy's `listenersUseAnyPortOtherThan`); unix/fd count. */
export function listenersUseAnyPortOtherThan(listen: readonly string[], port: string): boolean {
  if (!/^[+-]?\d+$/.test(port)) return false;
  const p = Number(port);
  return listen.some((l) => {
    const m = /:(\d+)(?:-(\d+))?$/.exec(l);
    const start = m ? Number(m[1]) : 0;
    const end = m ? Number(m[2] ?? m[1]) : 0;
    return p > end || p < start;
  });
}

/** The HTTP and HTTPS ports in effect. */
export function ports(options: ReadonlyMap<string, unknown>): { httpPort: string; httpsPort: string } {
  const hp = options.get('http_port');
  const hsp = options.get('https_port');
  return {
    httpPort: typeof hp === 'number' ? String(hp) : '80',
    httpsPort: typeof hsp === 'number' ? String(hsp) : '443',
  };
}

/** Work shared by the keys of one adaptation: canonical address texts, and the listeners of unbound sites by port. */
interface ListenerCache {
  canonical: (a: string) => string;
  unbound: Map<string, Map<string, Set<string>>>;
}

function listenersFor(
  site: SiteBlock,
  addr: Address,
  options: ReadonlyMap<string, unknown>,
  cache: ListenerCache,
): ReadonlyMap<string, ReadonlySet<string>> {
  switch (addr.scheme) {
    case 'wss':
      throw new Error('the scheme wss:// is only supported in browsers; use https:// instead');
    case 'ws':
      throw new Error('the scheme ws:// is only supported in browsers; use http:// instead');
    case 'https':
    case 'http':
    case '':
      break;
    default:
      throw new Error(`unsupported URL scheme ${addr.scheme}://`);
  }
  const { httpPort, httpsPort } = ports(options);
  let lnPort = httpsPort;
  if (addr.port !== '') lnPort = addr.port;
  else if (addr.scheme === 'http') lnPort = httpPort;
  if ((addr.scheme === 'http' && lnPort === httpsPort) || (addr.scheme === 'https' && lnPort === httpPort)) {
    throw new Error(`[${addressString(addr)}] scheme and port violate convention`);
  }
  let binds = pileOf(site, 'bind').map((v) => v.value as BindValue);
  if (binds.length === 0) {
    const def = options.get('default_bind');
    if (Array.isArray(def)) binds = def.map((v) => (v as { value: BindValue }).value);
  }
  if (binds.length === 0) {
    // No bind anywhere: the same listener for every key on this port (the map is only read).
    let known = cache.unbound.get(lnPort);
    if (!known)
      cache.unbound.set(lnPort, (known = bindListeners([{ addresses: [''], protocols: undefined }], lnPort, cache)));
    return known;
  }
  return bindListeners(binds, lnPort, cache);
}

function bindListeners(binds: BindValue[], lnPort: string, cache: ListenerCache): Map<string, Set<string>> {
  const listeners = new Map<string, Set<string>>();
  for (const b of binds) {
    for (const bindAddress of b.addresses) {
      const { network, host } = splitNetworkAddress(bindAddress);
      const port = isUnixNetwork(network) || isFdNetwork(network) ? '' : lnPort;
      const key = cache.canonical(joinNetworkAddress(network, host, port));
      // Caddy checks the site address as the key but stores the listener address, so every bind resets the set.
      const set = new Set<string>();
      listeners.set(key, set);
      for (const p of b.protocols ?? []) set.add(p);
    }
  }
  return listeners;
}

/** The protocols of a listener that names none: just the default (read only). */
const DEFAULT_PROTOCOLS: ReadonlySet<string> = new Set(['']);

/** Maps listener address → protocol → site views (Caddy's `mapAddressToProtocolToServerBlocks`). */
export function mapAddresses(
  sites: SiteBlock[],
  options: ReadonlyMap<string, unknown>,
): Map<string, Map<string, SiteView[]>> {
  const out = new Map<string, Map<string, SiteView[]>>();
  // Most keys listen on the same few addresses: canonicalize each address text once.
  const known = new Map<string, string>();
  const canonical = (a: string): string => {
    let c = known.get(a);
    if (c === undefined) known.set(a, (c = canonicalNetworkAddress(a)));
    return c;
  };
  const cache: ListenerCache = { canonical, unbound: new Map() };
  sites.forEach((site, i) => {
    const perAddr = new Map<string, Map<string, { key: Token; idx: number; parsed: Address }[]>>();
    site.block.keys.forEach((key, j) => {
      let parsed: Address;
      try {
        parsed = normalizeAddress(parseAddress(key.text));
      } catch (e) {
        throw new AdaptError(`parsing key: ${messageOf(e)}`, key);
      }
      let listeners: ReadonlyMap<string, ReadonlySet<string>>;
      try {
        listeners = listenersFor(site, parsed, options, cache);
      } catch (e) {
        throw new AdaptError(
          `server block ${i}, key ${j} (${key.text}): determining listener address: ${messageOf(e)}`,
          key,
        );
      }
      for (const [addr, protocols] of listeners) {
        let byProt = perAddr.get(addr);
        if (!byProt) perAddr.set(addr, (byProt = new Map()));
        const prots = protocols.size === 0 ? DEFAULT_PROTOCOLS : protocols;
        for (const p of prots) {
          const list = byProt.get(p);
          if (list) list.push({ key, idx: j, parsed });
          else byProt.set(p, [{ key, idx: j, parsed }]);
        }
      }
    });
    for (const addr of sortStrings(perAddr.keys())) {
      const byProt = perAddr.get(addr)!;
      let target = out.get(addr);
      if (!target) out.set(addr, (target = new Map()));
      for (const prot of sortStrings(byProt.keys())) {
        const ks = byProt.get(prot)!;
        const view: SiteView = {
          site,
          keys: ks.map((k) => k.key),
          keyIndexes: ks.map((k) => k.idx),
          parsedKeys: ks.map((k) => k.parsed),
        };
        // appended in place: copying the list for every site made this quadratic in the number of sites
        const views = target.get(prot);
        if (views) views.push(view);
        else target.set(prot, [view]);
      }
    }
  });
  return out;
}

/** Groups listeners that serve identical site views into pairings (Caddy's `consolidateAddrMappings`). */
export function consolidateAddrMappings(m: Map<string, Map<string, SiteView[]>>): Pairing[] {
  const out: Pairing[] = [];
  for (const addr of sortStrings(m.keys())) {
    const byProt = m.get(addr)!;
    for (const prot of sortStrings(byProt.keys())) {
      const views = byProt.get(prot);
      const listeners = new Map<string, Set<string>>();
      for (const [otherAddr, otherByProt] of m) {
        for (const [otherProt, otherViews] of [...otherByProt]) {
          if ((addr === otherAddr && prot === otherProt) || sameViews(views, otherViews)) {
            let set = listeners.get(otherAddr);
            if (!set) listeners.set(otherAddr, (set = new Set()));
            set.add(otherProt);
            otherByProt.delete(otherProt);
          }
        }
      }
      const addresses = sortStrings(listeners.keys()).map((a) => ({
        address: a,
        protocols: sortStrings(listeners.get(a)!),
      }));
      out.push({ addresses, views: views ?? [] });
    }
  }
  return out;
}
