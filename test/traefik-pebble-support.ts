/**
 * @module traefik-pebble-support: `proxy run --adapter traefik` with a static configuration whose certificate
 * resolvers use pebble: `web` (redirecting to `websecure`) where the CA validates http-01, `websecure` where it
 * validates tls-alpn-01; the `alpn` resolver (EC256) uses tlsChallenge, the `http` one (EC384) httpChallenge on web.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort, isolatedEnv, type Server, serveProxy, until } from './cli-support.js';
import { connectable, type Pebble, startPebble } from './pebble-support.js';

export interface TraefikWithPebble {
  server: Server;
  pebble: Pebble;
  webPort: number;
  securePort: number;
}

/** Starts pebble, then the proxy with `dynamic` as its dynamic file; returns once both entry points accept. */
export async function startTraefikWithPebble(dir: string, dynamic: string): Promise<TraefikWithPebble> {
  const [webPort, securePort] = [await freePort(), await freePort()];
  const pebble = await startPebble(dir, { httpPort: webPort, tlsPort: securePort, dns: true });
  const resolver = (keyType: string, challenge: string): string => `    acme:
      email: ops@example.org
      caServer: ${pebble.directory}
      caCertificates: ["${pebble.caCert}"]
      storage: ${path.join(dir, 'acme', 'acme.json')}
      keyType: ${keyType}
${challenge}`;
  const staticFile = path.join(dir, 'traefik.yml');
  fs.writeFileSync(
    staticFile,
    `entryPoints:
  web:
    address: "127.0.0.1:${webPort}"
    http:
      redirections:
        entryPoint:
          to: websecure
  websecure:
    address: "127.0.0.1:${securePort}"
certificatesResolvers:
  alpn:
${resolver('EC256', '      tlsChallenge: {}\n')}  http:
${resolver('EC384', '      httpChallenge:\n        entryPoint: web\n')}`,
  );
  const dynamicFile = path.join(dir, 'dynamic.yml');
  fs.writeFileSync(dynamicFile, dynamic);
  const server = serveProxy(
    ['run', '--adapter', 'traefik', '--config', dynamicFile, '--static', staticFile],
    isolatedEnv(dir, { CADDY_ADMIN: `127.0.0.1:${await freePort()}` }),
  );
  for (const p of [webPort, securePort]) await until(() => connectable(p), 150, 200);
  return { server, pebble, webPort, securePort };
}
