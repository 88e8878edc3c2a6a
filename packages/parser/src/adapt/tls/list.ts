/**
 * @module tls/list: the TLS guest modules that Caddyfile options and the `tls` directive load by ID: issuers,
 * trust pool sources, leaf verifiers, DNS providers, storage, on-demand permission and cert managers.
 */
import type { GuestKind, ModuleOfKind } from '../module.js';
import { HTTPCertPool, StoragePool } from '../layer4/tls/ca-pools.js';
import {
  CombinedPool, DummyVerifier, FilePool, InlinePool, LeafVerifier, PKIIntermediatePool, PKIRootPool, SystemPool,
} from './client-auth.js';
import { ACMEIssuer, InternalIssuer, ZeroSSLIssuer } from './issuers.js';
import { FileStorage, HTTPCertGetter, HTTPPermission, MockDNS, TailscaleCertGetter } from './misc-modules.js';

export function listTLSModules(): readonly ModuleOfKind<GuestKind>[] {
  return [
    // tls.issuance.*
    ACMEIssuer, InternalIssuer, ZeroSSLIssuer,
    // tls.ca_pool.source.* (http and storage only a layer4 proxy upstream names so far)
    InlinePool, FilePool, PKIRootPool, PKIIntermediatePool, CombinedPool, SystemPool, HTTPCertPool, StoragePool,
    // tls.client_auth.verifier.*
    LeafVerifier, DummyVerifier,
    // dns.providers.*, caddy.storage.*, tls.permission.*, tls.get_certificate.*
    MockDNS, FileStorage, HTTPPermission, HTTPCertGetter, TailscaleCertGetter,
  ];
}
