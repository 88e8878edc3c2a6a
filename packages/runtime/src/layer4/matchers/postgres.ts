/** @module layer4/matchers/postgres: `layer4.matchers.postgres` — the first PostgreSQL message, with user/database/client filters. */
import type { Layer4PostgresMatcher } from '@proxy/contract';
import type { Connection } from '../connection.js';
import { Layer4ConfigError } from '../errors.js';
import { parseFirstMessage } from '../postgres/messages.js';
import type { Matcher, MatcherFactory } from '../types.js';
import { MORE } from '../types.js';

export const createPostgresMatcher: MatcherFactory = (json, path): Matcher => {
  if (json !== undefined && (typeof json !== 'object' || json === null || Array.isArray(json))) {
    throw new Layer4ConfigError(path, 'expected an object');
  }
  const cfg = (json ?? {}) as Layer4PostgresMatcher;
  if (cfg.tls !== undefined && cfg.tls !== '' && cfg.tls !== 'enabled' && cfg.tls !== 'disabled') {
    throw new Layer4ConfigError(`${path}.tls`, `must be "enabled", "disabled" or "" (got ${JSON.stringify(cfg.tls)})`);
  }
  const users = cfg.user ? new Map(Object.entries(cfg.user).map(([u, dbs]) => [u, new Set(dbs ?? [])])) : undefined;
  const clients = cfg.client ? new Set(cfg.client) : undefined;
  const filtered = users !== undefined || clients !== undefined;
  return {
    match(cx: Connection) {
      const msg = parseFirstMessage(cx.buffer);
      if (msg === 'more') return MORE;
      if (msg === null || msg.kind === 'gssenc') return false;
      if (cfg.tls === 'enabled' && msg.kind !== 'ssl') return false;
      if (cfg.tls === 'disabled' && msg.kind === 'ssl') return false;
      if (!filtered) return true;
      if (msg.kind !== 'startup') return false;
      const user = msg.params.get('user');
      const database = msg.params.get('database');
      if (users) {
        // caddy-l4: a present user must be listed; "*" applies only when the user parameter is absent.
        const dbs = user !== undefined ? users.get(user) : database !== undefined ? users.get('*') : undefined;
        if (!dbs) return false;
        if (dbs.size > 0 && database !== undefined && !dbs.has(database)) return false;
      }
      if (clients) {
        const app = msg.params.get('application_name');
        if (app === undefined || !clients.has(app)) return false;
      }
      return true;
    },
  };
};
