/**
 * @module tcp-services: Traefik's TCP services and servers transports as caddy-l4 `proxy` handlers
 * (pkg/server/service/tcp). A `loadBalancer` is a round robin over its servers; a `weighted` service is flattened
 * into one weighted round robin whose weights keep each child service's share, split evenly among its servers.
 */
import type { AdaptedCaPool, Layer4ProxyHandler, Layer4ProxyUpstream, Layer4ProxyUpstreamTls } from '@proxy/contract';
import type { Field } from './reader.js';
import {
  type Attempt,
  type Fraction,
  flattenWeighted,
  integerWeights,
  readServices,
  readWeightedRefs,
  type Services,
  type WeightedDef,
} from './service-reader.js';
import { isPem, readClientCertificate } from './transport-tls.js';

/** `tcp.serversTransports.<name>`: how servers are dialled. */
interface ServersTransport {
  tls: Layer4ProxyUpstreamTls | undefined;
  proxyProtocol: 'v1' | 'v2' | undefined;
}

type ServiceDef = { kind: 'lb'; field: Field; handler: Layer4ProxyHandler } | (WeightedDef & { field: Field });

function pemCertificates(pem: string, f: Field): string[] {
  const out = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    m[1]!.replace(/\s+/g, ''),
  );
  if (out.length === 0) throw f.error('no certificate in the inline PEM');
  return out;
}

function readTransport(t: Field): ServersTransport {
  const k = t.object(
    ['dialTimeout', 'dialKeepAlive', 'terminationDelay', 'tls', 'proxyProtocol'],
    'a TCP servers transport',
  );
  for (const key of ['dialTimeout', 'dialKeepAlive', 'terminationDelay'] as const)
    if (k[key]?.present) throw k[key].error('not supported yet by this adapter');
  let tls: Layer4ProxyUpstreamTls | undefined;
  if (k['tls']) {
    const tk = k['tls'].object(
      ['serverName', 'insecureSkipVerify', 'rootCAs', 'certificates', 'peerCertURI', 'spiffe'],
      'a servers transport tls',
    );
    for (const key of ['peerCertURI', 'spiffe'] as const)
      if (tk[key]?.present) throw tk[key].error('not supported yet by this adapter');
    tls = {};
    const serverName = tk['serverName']?.string();
    if (serverName) tls.server_name = serverName;
    if (tk['insecureSkipVerify']?.bool()) tls.insecure_skip_verify = true;
    const files: string[] = [];
    const inline: string[] = [];
    for (const ca of tk['rootCAs']?.items() ?? []) {
      const v = ca.string() ?? '';
      if (isPem(v)) inline.push(...pemCertificates(v, ca));
      else files.push(v);
    }
    if (files.length && inline.length) {
      const sources: AdaptedCaPool[] = [
        { provider: 'file', pem_files: files },
        { provider: 'inline', trusted_ca_certs: inline },
      ];
      tls.ca = { provider: 'combined', sources };
    } else if (files.length) tls.root_ca_pem_files = files;
    else if (inline.length) tls.ca = { provider: 'inline', trusted_ca_certs: inline };
    const client = readClientCertificate(tk['certificates']);
    if (client) {
      tls.client_certificate_file = client.cert;
      tls.client_certificate_key_file = client.key;
    }
  }
  return { tls, proxyProtocol: k['proxyProtocol'] ? proxyProtocol(k['proxyProtocol']) : undefined };
}

function proxyProtocol(f: Field): 'v1' | 'v2' {
  const pp = f.object(['version'], 'proxyProtocol');
  const v = pp['version']?.int() ?? 2;
  if (v !== 1 && v !== 2) throw (pp['version'] ?? f).error('the PROXY protocol version is 1 or 2');
  return v === 1 ? 'v1' : 'v2';
}

function readLoadBalancer(lbField: Field, transports: Map<string, ServersTransport | undefined>): Layer4ProxyHandler {
  const lb = lbField.object(['servers', 'proxyProtocol', 'serversTransport', 'terminationDelay'], 'loadBalancer');
  if (lb['terminationDelay']?.present) throw lb['terminationDelay'].error('not supported yet by this adapter');
  let transport: ServersTransport | undefined;
  const tf = lb['serversTransport'];
  const tname = tf?.string()?.replace(/@file$/, '');
  if (tf && tname) {
    if (tname.includes('@')) throw tf.error('only servers transports of the file provider (@file) can be referred to');
    if (!transports.has(tname)) throw tf.error(`the TCP servers transport "${tname}" does not exist`);
    transport = transports.get(tname);
    // undefined: its definition has an error, reported there
    if (!transport) return { handler: 'proxy', upstreams: [] };
  }
  const servers = lb['servers']?.items() ?? [];
  if (servers.length === 0) throw (lb['servers'] ?? lbField).error('a TCP load balancer needs at least one server');
  const upstreams = servers.map((f) => {
    const sk = f.object(['address', 'tls'], 'a TCP server');
    const address = sk['address']?.string();
    if (!address) throw (sk['address'] ?? f).error('a TCP server needs an address (host:port)');
    if (!/^(\[[^\]]+\]|[^:\s/]+):\d{1,5}$/.test(address))
      throw sk['address']!.error(`invalid address ${JSON.stringify(address)} (want host:port)`);
    const u: Layer4ProxyUpstream = { dial: [address] };
    // Traefik dials TLS for servers marked `tls`, with the transport's TLS settings.
    if (sk['tls']?.bool()) u.tls = structuredClone(transport?.tls ?? {});
    return u;
  });
  const h: Layer4ProxyHandler = { handler: 'proxy', upstreams };
  const pp = lb['proxyProtocol'] ? proxyProtocol(lb['proxyProtocol']) : transport?.proxyProtocol;
  if (pp) h.proxy_protocol = pp;
  if (upstreams.length > 1) h.load_balancing = { selection: { policy: 'round_robin' } };
  return h;
}

function readService(s: Field, transports: Map<string, ServersTransport | undefined>): ServiceDef {
  const k = s.object(['loadBalancer', 'weighted'], 'a TCP service');
  if (k['loadBalancer'] && k['weighted']) throw s.error('a TCP service is a loadBalancer or weighted, not both');
  if (k['weighted']) {
    const w = k['weighted'].object(['services'], 'weighted');
    return { kind: 'weighted', field: s, refs: readWeightedRefs(w['services'], k['weighted'], false) };
  }
  if (!k['loadBalancer']) throw s.error('a TCP service needs a loadBalancer or weighted');
  return { kind: 'lb', field: s, handler: readLoadBalancer(k['loadBalancer'], transports) };
}

/** Reads transports and services; each definition's error is reported once, and the others still adapt. */
export function readTcpServices(
  transportTables: (Field | undefined)[],
  serviceTables: (Field | undefined)[],
  attempt: Attempt,
): Services<Layer4ProxyHandler> {
  return readServices(
    { transports: transportTables, services: serviceTables },
    { transport: 'the TCP servers transport', service: 'the TCP service' },
    { transport: readTransport, service: readService, build },
    attempt,
  );
}

/** One upstream with its share as a fraction. */
interface Share extends Fraction {
  upstream: Layer4ProxyUpstream;
}

function build(name: string, defs: Map<string, ServiceDef | undefined>): Layer4ProxyHandler | undefined {
  const def = defs.get(name);
  if (!def) return undefined;
  if (def.kind === 'lb') return def.handler.upstreams?.length ? def.handler : undefined;
  let pp: 'v1' | 'v2' | undefined | null = null;
  const shares = flattenWeighted(def, defs, [name], 'the TCP service', (child, r, total): Share[] | undefined => {
    const p = child.handler.proxy_protocol;
    if (pp !== null && pp !== p)
      throw r.field.error('the services of a weighted service must all use the same PROXY protocol setting');
    pp = p;
    const ups = child.handler.upstreams ?? [];
    if (ups.length === 0) return undefined;
    return ups.map((u) => ({ upstream: u, num: r.weight, den: total * ups.length }));
  });
  if (!shares) return undefined;
  const live = shares.filter((s) => s.num > 0);
  const weights = integerWeights(live);
  const upstreams = live.map((s, i) => ({ ...structuredClone(s.upstream), weight: weights[i]! }));
  const h: Layer4ProxyHandler = { handler: 'proxy', upstreams };
  if (pp) h.proxy_protocol = pp;
  h.load_balancing = { selection: { policy: 'weighted_round_robin' } };
  return h;
}
