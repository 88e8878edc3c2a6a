/** @module layer4/handlers/postgres-tls: the `postgres_tls` handler, which answers a PostgreSQL SSLRequest with `S` so that a following `tls` handler can terminate TLS. */
import { handler } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `postgres_tls`: no arguments, no block; JSON `{"handler": "postgres_tls"}`. */
export const HandlePostgresTLS = handler(
  'postgres_tls',
  {
    syntax: 'postgres_tls',
    doc: 'Answers a PostgreSQL SSLRequest with S so that the following TLS handshake can be terminated.',
  },
  (d) => {
    bareModule(d, 'handler');
    return {};
  },
);
