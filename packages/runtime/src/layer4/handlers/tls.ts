/** @module layer4/handlers/tls: `layer4.handlers.tls` — terminates TLS with connection policies, ALPN chosen per ClientHello. */
import tls from 'node:tls';
import type { Connection, ConnectionState } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { parseClientHello, type ClientHello } from '../tls/client-hello.js';
import { compilePolicy, type ConnectionPolicy } from '../tls/connection-policy.js';
import type { Compiler, Handler, Layer4Runtime, Next } from '../types.js';
import { cipherSuiteName, protocolName } from '../../tls/names.js';
import { refuseHandshake } from '../../tls/alert.js';
import { ACME_TLS_ALPN, answerChallenge } from '../../tls/tls-alpn-challenge.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;
/** Bound on contexts built from key material (per policy and certificate). */
const MAX_CONTEXTS = 256;

class TlsHandler implements Handler {
  private readonly contexts = new Map<string, tls.SecureContext>();

  constructor(
    private readonly policies: ConnectionPolicy[],
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
    // An ACME server validating tls-alpn-01 for a name the tls app is obtaining: answered whatever the policies
    // say, as certmagic's GetCertificate does under caddy-l4's tls handler.
    const challenge = hello.alpn.includes(ACME_TLS_ALPN)
      ? this.runtime.acmeChallengeFor?.(hello.serverName, hello.alpn)
      : undefined;
    if (challenge) {
      try {
        await answerChallenge(cx.release(), challenge, Math.max(0, deadline - performance.now()));
        cx.log.info(
          { sni: hello.serverName, remote: cx.info.remoteAddress },
          'layer4 tls: served key authentication certificate',
        );
      } catch (err) {
        cx.log.info({ sni: hello.serverName, err: (err as Error).message }, 'layer4 tls: tls-alpn-01 handshake failed');
      }
      return;
    }
    const view = { serverName: hello.serverName, alpn: hello.alpn, info: cx.info };
    const policy = this.policies.find((p) => p.match(view));
    if (!policy || policy.drop) {
      cx.log.info({ sni: hello.serverName }, 'layer4 tls: no server TLS configuration available for ClientHello');
      refuseHandshake(cx.release(), 'config');
      return;
    }
    const secureContext = this.certificateFor(hello, policy);
    if (!secureContext) {
      cx.log.warn({ sni: hello.serverName }, 'layer4 tls: no certificate available');
      refuseHandshake(cx.release(), 'certificate');
      return;
    }
    // Server preference, like Go: the first of the policy's protocols the client offers.
    const chosen = policy.alpn.find((p) => hello.alpn.includes(p));
    const sock = new tls.TLSSocket(cx.release(), {
      isServer: true,
      secureContext,
      ALPNCallback: () => chosen,
      // verified by policy.verify() after the handshake, so that every mode is handled the same way
      requestCert: policy.clientAuth !== undefined,
      rejectUnauthorized: false,
    });
    try {
      await handshake(sock, deadline);
    } catch (err) {
      cx.log.info({ sni: hello.serverName, err: (err as Error).message }, 'layer4 tls: handshake failed');
      sock.destroy();
      return;
    }
    // A hand-made server TLSSocket keeps secureConnecting=true, and node:http2 would then wait for a
    // 'secureConnect' that never comes if the connection falls through to the HTTP server.
    (sock as { secureConnecting?: boolean }).secureConnecting = false;
    const refused = policy.verify(sock);
    if (refused) {
      cx.log.info({ sni: hello.serverName, remote: cx.info.remoteAddress }, `layer4 tls: ${refused}`);
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

  /** The certificate for the ClientHello: the embedder's context, or one built with the policy's options. */
  private certificateFor(hello: ClientHello, policy: ConnectionPolicy): tls.SecureContext | undefined {
    const name = hello.serverName || policy.defaultSni;
    const select = policy.certSelect;
    const keyed = select
      ? this.runtime.selectCertificate && ((n: string) => this.runtime.selectCertificate!(select, n))
      : this.runtime.certificateFor;
    if (!select && (!needsKeyMaterial(policy) || !keyed)) {
      const get = this.runtime.secureContextFor;
      return get(name) ?? (policy.fallbackSni ? get(policy.fallbackSni) : undefined);
    }
    if (!keyed) return undefined;
    const pair = keyed(name) ?? (policy.fallbackSni ? keyed(policy.fallbackSni) : undefined);
    if (!pair) return undefined;
    const key = `${policy.id}|${pair.cert.toString()}`;
    let context = this.contexts.get(key);
    if (!context) {
      if (this.contexts.size >= MAX_CONTEXTS) this.contexts.clear();
      context = tls.createSecureContext({ ...policy.contextOptions, key: pair.key, cert: pair.cert });
      this.contexts.set(key, context);
    }
    return context;
  }
}

/** `{l4.tls.*}` after termination. */
function setPlaceholders(cx: Connection, sock: tls.TLSSocket, serverName: string, alpn: string | undefined): void {
  const protocol = sock.getProtocol();
  cx.vars.set('l4.tls.server_name', serverName);
  cx.vars.set('l4.tls.version', protocolName(protocol));
  cx.vars.set('l4.tls.cipher_suite', cipherSuiteName(sock.getCipher().standardName));
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

/** Cipher suites and curves live in the SecureContext: they need the certificate's key to build one. */
function needsKeyMaterial(p: ConnectionPolicy): boolean {
  const o = p.contextOptions;
  return o.ciphers !== undefined || o.ecdhCurve !== undefined;
}

export function createTlsHandler(json: Record<string, unknown>, path: string, compiler: Compiler): Handler {
  const raw = json['connection_policies'];
  if (raw !== undefined && !Array.isArray(raw))
    throw new Layer4ConfigError(`${path}.connection_policies`, 'expected an array');
  const list = raw === undefined || raw.length === 0 ? [{}] : raw;
  const policies = list.map((p, i) => {
    const pPath = `${path}.connection_policies[${i}]`;
    const policy = compilePolicy(p, pPath);
    if (needsKeyMaterial(policy) && !compiler.runtime.certificateFor) {
      throw new Layer4ConfigError(
        pPath,
        'cipher_suites and curves need certificates with their keys (a certificateFor source)',
      );
    }
    if (policy.certSelect && !compiler.runtime.selectCertificate) {
      throw new Layer4ConfigError(
        `${pPath}.certificate_selection`,
        "selecting a certificate needs the tls app's certificates to choose from",
      );
    }
    return policy;
  });
  return new TlsHandler(policies, compiler.runtime);
}
