/** @module tls/handle: what other modules (listener wrappers, the http app) may use of the tls app. */
import type { SecureContext, TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ConnectionPolicy } from '@proxy/contract';
import type { CertSelector } from './cert-selection.js';
import type { InternalCa } from './internal-ca.js';

/** A connection policy compiled for handshakes. */
export interface CompiledConnectionPolicy {
  /** The policy's JSON. */
  readonly config: ConnectionPolicy;
  /** Whether the policy applies to a handshake with this SNI (and ALPN offer, remote address). */
  matches(hello: { serverName: string | undefined; remoteAddress?: string; localAddress?: string }): boolean;
}

/** The tls app as seen by other modules. */
export interface TlsAppHandle {
  /** A SecureContext holding the certificate for this server name (SNI), or undefined when none fits. */
  secureContextFor(serverName: string | undefined): SecureContext | undefined;
  /**
   * The PEM certificate and key for this server name, for modules that build their own SecureContext (a layer4
   * `tls` handler whose connection policy sets cipher suites or curves).
   */
  certificateFor(serverName: string | undefined): { cert: string; key: string } | undefined;
  /**
   * The certificate a connection policy's `certificate_selection` picks for this server name (among those for the
   * name, else among all), or undefined when it leaves none.
   */
  selectCertificate(select: CertSelector, serverName: string | undefined): { cert: string; key: string } | undefined;
  /**
   * The challenge certificate when this ClientHello is an ACME server validating tls-alpn-01 for a name being
   * obtained (ALPN acme-tls/1), else undefined: handshakes this app does not run itself (a layer4 `tls` handler)
   * answer it too, as certmagic's GetCertificate does for caddy-l4.
   */
  acmeChallengeFor?(serverName: string | undefined, alpn: readonly string[]): SecureContext | undefined;
  /** Whether some certificate covers this name. */
  hasCertificateFor(serverName: string): boolean;
  /** The tls app's default connection policies (a server's own policies take precedence). */
  readonly connectionPolicies: readonly CompiledConnectionPolicy[];
  /** The pki app's CA with this ID (created on first use), as the internal issuer and acme_server use it. */
  ca(id?: string): Promise<InternalCa>;
  /** Compiles connection policies (e.g. a server's or a layer4 tls handler's). */
  compilePolicies(policies: ConnectionPolicy[] | undefined, path: string): CompiledConnectionPolicy[];
  /**
   * Terminates TLS on `conn` as a server using the policies (first matching by SNI wins), offering
   * `defaultAlpn` when the policy names none. Resolves with the secure socket after the handshake.
   */
  terminate(
    conn: Duplex,
    policies: readonly CompiledConnectionPolicy[],
    opts: { defaultAlpn?: string[]; remoteAddress?: string; localAddress?: string; timeoutMs?: number },
  ): Promise<TLSSocket>;
}
