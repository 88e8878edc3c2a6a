/** @module tls/on-demand: on-demand TLS: asks a permission endpoint before obtaining a certificate during a handshake. */
import http from 'node:http';
import https from 'node:https';
import type { TlsAutomation } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';

/** Decides whether a certificate may be obtained for a name. */
export type Permission = (name: string) => Promise<boolean>;

/** Compiles the `on_demand` permission (the `http` permission module, or the older `ask` URL). */
export function compilePermission(cfg: TlsAutomation['on_demand'], path: string): Permission {
  const endpoint = cfg?.permission?.endpoint ?? cfg?.ask;
  if (cfg?.permission && cfg.permission.module !== 'http')
    throw ConfigError.at(
      joinPath(joinPath(path, 'permission'), 'module'),
      `permission module "${cfg.permission.module}" is not supported yet (http is)`,
    );
  if (!endpoint)
    throw ConfigError.at(
      path,
      'on-demand TLS needs a permission endpoint (permission.endpoint or ask), or anyone could make the server obtain certificates',
    );
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw ConfigError.at(path, `invalid permission endpoint "${endpoint}"`);
  }
  return (name) =>
    new Promise((resolve) => {
      const u = new URL(url);
      u.searchParams.set('domain', name);
      const mod = u.protocol === 'https:' ? https : http;
      const req = mod.get(u, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) >= 200 && (res.statusCode ?? 500) < 300);
      });
      req.setTimeout(10_000, () => req.destroy());
      req.on('error', () => resolve(false));
    });
}
