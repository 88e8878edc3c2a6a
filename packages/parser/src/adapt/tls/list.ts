/**
 * @module tls/list: the TLS guest modules that Caddyfile options and the `tls` directive load by ID: issuers,
 * trust pool sources, leaf verifiers, DNS providers, storage, on-demand permission and cert managers.
 */
import type { GuestKind, ModuleOfKind } from '../module.js';
import { HTTPCertPool, StoragePool } from '../layer4/tls/ca-pools.js';
import { CA_POOL_SOURCES } from '../directives/trust-pool.js';
import { DummyVerifier, LeafVerifier } from './client-auth.js';
import { ACMEIssuer, InternalIssuer, ZeroSSLIssuer } from './issuers.js';
import { FileStorage, HTTPCertGetter, HTTPPermission, MockDNS, TailscaleCertGetter } from './misc-modules.js';
import { PostgresStorage } from './postgres-storage.js';

export function listTLSModules(): readonly ModuleOfKind<GuestKind>[] {
  return [
    // tls.issuance.*
    ACMEIssuer,
    InternalIssuer,
    ZeroSSLIssuer,
    // tls.ca_pool.source.*
    ...CA_POOL_SOURCES,
    HTTPCertPool,
    StoragePool,
    // tls.client_auth.verifier.*
    LeafVerifier,
    DummyVerifier,
    // dns.providers.*, caddy.storage.*, tls.permission.*, tls.get_certificate.*
    MockDNS,
    FileStorage,
    PostgresStorage,
    HTTPPermission,
    HTTPCertGetter,
    TailscaleCertGetter,
  ];
}
