/**
 * @module udp: Traefik's UDP routers and services (pkg/server/router/udp, pkg/server/service/udp) as caddy-l4
 * servers on `udp/` addresses. A UDP router has no rule: it takes every session of its entry points, so one router
 * per entry point (Traefik refuses more). Sessions (one per client address) end after the entry point's
 * `udp.timeout` without traffic.
 */
import type { Layer4ProxyHandler, Layer4ProxyUpstream, Layer4Server } from '@proxy/contract';
import { namedEntries, type Field } from './reader.js';
import { flattenWeighted, integerWeights, readWeightedRefs, type WeightedDef } from './service-reader.js';
import type { EntryPoint } from './static.js';
import type { Problems } from './tcp.js';

type UdpService = { kind: 'lb'; upstreams: Layer4ProxyUpstream[] } | WeightedDef;

/** Lowers the `udp` sections to layer4 servers by entry point name (empty when there is no UDP router). */
export function lowerUdp(
  sections: Field[],
  allEntryPoints: EntryPoint[],
  problems: Problems,
): Record<string, Layer4Server> {
  const keys = sections.map((s) => s.object(['routers', 'services'], 'udp'));
  const udpEps = allEntryPoints.filter((e) => e.udp);
  const defaults = udpEps.some((e) => e.asDefault) ? udpEps.filter((e) => e.asDefault) : udpEps;
  const services = new Map<string, UdpService | undefined>();
  for (const s of problems.attempt(() =>
    namedEntries(
      keys.map((k) => k['services']),
      'the UDP service',
    ),
  ) ?? [])
    services.set(
      s.name,
      problems.attempt(() => readService(s)),
    );
  const byEntryPoint = new Map<string, { router: Field; handler: Layer4ProxyHandler }>();
  for (const r of problems.attempt(() =>
    namedEntries(
      keys.map((k) => k['routers']),
      'the UDP router',
    ),
  ) ?? []) {
    problems.attempt(() => {
      const k = r.object(['entryPoints', 'service'], 'a UDP router');
      const sf = k['service'];
      const name = sf?.string()?.replace(/@file$/, '');
      if (!sf || !name) throw (sf ?? r).error('a UDP router needs a service');
      if (name.includes('@')) throw sf.error('only services of the file provider (@file) can be referred to');
      if (!services.has(name)) throw sf.error(`the UDP service "${name}" does not exist`);
      const upstreams = resolve(name, services);
      let eps = defaults.map((e) => e.name);
      if (k['entryPoints']) {
        eps = k['entryPoints'].items().map((f) => {
          const n = f.string() ?? '';
          const ep = allEntryPoints.find((e) => e.name === n);
          if (!ep) throw f.error(`the entry point "${n}" does not exist`);
          if (!ep.udp) throw f.error(`the entry point "${n}" is not a UDP one (its address needs /udp)`);
          return n;
        });
      }
      if (eps.length === 0) throw r.error('no UDP entry point (an address ending in /udp) for this router');
      if (!upstreams) return; // the service's error is reported there
      const handler: Layer4ProxyHandler = { handler: 'proxy', upstreams };
      if (upstreams.length > 1)
        handler.load_balancing = {
          selection: { policy: upstreams.some((u) => u.weight !== undefined) ? 'weighted_round_robin' : 'round_robin' },
        };
      for (const ep of eps) {
        const prev = byEntryPoint.get(ep);
        if (prev)
          throw r.error(
            `the entry point "${ep}" already has the UDP router "${prev.router.name}" (a UDP router takes every session: one per entry point)`,
          );
        byEntryPoint.set(ep, { router: r, handler });
      }
    });
  }
  const servers: Record<string, Layer4Server> = {};
  for (const ep of udpEps) {
    const mine = byEntryPoint.get(ep.name);
    if (!mine) continue;
    servers[ep.name] = {
      listen: [`udp/${ep.address}`],
      routes: [{ handle: [structuredClone(mine.handler)] }],
      idle_timeout: ep.udpTimeout ?? '3s',
    };
  }
  return servers;
}

function readService(s: Field): UdpService {
  const k = s.object(['loadBalancer', 'weighted'], 'a UDP service');
  if (k['loadBalancer'] && k['weighted']) throw s.error('a UDP service is a loadBalancer or weighted, not both');
  if (k['weighted']) {
    const w = k['weighted'].object(['services'], 'weighted');
    return { kind: 'weighted', refs: readWeightedRefs(w['services'], k['weighted'], false) };
  }
  if (!k['loadBalancer']) throw s.error('a UDP service needs a loadBalancer or weighted');
  const lb = k['loadBalancer'].object(['servers'], 'loadBalancer');
  const servers = lb['servers']?.items() ?? [];
  if (servers.length === 0)
    throw (lb['servers'] ?? k['loadBalancer']).error('a UDP load balancer needs at least one server');
  return {
    kind: 'lb',
    upstreams: servers.map((f) => {
      const sk = f.object(['address'], 'a UDP server');
      const address = sk['address']?.string();
      if (!address) throw (sk['address'] ?? f).error('a UDP server needs an address (host:port)');
      if (!/^(\[[^\]]+\]|[^:\s/]+):\d{1,5}$/.test(address))
        throw sk['address']!.error(`invalid address ${JSON.stringify(address)} (want host:port)`);
      return { dial: [`udp/${address}`] };
    }),
  };
}

/**
 * A service's upstreams; a weighted one flattened with integer weights that keep each child's share, split evenly
 * among its servers (as the TCP adapter does). Undefined when a service it uses has an error reported elsewhere.
 */
function resolve(name: string, services: Map<string, UdpService | undefined>): Layer4ProxyUpstream[] | undefined {
  const def = services.get(name);
  if (!def) return undefined;
  if (def.kind === 'lb') return structuredClone(def.upstreams);
  const shares = flattenWeighted(def, services, [name], 'the UDP service', (child, r, total) =>
    child.upstreams.map((upstream) => ({ upstream, num: r.weight, den: total * child.upstreams.length })),
  );
  if (!shares) return undefined;
  const live = shares.filter((s) => s.num > 0);
  const weights = integerWeights(live);
  return live.map((s, i) => ({ ...structuredClone(s.upstream), weight: weights[i]! }));
}
