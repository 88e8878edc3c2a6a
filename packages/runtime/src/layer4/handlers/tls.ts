/** @module layer4/handlers/tls: `layer4.handlers.tls` — terminates TLS with connection policies, ALPN chosen per ClientHello. */
import tls from 'node:tls';
import type { TlsConnectionPolicy } from '../../config/layer4.js';
import type { Connection, ConnectionState } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { parseClientHello, type ClientHello } from '../tls/client-hello.js';
import { compileHandshakeMatchers, type HandshakeMatcher } from '../tls/handshake-match.js';
import type { Compiler, Handler, Layer4Runtime, Next } from '../types.js';

/** Caddy's default ALPN when a policy sets none. */
const DEFAULT_ALPN = ['h2', 'http/1.1'];
const HANDSHAKE_TIMEOUT_MS = 10_000;
const VERSIONS: Record<string, number> = { 'tls1.2': 0x0303, 'tls1.3': 0x0304 };
const PROTOCOL_VERSION: Record<string, number> = { 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };
const UNSUPPORTED: Array<keyof TlsConnectionPolicy> = [
  'certificate_selection',
  'cipher_suites',
  'curves',
  'client_authentication',
  'insecure_secrets_log',
];

interface Policy {
  match: HandshakeMatcher;
  alpn: string[];
  min: number;
  max: number;
  drop: boolean;
  defaultSni: string;
  fallbackSni: string;
}

function compilePolicy(json: unknown, path: string): Policy {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Layer4ConfigError(path, 'expected a connection policy object');
  }
  const p = json as TlsConnectionPolicy;
  for (const field of UNSUPPORTED) {
    if (p[field] !== undefined) throw new Layer4ConfigError(`${path}.${field}`, 'not implemented in this runtime yet');
  }
  const version = (v: unknown, field: string, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = VERSIONS[v as string];
    if (n === undefined) throw new Layer4ConfigError(`${path}.${field}`, `unknown protocol ${JSON.stringify(v)} (tls1.2, tls1.3)`);
    return n;
  };
  if (p.alpn !== undefined && (!Array.isArray(p.alpn) || p.alpn.some((a) => typeof a !== 'string'))) {
    throw new Layer4ConfigError(`${path}.alpn`, 'expected an array of protocol names');
  }
  return {
    match: compileHandshakeMatchers(p.match, `${path}.match`),
    alpn: p.alpn ?? DEFAULT_ALPN,
    min: version(p.protocol_min, 'protocol_min', 0x0303),
    max: version(p.protocol_max, 'protocol_max', 0x0304),
    drop: p.drop === true,
    defaultSni: p.default_sni ?? '',
    fallbackSni: p.fallback_sni ?? '',
  };
}

class TlsHandler implements Handler {
  constructor(
    private readonly policies: Policy[],
    private readonly runtime: Layer4Runtime,
  ) {}

  async handle(cx: Connection, next: Next): Promise<void> {
    const deadline = performance.now() + HANDSHAKE_TIMEOUT_MS;
    let hello = parseClientHello(cx.buffer);
    while (hello === 'more') {
      await cx.prefetch(deadline);
      hello = parseClientHello(cx.buffer);
    }
    if (hello === null) {
      cx.log.debug({ remote: cx.info.remoteAddress }, 'layer4 tls: not a TLS ClientHello');
      cx.release().destroy();
      return;
    }
    const view = { serverName: hello.serverName, alpn: hello.alpn, info: cx.info };
    const policy = this.policies.find((p) => p.match(view));
    if (!policy || policy.drop) {
      cx.log.info({ sni: hello.serverName }, 'layer4 tls: no server TLS configuration available for ClientHello');
      cx.release().destroy();
      return;
    }
    const secureContext = this.certificateFor(hello, policy);
    if (!secureContext) {
      cx.log.warn({ sni: hello.serverName }, 'layer4 tls: no certificate available');
      cx.release().destroy();
      return;
    }
    // Server preference, like Go: the first of the policy's protocols the client offers.
    const chosen = policy.alpn.find((p) => hello.alpn.includes(p));
    const sock = new tls.TLSSocket(cx.release(), {
      isServer: true,
      secureContext,
      ALPNCallback: () => chosen,
    });
    try {
      await handshake(sock, deadline);
    } catch (err) {
      cx.log.info({ sni: hello.serverName, err: (err as Error).message }, 'layer4 tls: handshake failed');
      sock.destroy();
      return;
    }
    const version = PROTOCOL_VERSION[sock.getProtocol() ?? ''] ?? 0;
    if (version < policy.min || version > policy.max) {
      cx.log.info({ protocol: sock.getProtocol() }, 'layer4 tls: protocol version outside the policy');
      sock.destroy();
      return;
    }
    const alpn = typeof sock.alpnProtocol === 'string' ? sock.alpnProtocol : undefined;
    const state: ConnectionState = {
      ...cx.state,
      tls: { serverName: hello.serverName || undefined, alpn, protocol: sock.getProtocol() },
    };
    if (cx.state.postgres || alpn === 'postgresql') {
      state.postgres = { sslAnswered: cx.state.postgres?.sslAnswered ?? false, plaintext: true };
    }
    setPlaceholders(cx, sock, hello.serverName, alpn);
    sock.on('error', (err) => cx.log.debug({ err: err.message }, 'layer4 tls: connection error'));
    await next(cx.wrap(sock, state));
  }

  private certificateFor(hello: ClientHello, policy: Policy): tls.SecureContext | undefined {
    const get = this.runtime.secureContextFor;
    const name = hello.serverName || policy.defaultSni;
    return get(name) ?? (policy.fallbackSni ? get(policy.fallbackSni) : undefined);
  }
}

/** `{l4.tls.*}` after termination. */
function setPlaceholders(cx: Connection, sock: tls.TLSSocket, serverName: string, alpn: string | undefined): void {
  const protocol = sock.getProtocol();
  cx.vars.set('l4.tls.server_name', serverName);
  cx.vars.set('l4.tls.version', protocol === 'TLSv1.3' ? 'tls1.3' : protocol === 'TLSv1.2' ? 'tls1.2' : (protocol ?? ''));
  cx.vars.set('l4.tls.cipher_suite', sock.getCipher().standardName);
  cx.vars.set('l4.tls.proto', alpn ?? '');
  cx.vars.set('l4.tls.proto_mutual', 'true');
  cx.vars.set('l4.tls.resumed', String(sock.isSessionReused()));
}

function handshake(sock: tls.TLSSocket, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('handshake timeout')), Math.max(0, deadline - performance.now()));
    const onSecure = (): void => finish();
    const onError = (err: Error): void => finish(err);
    const onClose = (): void => finish(new Error('connection closed during handshake'));
    function finish(err?: Error): void {
      clearTimeout(timer);
      sock.off('secure', onSecure);
      sock.off('error', onError);
      sock.off('close', onClose);
      if (err) reject(err);
      else resolve();
    }
    sock.once('secure', onSecure);
    sock.once('error', onError);
    sock.once('close', onClose);
  });
}

export function createTlsHandler(json: Record<string, unknown>, path: string, compiler: Compiler): Handler {
  const raw = json['connection_policies'];
  if (raw !== undefined && !Array.isArray(raw)) throw new Layer4ConfigError(`${path}.connection_policies`, 'expected an array');
  const list = raw === undefined || raw.length === 0 ? [{}] : raw;
  const policies = list.map((p, i) => compilePolicy(p, `${path}.connection_policies[${i}]`));
  return new TlsHandler(policies, compiler.runtime);
}
