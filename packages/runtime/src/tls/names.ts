/** @module tls/names: Go's (Caddy's) names for TLS cipher suites and curves, mapped to OpenSSL's. */

/** Go cipher suite names to OpenSSL names (TLS 1.2; TLS 1.3 suites are not configurable, as in Go). */
export const CIPHERS: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
};
/** TLS 1.3 suites: accepted in configs, but not configurable (as in Go). */
export const TLS13 = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
/** Go curve names to OpenSSL group names. */
export const CURVES: Record<string, string> = {
  x25519: 'X25519',
  secp256r1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/** Caddy's caddytls.ProtocolName for a negotiated version as node names it ("TLSv1.3" -> "tls1.3"). */
export function protocolName(nodeName: string | null | undefined): string {
  switch (nodeName) {
    case 'TLSv1':
      return 'tls1.0';
    case 'TLSv1.1':
      return 'tls1.1';
    case 'TLSv1.2':
      return 'tls1.2';
    case 'TLSv1.3':
      return 'tls1.3';
    default:
      return nodeName ?? '';
  }
}

/**
 * Go's tls.CipherSuiteName: the IANA name, which node reports as the cipher's standardName for the
 * suites Go knows (TLS_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, ...).
 */
export function cipherSuiteName(standardName: string | undefined): string {
  return standardName ?? '';
}
