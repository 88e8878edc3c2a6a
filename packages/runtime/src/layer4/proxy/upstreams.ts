/** @module layer4/proxy/upstreams: upstreams and their peers (one per dial address), compiled at load, and dialling. */
import fs from 'node:fs';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import type { ProxyUpstream } from '../../config/layer4.js';
import { durationMs } from '../duration.js';
import { Layer4ConfigError } from '../errors.js';
import { SSL_REQUEST } from '../postgres/messages.js';
import { parseNetworkAddress, type NetworkAddress } from './address.js';

const DIAL_TIMEOUT_MS = 10_000;

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
  handshakeTimeoutMs: number;
  /** Negotiate with a PostgreSQL SSLRequest first. */
  postgres: boolean;
}

/** An upstream: its peers are all dialled (mirroring) when it is selected. */
export class Upstream {
  constructor(
    readonly peers: Peer[],
    readonly weight: number,
    readonly maxConnections: number,
    readonly tls: UpstreamTls | undefined,
  ) {}

  /** Selectable: every peer healthy and under its connection limit. */
  available(maxFails: number): boolean {
    return this.peers.every(
      (p) => p.healthy && p.fails < maxFails && (this.maxConnections <= 0 || p.conns < this.maxConnections),
    );
  }

  get conns(): number {
    return this.peers.reduce((n, p) => n + p.conns, 0);
  }

  describe(): string {
    return this.peers.map((p) => p.dial).join(',');
  }
}

export function compileUpstream(json: unknown, path: string): Upstream {
  if (typeof json !== 'object' || json === null) throw new Layer4ConfigError(path, 'expected an upstream object');
  const u = json as ProxyUpstream;
  if (!Array.isArray(u.dial) || u.dial.length === 0) throw new Layer4ConfigError(`${path}.dial`, 'at least one dial address is required');
  const peers = u.dial.map((d, i) => {
    if (typeof d !== 'string') throw new Layer4ConfigError(`${path}.dial[${i}]`, 'expected a string');
    if (d.includes('{')) throw new Layer4ConfigError(`${path}.dial[${i}]`, 'placeholders in dial addresses are not implemented yet');
    const a = parseNetworkAddress(d, `${path}.dial[${i}]`);
    if (a.network.startsWith('udp')) throw new Layer4ConfigError(`${path}.dial[${i}]`, 'udp upstreams are not implemented yet');
    return new Peer(d, a);
  });
  let upstreamTls: UpstreamTls | undefined;
  if (u.tls !== undefined || u.starttls !== undefined) {
    if (u.starttls !== undefined && u.starttls !== 'postgres') {
      throw new Layer4ConfigError(`${path}.starttls`, `unknown value ${JSON.stringify(u.starttls)} (want "postgres")`);
    }
    const t = u.tls ?? {};
    const options: tls.ConnectionOptions = { rejectUnauthorized: t.insecure_skip_verify !== true };
    if (t.server_name) options.servername = t.server_name;
    if (t.root_ca_pem_files) {
      options.ca = t.root_ca_pem_files.map((f, i) => readFile(f, `${path}.tls.root_ca_pem_files[${i}]`));
    }
    if (t.client_certificate_file) {
      options.cert = readFile(t.client_certificate_file, `${path}.tls.client_certificate_file`);
      options.key = readFile(t.client_certificate_key_file ?? '', `${path}.tls.client_certificate_key_file`);
    }
    upstreamTls = {
      options,
      handshakeTimeoutMs: durationMs(t.handshake_timeout, `${path}.tls.handshake_timeout`, 10_000),
      postgres: u.starttls === 'postgres',
    };
  }
  return new Upstream(peers, u.weight ?? 1, u.max_connections ?? 0, upstreamTls);
}

function readFile(file: string, path: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Layer4ConfigError(path, `cannot read ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

/** Opens a TCP (or unix) connection to a peer. */
export function dialPeer(peer: Peer, timeoutMs = DIAL_TIMEOUT_MS): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const a = peer.address;
    const sock =
      a.network === 'unix'
        ? net.connect({ path: a.path!, allowHalfOpen: true })
        : net.connect({
            host: a.host === '' ? 'localhost' : a.host,
            port: a.port,
            allowHalfOpen: true,
            ...(a.network === 'tcp4' ? { family: 4 } : a.network === 'tcp6' ? { family: 6 } : {}),
          });
    const timer = setTimeout(() => sock.destroy(new Error(`dial ${peer.dial}: timeout`)), timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.off('error', onError);
      sock.setNoDelay(true);
      resolve(sock);
    });
    const onError = (err: Error): void => {
      clearTimeout(timer);
      reject(new Error(`dial ${peer.dial}: ${err.message}`));
    };
    sock.once('error', onError);
  });
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
export function upstreamTls(sock: net.Socket, peer: Peer, t: UpstreamTls, alpn: string | undefined): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const host = peer.address.host;
    const servername = t.options.servername ?? (net.isIP(host) === 0 && host !== '' ? host : undefined);
    const options: tls.ConnectionOptions = { ...t.options, socket: sock };
    if (servername) options.servername = servername;
    else delete options.servername;
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
