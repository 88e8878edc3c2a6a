/**
 * @module tls/x509-lib: @peculiar/x509 (and the reflect-metadata polyfill its dependency injection needs), loaded
 * on first use: only configs that generate or parse certificates themselves (the internal CA, tls-alpn-01
 * answers, CSRs, the ACME server) pay for its start-up time and the few megabytes it keeps.
 */
import type * as X509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

let loading: Promise<typeof X509> | undefined;

/** The library, with WebCrypto as its crypto provider. */
export function x509lib(): Promise<typeof X509> {
  return (loading ??= (async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    return x509;
  })());
}
