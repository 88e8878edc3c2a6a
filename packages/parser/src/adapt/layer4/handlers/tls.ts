/** @module layer4/handlers/tls: the `tls` handler, which terminates TLS with Caddy-managed certificates. */
import type { Layer4TlsConnectionPolicy, Layer4TlsHandler } from '@proxy/contract';
import { struct } from '../../json.js';
import { handler } from '../registry.js';
import { consumeName, noArgs, noNestedBlock } from '../syntax.js';
import { parseConnectionPolicy } from '../tls/connection-policy.js';

/**
 * `tls` or `tls { connection_policy { ... } ... }` -> `{"connection_policies": [...]}`; the first policy
 * whose `match` fits the ClientHello applies (see tls/connection-policy).
 */
export const HandleTLS = handler(
  'tls',
  {
    syntax: 'tls [{ connection_policy { ... } ... }]',
    doc: "Terminates TLS with Caddy's certificates and connection policies.",
    subdirectives: [
      {
        name: 'connection_policy',
        syntax:
          'connection_policy { alpn; cert_selection; ciphers; client_auth; curves; default_sni; drop; fallback_sni; insecure_secrets_log; match; protocols }',
        doc: 'A TLS connection policy (repeatable).',
      },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const policies: Layer4TlsConnectionPolicy[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      if (option !== 'connection_policy') throw d.argErr();
      policies.push(parseConnectionPolicy(d.newFromNextSegment()));
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Omit<Layer4TlsHandler, 'handler'>>({ connection_policies: policies });
  },
);
