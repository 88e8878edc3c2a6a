/**
 * @module fleet-support: a fleet of `proxy run` instances following one config in a real PostgreSQL 15 (the
 * postgres config loader), for test/fleet-config.test.ts and test/stress/fleet-outage.test.ts. Every instance
 * has its own data folder (its instance ID and its local copy of the config and certificates) and its own ports,
 * given through the environment: the pushed config listens on `{env.FLEET_HTTP}` and `{env.FLEET_HTTPS}`. The
 * bootstrap naming the loader is JSON (`startMember`) or a Caddyfile (`startMemberFromCaddyfile`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import pg from 'pg';
import { freePort, get, isolatedEnv, proxy, type Result, type Server, serveProxy, until } from './cli-support.js';
import type { PgCluster } from './l4-support.js';

export const PREFIX = 'fleet_';

/** One instance: its ports, its folder, and the process once started. */
export interface Member {
  name: string;
  http: number;
  https: number;
  env: NodeJS.ProcessEnv;
  server?: Server;
}

export function connOf(cluster: PgCluster): string {
  return `postgresql://postgres@127.0.0.1:${cluster.port}/postgres`;
}

/** The config pushed to the fleet: `body` on the plain port, and HTTPS (local CA) for `names` on the other. */
export function fleetConfig(conn: string, body: string, names: string[], plainListen = '127.0.0.1:{env.FLEET_HTTP}') {
  return {
    admin: { disabled: true },
    storage: { module: 'postgres', connection_string: conn, table_prefix: PREFIX },
    apps: {
      http: {
        servers: {
          plain: {
            listen: [plainListen],
            automatic_https: { disable: true },
            routes: [{ handle: [{ handler: 'static_response', body }] }],
          },
          secure: {
            listen: ['127.0.0.1:{env.FLEET_HTTPS}'],
            automatic_https: { disable_redirects: true },
            routes: [{ match: [{ host: names }], handle: [{ handler: 'static_response', body: `tls ${body}` }] }],
          },
        },
      },
      tls: { automation: { policies: [{ issuers: [{ module: 'internal' }] }] } },
    },
  };
}

/** Writes a config to a file and pushes it (`proxy config push --to`). */
export async function push(dir: string, conn: string, json: unknown, file = 'push.json'): Promise<Result> {
  const f = path.join(dir, file);
  writeFileSync(f, JSON.stringify(json));
  return proxy(['config', 'push', '--to', conn, '--table-prefix', PREFIX, f], { env: isolatedEnv(dir) });
}

/** Queries the fleet's database. */
export async function query<R extends pg.QueryResultRow>(
  conn: string,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  const c = new pg.Client({ connectionString: conn });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** Three (or n) instances' ports and folders, each with the bootstrap config that names the loader. */
export async function members(dir: string, conn: string, n = 3): Promise<Member[]> {
  const out: Member[] = [];
  for (let i = 0; i < n; i++) {
    const home = path.join(dir, `member-${i}`);
    mkdirSync(home, { recursive: true });
    const [http, https] = [await freePort(), await freePort()];
    out.push({
      name: `member-${i}`,
      http,
      https,
      env: isolatedEnv(home, { FLEET_HTTP: String(http), FLEET_HTTPS: String(https) }),
    });
  }
  writeFileSync(
    path.join(dir, 'bootstrap.json'),
    JSON.stringify({
      admin: {
        disabled: true,
        config: { load: { module: 'postgres', connection_string: conn, table_prefix: PREFIX } },
      },
    }),
  );
  return out;
}

/** Starts an instance on the bootstrap config (it loads the fleet's active config). */
export function startMember(dir: string, m: Member, instanceId?: string): Server {
  let file = path.join(dir, 'bootstrap.json');
  if (instanceId) {
    // The same bootstrap with an instance ID of its own in the status table.
    const boot = JSON.parse(readFileSync(file, 'utf8')) as { admin: { config: { load: Record<string, unknown> } } };
    boot.admin.config.load['instance_id'] = instanceId;
    file = path.join(dir, `bootstrap-${instanceId}.json`);
    writeFileSync(file, JSON.stringify(boot));
  }
  m.server = serveProxy(['run', '--config', file], m.env);
  return m.server;
}

/**
 * Starts an instance on a Caddyfile bootstrap naming the same loader (`admin { config { load postgres ... } }`).
 * `admin off` takes no block (Caddy's rule), so the bootstrap's admin endpoint listens on a port of its own until
 * the loaded config turns it off.
 */
export async function startMemberFromCaddyfile(
  dir: string,
  conn: string,
  m: Member,
  instanceId: string,
): Promise<Server> {
  const file = path.join(dir, `bootstrap-${instanceId}.Caddyfile`);
  writeFileSync(
    file,
    [
      '{',
      `\tadmin 127.0.0.1:${await freePort()} {`,
      '\t\tconfig {',
      `\t\t\tload postgres "${conn}" {`,
      `\t\t\t\ttable_prefix ${PREFIX}`,
      `\t\t\t\tinstance_id ${instanceId}`,
      '\t\t\t}',
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\n'),
  );
  m.server = serveProxy(['run', '--config', file], m.env);
  return m.server;
}

/** The body an instance serves on its plain port now ('' when it does not answer). */
export async function body(m: Member): Promise<string> {
  try {
    return (await get(m.http)).body;
  } catch {
    return '';
  }
}

/** Waits until every instance serves `want` on its plain port (bounded). */
export async function converge(ms: Member[], want: string, tries = 300, delayMs = 20): Promise<void> {
  await until(
    async () => {
      const got = await Promise.all(ms.map(body));
      if (!got.every((b) => b === want)) throw new Error(`serving ${JSON.stringify(got)}, waiting for "${want}"`);
    },
    tries,
    delayMs,
  );
}

/** The certificate an instance presents for a name (not verified). */
export function peerCert(port: number, servername: string): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      const cert = s.getPeerCertificate();
      s.end();
      resolve(cert);
    });
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('error', reject);
  });
}
