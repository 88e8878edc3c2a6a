/**
 * @module http/listen-placeholders: as Caddy's http app (`repl.ReplaceOrErr(listen, true, true)` in its
 * Provision), global placeholders in listen addresses are replaced when the config loads: `:{env.PORT}` lets
 * the instances of a fleet share one config and still listen where each is told. An unknown or empty
 * placeholder is an error, as in Caddy.
 */
import type { HttpApp } from '@proxy/contract';
import { ConfigError, joinPath } from '../util/errors.js';
import { globalKey } from './replacer.js';

/** The app with its servers' listen placeholders replaced (the same object when there is none). */
export function replaceListenPlaceholders(app: HttpApp, env: NodeJS.ProcessEnv, path: string): HttpApp {
  const servers = app.servers ?? {};
  if (!Object.values(servers).some((s) => (s.listen ?? []).some((l) => l.includes('{')))) return app;
  const out: NonNullable<HttpApp['servers']> = {};
  for (const [name, srv] of Object.entries(servers)) {
    out[name] = {
      ...srv,
      ...(srv.listen
        ? {
            listen: srv.listen.map((l, i) =>
              l.replace(/\{([^{}]+)\}/g, (_, key: string) => {
                const v = key.startsWith('env.') ? (env[key.slice(4)] ?? '') : globalKey(key);
                if (!v)
                  throw ConfigError.at(
                    joinPath(joinPath(joinPath(path, name), 'listen'), i),
                    `placeholder {${key}} in "${l}" is ${v === undefined ? 'unknown' : 'empty'}`,
                  );
                return v;
              }),
            ),
          }
        : {}),
    };
  }
  return { ...app, servers: out };
}
