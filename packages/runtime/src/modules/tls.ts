/** @module modules/tls: the tls and pki apps and the parts they hold (issuers, handshake matchers). */
import { acmeIssuerSchema, handshakeMatchSchemas, internalIssuerSchema, pkiAppSchema } from '@proxy/contract';
import type { AnyModule } from '../modules.js';
import { tlsAppModule } from '../tls/app.js';

/** Handshake matchers are compiled by the connection policies that hold them; checked here. */
const handshakeMatchers: AnyModule[] = Object.entries(handshakeMatchSchemas).map(([name, schema]) => ({
  id: `tls.handshake_match.${name}`,
  kind: 'part',
  doc: `The ${name} handshake matcher of connection policies.`,
  schema,
}));

/** The tls app, its issuers and handshake matchers, and the pki app (loaded by the tls app, so checked only). */
export const tlsModules: AnyModule[] = [
  tlsAppModule,
  {
    id: 'tls.issuance.acme',
    kind: 'part',
    doc: 'Issues certificates over ACME (http-01, tls-alpn-01).',
    schema: acmeIssuerSchema,
  },
  {
    id: 'tls.issuance.internal',
    kind: 'part',
    doc: 'Issues certificates from a CA of the pki app.',
    schema: internalIssuerSchema,
  },
  ...handshakeMatchers,
  {
    id: 'pki',
    kind: 'app',
    doc: 'The pki app: certificate authorities for the internal issuer.',
    schema: pkiAppSchema,
  },
];
