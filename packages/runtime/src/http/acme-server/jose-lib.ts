/** @module http/acme-server/jose-lib: jose (JWS verification, JWK thumbprints), loaded by the first ACME request. */
import type * as Jose from 'jose';

let loading: Promise<typeof Jose> | undefined;

/** The `jose` module. */
export function joseLib(): Promise<typeof Jose> {
  return (loading ??= import('jose'));
}
