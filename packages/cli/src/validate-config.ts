/**
 * @module validate-config: structural checks of an adapted config (`adapt --validate`): known top-level
 * keys and apps, and the shape of http servers, routes and handlers. Problems are reported with their JSON path.
 */

type J = Record<string, unknown>;

const TOP_LEVEL = new Set(['admin', 'logging', 'storage', 'apps']);
const APPS = new Set(['http', 'tls', 'pki', 'layer4', 'events', 'caddy.filesystems']);

function isObject(v: unknown): v is J {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkRoutes(routes: unknown, path: string, out: string[]): void {
  if (!Array.isArray(routes)) {
    out.push(`${path}: routes must be an array`);
    return;
  }
  routes.forEach((r, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(r)) {
      out.push(`${p}: a route must be an object`);
      return;
    }
    if (r['match'] !== undefined && (!Array.isArray(r['match']) || !r['match'].every(isObject)))
      out.push(`${p}.match: must be an array of matcher sets`);
    const handle = r['handle'];
    if (handle === undefined) return;
    if (!Array.isArray(handle)) {
      out.push(`${p}.handle: must be an array`);
      return;
    }
    handle.forEach((h, j) => {
      const hp = `${p}.handle[${j}]`;
      if (!isObject(h) || typeof h['handler'] !== 'string' || h['handler'] === '') {
        out.push(`${hp}: a handler needs a "handler" module name`);
        return;
      }
      if (h['handler'] === 'subroute' && h['routes'] !== undefined) checkRoutes(h['routes'], `${hp}.routes`, out);
    });
  });
}

/** Returns the problems found (empty when the config looks loadable). */
export function validateConfig(config: unknown): string[] {
  const out: string[] = [];
  if (!isObject(config)) return ['config: must be a JSON object'];
  for (const k of Object.keys(config)) if (!TOP_LEVEL.has(k)) out.push(`${k}: unknown top-level field`);
  const apps = config['apps'];
  if (apps === undefined) return out;
  if (!isObject(apps)) return [...out, 'apps: must be an object'];
  for (const name of Object.keys(apps)) if (!APPS.has(name)) out.push(`apps.${name}: unknown app module`);
  const http = apps['http'];
  if (isObject(http)) {
    const servers = http['servers'];
    if (!isObject(servers)) out.push('apps.http.servers: must be an object');
    else {
      for (const [name, srv] of Object.entries(servers)) {
        const p = `apps.http.servers.${name}`;
        if (!isObject(srv)) {
          out.push(`${p}: must be an object`);
          continue;
        }
        const listen = srv['listen'];
        if (
          listen !== undefined &&
          (!Array.isArray(listen) || !listen.every((a) => typeof a === 'string' && a !== ''))
        ) {
          out.push(`${p}.listen: must be a list of network addresses`);
        }
        if (srv['routes'] !== undefined) checkRoutes(srv['routes'], `${p}.routes`, out);
        const errors = srv['errors'];
        if (isObject(errors) && errors['routes'] !== undefined)
          checkRoutes(errors['routes'], `${p}.errors.routes`, out);
      }
    }
  }
  return out;
}
