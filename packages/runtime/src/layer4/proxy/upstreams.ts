/** @module layer4/proxy/upstreams: upstreams and their peers (one per dial address), compiled at load, and dialling. */
import fs from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { Layer4ProxyUpstream, Layer4ProxyUpstreamTls } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { durationMs } from '../duration.js';
import { Layer4ConfigError } from '../errors.js';
import { compileTemplate, type Template } from '../placeholders.js';
import { SSL_REQUEST } from '../postgres/messages.js';
import { parseNetworkAddress, type NetworkAddress } from './address.js';
import { dialUdp } from '../udp/upstream.js';
import { dialAddress, type ResolverPreference } from './dial.js';
import type { RecycledReads } from './recycled-reads.js';

/** One dialled address and its health. */
export class Peer {
  /** Active health check verdict. */
  healthy = true;
  /** Passive health: failures still counted (each expires after fail_duration). */
  fails = 0;
  /** Connections open right now (decremented on close, unlike caddy-l4 at 42db569). */
  conns = 0;
  constructor(
    readonly dial: string,
    readonly address: NetworkAddress,
  ) {}
}

/** How to speak TLS to an upstream. */
export interface UpstreamTls {
  options: tls.ConnectionOptions;
  serverName: Template | undefined;
  handshakeTimeoutMs: number;
  /** Negotiate with a PostgreSQL SSLRequest first. */
  postgres: boolean;
  /** Ports dialled without TLS. */
  exceptPorts: Set<number>;
}

/**
 * An upstream: all its dial addresses are dialled when it is selected (mirroring). Dial addresses with
 * placeholders become per-connection peers (no health state), like caddy-l4's dynamic upstreams.
 */
export class Upstream {
  constructor(
    readonly peers: Peer[],
    readonly dynamic: Array<{ template: Template; path: string }>,
    readonly weight: number,
    readonly maxConnections: number,
    readonly tls: UpstreamTls | undefined,
    readonly localAddresses: Template[],
    readonly resolverPreference: ResolverPreference,
  ) {}

  /** Selectable: every static peer healthy and under its connection limit. */
  available(maxFails: number): boolean {
    return this.peers.every(
      (p) => p.healthy && p.fails < maxFails && (this.maxConnections <= 0 || p.conns < this.maxConnections),
    );
  }

  /** The peers to dial for a connection (static plus placeholder-expanded ones). */
  peersFor(cx: Connection): Peer[] {
    if (this.dynamic.length === 0) return this.peers;
    const dyn = this.dynamic.map(({ template, path }) => {
      const dial = template.render(cx);
      return new Peer(dial, parseNetworkAddress(dial, path));
    });
    return [...this.peers, ...dyn];
  }

  get conns(): number {
    return this.peers.reduce((n, p) => n + p.conns, 0);
  }

  describe(): string {
    return [...this.peers.map((p) => p.dial), ...this.dynamic.map((d) => d.template.source)].join(',');
  }

  /**
   * Dials a peer with this upstream's local address and resolver preference. With `reads` (plain TCP peers
   * only), the socket's bytes go to that reader rather than to its stream.
   */
  dial(peer: Peer, cx: Connection, reads?: RecycledReads): Promise<Duplex> {
    if (peer.address.network.startsWith('udp')) return dialUdp(peer.address, this.resolverPreference);
    return dialAddress(
      peer.address,
      this.resolverPreference,
      this.localAddresses.map((t) => t.render(cx)).filter((a) => a !== ''),
      undefined,
      reads?.onread,
    );
  }
}

const UPSTREAM_FIELDS = new Set([
  'dial',
  'local_address',
  'resolver_preference',
  'tls',
  'max_connections',
  'weight',
  'starttls',
]);
const PREFERENCES = new Set(['ipv4_only', 'ipv6_only', 'ipv4_first', 'ipv6_first']);
const TLS_FIELDS = new Set([
  'insecure_skip_verify',
  'server_name',
  'root_ca_pem_files',
  'handshake_timeout',
  'client_certificate_file',
  'client_certificate_key_file',
  'renegotiation',
  'curves',
  'except_ports',
]);
/** Caddy curve names to OpenSSL group names. */
const CURVES: Record<string, string> = { x25519: 'X25519', secp256r1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export function compileUpstream(json: unknown, path: string): Upstream {
  if (typeof json !== 'object' || json === null) throw new Layer4ConfigError(path, 'expected an upstream object');
  const u = json as Layer4ProxyUpstream;
  for (const key of Object.keys(u)) {
    if (!UPSTREAM_FIELDS.has(key)) throw new Layer4ConfigError(`${path}.${key}`, 'unknown field');
  }
  if (!Array.isArray(u.dial) || u.dial.length === 0)
    throw new Layer4ConfigError(`${path}.dial`, 'at least one dial address is required');
  const peers: Peer[] = [];
  const dynamic: Upstream['dynamic'] = [];
  u.dial.forEach((d, i) => {
    const dPath = `${path}.dial[${i}]`;
    if (typeof d !== 'string') throw new Layer4ConfigError(dPath, 'expected a string');
    const t = compileTemplate(d);
    if (t.constant === undefined) {
      dynamic.push({ template: t, path: dPath });
      return;
    }
    peers.push(new Peer(t.constant, parseNetworkAddress(t.constant, dPath)));
  });
  if (u.resolver_preference !== undefined && !PREFERENCES.has(u.resolver_preference)) {
    throw new Layer4ConfigError(`${path}.resolver_preference`, `must be one of ${[...PREFERENCES].join(', ')}`);
  }
  const locals = (u.local_address ?? []).map((l, i) => {
    if (typeof l !== 'string') throw new Layer4ConfigError(`${path}.local_address[${i}]`, 'expected a string');
    return compileTemplate(l);
  });
  for (const [field, v] of [
    ['max_connections', u.max_connections],
    ['weight', u.weight],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      throw new Layer4ConfigError(`${path}.${field}`, 'must be a non-negative integer');
  }
  const upstreamTls = compileTls(u, path);
  if (upstreamTls && peers.some((p) => p.address.network.startsWith('udp'))) {
    throw new Layer4ConfigError(`${path}.tls`, 'TLS to udp upstreams (DTLS) is not implemented');
  }
  return new Upstream(
    peers,
    dynamic,
    u.weight ?? 1,
    u.max_connections ?? 0,
    upstreamTls,
    locals,
    u.resolver_preference,
  );
}

function compileTls(u: Layer4ProxyUpstream, path: string): UpstreamTls | undefined {
  if (u.tls === undefined && u.starttls === undefined) return undefined;
  if (u.starttls !== undefined && u.starttls !== 'postgres') {
    throw new Layer4ConfigError(`${path}.starttls`, `unknown value ${JSON.stringify(u.starttls)} (want "postgres")`);
  }
  const t: Layer4ProxyUpstreamTls = u.tls ?? {};
  for (const key of Object.keys(t)) {
    if (!TLS_FIELDS.has(key)) throw new Layer4ConfigError(`${path}.tls.${key}`, 'not implemented in this runtime yet');
  }
  const options: tls.ConnectionOptions = { rejectUnauthorized: t.insecure_skip_verify !== true };
  if (t.root_ca_pem_files) {
    options.ca = t.root_ca_pem_files.map((f, i) => readFile(f, `${path}.tls.root_ca_pem_files[${i}]`));
  }
  if (t.client_certificate_file) {
    options.cert = readFile(t.client_certificate_file, `${path}.tls.client_certificate_file`);
    options.key = readFile(t.client_certificate_key_file ?? '', `${path}.tls.client_certificate_key_file`);
  }
  if (t.renegotiation !== undefined && !['never', 'once', 'freely'].includes(t.renegotiation as string)) {
    throw new Layer4ConfigError(`${path}.tls.renegotiation`, 'must be never, once or freely');
  }
  const curves = t['curves'];
  if (curves !== undefined) {
    if (!Array.isArray(curves)) throw new Layer4ConfigError(`${path}.tls.curves`, 'expected an array');
    options.ecdhCurve = curves
      .map((c, i) => {
        const name = CURVES[String(c)];
        if (!name) throw new Layer4ConfigError(`${path}.tls.curves[${i}]`, `unknown curve ${JSON.stringify(c)}`);
        return name;
      })
      .join(':');
  }
  const except = t['except_ports'];
  if (except !== undefined && !Array.isArray(except))
    throw new Layer4ConfigError(`${path}.tls.except_ports`, 'expected an array');
  return {
    options,
    serverName: t.server_name ? compileTemplate(t.server_name) : undefined,
    handshakeTimeoutMs: durationMs(t.handshake_timeout, `${path}.tls.handshake_timeout`, 10_000),
    postgres: u.starttls === 'postgres',
    exceptPorts: new Set(((except as unknown[] | undefined) ?? []).map(Number)),
  };
}

function readFile(file: string, path: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Layer4ConfigError(path, `cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

/** Reads exactly one byte (a PostgreSQL SSLRequest answer). */
export function readByte(sock: Duplex, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('timeout waiting for the upstream')), timeoutMs);
    const onReadable = (): void => {
      const b = sock.read(1) as Buffer | null;
      if (b !== null) finish(undefined, b[0]);
    };
    const onEnd = (): void => finish(new Error('upstream closed the connection'));
    function finish(err?: Error, byte?: number): void {
      clearTimeout(timer);
      sock.off('readable', onReadable);
      sock.off('end', onEnd);
      sock.off('close', onEnd);
      sock.off('error', onEnd);
      if (err) reject(err);
      else resolve(byte!);
    }
    sock.on('readable', onReadable);
    sock.once('end', onEnd);
    sock.once('close', onEnd);
    sock.once('error', onEnd);
    onReadable();
  });
}

/** Sends a PostgreSQL SSLRequest and requires the answer 'S'. */
export async function postgresSslRequest(sock: Duplex, timeoutMs: number): Promise<void> {
  sock.write(SSL_REQUEST);
  const answer = await readByte(sock, timeoutMs);
  if (answer !== 0x53) {
    throw new Error(`upstream declined SSL (answered ${JSON.stringify(String.fromCharCode(answer))})`);
  }
}

/** Client TLS over an established upstream socket. */
export function upstreamTls(
  sock: Duplex,
  peer: Peer,
  t: UpstreamTls,
  cx: Connection,
  alpn: string | undefined,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const host = peer.address.host;
    const servername = t.serverName?.render(cx) || (net.isIP(host) === 0 && host !== '' ? host : undefined);
    const options: tls.ConnectionOptions = { ...t.options, socket: sock };
    if (servername) options.servername = servername;
    if (alpn) options.ALPNProtocols = [alpn];
    else if (t.postgres) options.ALPNProtocols = ['postgresql'];
    const ts = tls.connect(options);
    const timer = setTimeout(() => ts.destroy(new Error('upstream TLS handshake timeout')), t.handshakeTimeoutMs);
    ts.once('secureConnect', () => {
      clearTimeout(timer);
      ts.off('error', onError);
      resolve(ts);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      sock.destroy();
      reject(new Error(`TLS to ${peer.dial}: ${err.message}`));
    };
    ts.once('error', onError);
  });
}
