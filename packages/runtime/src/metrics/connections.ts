/**
 * @module metrics/connections: this runtime's own connection metrics (Caddy has none for these): TLS handshakes
 * of the tls app and connections of the standalone layer4 app. They count connections, not requests, and are
 * registered with every config that has these apps.
 *
 * - caddy_tls_handshakes_total{result="ok"|"error"}: server-side handshakes; "error" is a failed handshake or
 *   a connection refused before one (no matching policy or certificate, a drop policy, a timeout);
 * - caddy_layer4_connections_total{server}: TCP connections a layer4 server accepted;
 * - caddy_layer4_connections_in_flight{server}: those still open.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** The TLS handshake counter of a config. */
export function tlsHandshakes(registry: Registry): Counter<'result'> {
  return new Counter({
    name: 'caddy_tls_handshakes_total',
    help: 'Counter of server-side TLS handshakes, by result (ok or error).',
    labelNames: ['result'],
    registers: [registry],
  });
}

/** Counts a layer4 server's connections: call on accept, and the returned function once, when it closes. */
export function layer4Connections(registry: Registry): (server: string) => () => void {
  const total = new Counter({
    name: 'caddy_layer4_connections_total',
    help: 'Counter of TCP connections accepted by layer4 servers.',
    labelNames: ['server'],
    registers: [registry],
  });
  const open = new Gauge({
    name: 'caddy_layer4_connections_in_flight',
    help: 'Number of connections currently handled by layer4 servers.',
    labelNames: ['server'],
    registers: [registry],
  });
  // One pair of labelled children and one close function per server, not per connection: an open connection
  // holds what it is given for as long as it lasts.
  const byServer = new Map<string, { count: () => void; closed: () => void }>();
  return (server) => {
    let s = byServer.get(server);
    if (!s) {
      const t = total.labels(server);
      const o = open.labels(server);
      s = {
        count: () => {
          t.inc();
          o.inc();
        },
        closed: () => o.dec(),
      };
      byServer.set(server, s);
    }
    s.count();
    return s.closed;
  };
}
