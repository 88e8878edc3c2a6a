/** @module adapt: a Traefik dynamic configuration (and optionally its static one) to Caddy JSON. */
import type { Config, Layer4App, Layer4TlsHandler } from '@proxy/contract';
import { addCertificates, NO_RESOLVERS, type CertRequest } from './acme.js';
import { addDefaultCert, DEFAULT_CERT_NAME } from './default-cert.js';
import { applyEntryPointsHttp } from './entrypoints-http.js';
import { TraefikConfigError, type TraefikDiagnostic } from './diagnostics.js';
import { Field } from './reader.js';
import { loadSource, type Format } from './source.js';
import { lowerHttp } from './http.js';
import { DEFAULT_ENTRYPOINTS, readStaticConfig, type StaticConfig } from './static.js';
import { lowerTcp, Problems } from './tcp.js';
import { readTlsSections, type TlsSection } from './tls.js';
import { lowerUdp } from './udp.js';

/** A file's text and name (its extension picks YAML or TOML unless `format` says). */
export interface TraefikFile {
  text: string;
  file: string;
  format?: Format;
}

export interface TraefikAdaptOptions {
  /** One or more dynamic files, merged as Traefik's file provider merges a directory. */
  dynamic: TraefikFile | TraefikFile[];
  static?: TraefikFile;
}

export interface TraefikAdaptResult {
  /** Present when there is no error. */
  config?: Config;
  errors: TraefikDiagnostic[];
  warnings: TraefikDiagnostic[];
}

function load(f: TraefikFile): Field {
  const src = loadSource(f.text, f.file, f.format);
  return new Field(src, src.value, []);
}

export function adaptTraefik(opts: TraefikAdaptOptions): TraefikAdaptResult {
  const problems = new Problems();
  let stat: StaticConfig | undefined = { entryPoints: DEFAULT_ENTRYPOINTS, resolvers: NO_RESOLVERS };
  if (opts.static) {
    const file = opts.static;
    stat = problems.attempt(() => readStaticConfig(load(file)));
  }
  const files = Array.isArray(opts.dynamic) ? opts.dynamic : [opts.dynamic];
  const roots = files.map((f) => problems.attempt(() => load(f)));
  if (!stat || roots.some((r) => !r)) return { errors: problems.errors, warnings: problems.warnings };
  const eps = stat.entryPoints;
  const resolvers = stat.resolvers;
  for (const w of resolvers.warnings) problems.warn(w.field, w.message);
  const tops = (roots as Field[]).map(
    (root) => problems.attempt(() => root.object(['tcp', 'tls', 'http', 'udp'], 'the dynamic configuration')) ?? {},
  );
  const present = (key: 'tcp' | 'tls' | 'udp' | 'http'): Field[] => tops.flatMap((t) => (t[key] ? [t[key]] : []));
  const tls: TlsSection = problems.attempt(() => readTlsSections(present('tls'))) ?? {
    certificates: undefined,
    options: new Map(),
    sniStrict: new Set(),
    defaultName: DEFAULT_CERT_NAME,
  };
  // TCP and HTTP routers push what their tls.certResolver asks for; addCertificates writes it once for both.
  const certRequests: CertRequest[] = [];
  const acme = { resolvers, requests: certRequests };
  const tcps = present('tcp');
  const tcpApp = tcps.length > 0 ? problems.attempt(() => lowerTcp(tcps, tls, eps, problems, acme)) : undefined;
  const udps = present('udp');
  const udpServers = udps.length > 0 ? (problems.attempt(() => lowerUdp(udps, eps, problems)) ?? {}) : {};
  const layer4: Layer4App | undefined =
    tcpApp || Object.keys(udpServers).length > 0
      ? { servers: { ...(tcpApp?.servers ?? {}), ...udpServers } }
      : undefined;
  const https = present('http');
  const tcpEntryPoints = new Set(Object.keys(tcpApp?.servers ?? {}));
  const http =
    https.length > 0 ? problems.attempt(() => lowerHttp(https, tls, eps, tcpEntryPoints, problems, acme)) : undefined;
  if (problems.errors.length > 0) return { errors: problems.errors, warnings: problems.warnings };
  const config: Config = { apps: {} };
  if (http) config.apps!.http = http.app;
  if (tls.certificates) config.apps!.tls = { certificates: tls.certificates };
  if (layer4) config.apps!.layer4 = layer4;
  if ((layer4 && usesDefaultCert(layer4)) || http?.usesDefaultCert) addDefaultCert(config);
  addCertificates(config, certRequests, resolvers, (f, m) => problems.warn(f, m));
  // After the routers' servers exist: an entry point's settings go to whichever HTTP server listens on it.
  applyEntryPointsHttp(config, eps, resolvers, problems, http?.priorities);
  if (problems.errors.length > 0) return { errors: problems.errors, warnings: problems.warnings };
  return { config, errors: [], warnings: problems.warnings };
}

/** Whether a terminating policy falls back to the default certificate (sniStrict ones do not). */
function usesDefaultCert(app: Layer4App): boolean {
  return Object.values(app.servers ?? {}).some((s) =>
    (s.routes ?? []).some((r) =>
      r.handle?.some(
        (h) =>
          h.handler === 'tls' &&
          (h as Layer4TlsHandler).connection_policies?.some((p) => p.fallback_sni === DEFAULT_CERT_NAME),
      ),
    ),
  );
}

export { TraefikConfigError };
