/**
 * @module config-loader/postgres: `caddy.config_loaders.postgres` (`admin.config.load`): the instance serves the
 * fleet's active config (storage/fleet-config.ts) and follows each change announced with NOTIFY, through the
 * instance's reload (a config that fails to load leaves the old one serving). What it made of each version goes
 * to the status table. The last config it served is kept in the data folder, so the instance starts from it
 * while the database is down. A dropped LISTEN connection is opened again with back-off (bounded), and the
 * active version read again, since notifications sent meanwhile are lost.
 *
 * Caddy runs a loader once (again after `load_delay` when the loaded config names a loader too); this one
 * listens instead of polling, so the config it loads keeps the loader that brought it (unless it names its own).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { PostgresConfigLoader } from '@proxy/contract';
import { configSha, FleetConfigStore } from '../storage/fleet-config.js';
import { sharedPostgresStorage } from '../storage/postgres.js';
import { sleep } from '../storage/storage.js';
import { dataDir } from '../tls/storage.js';

/** What the loader needs from the instance. */
export interface LoaderHost {
  /** Loads a config (throws, keeping the running one, when it cannot). */
  apply(json: unknown): Promise<void>;
  logger(): Logger;
}

/** The last version this instance served, as cached in the data folder. */
interface Cached {
  id: number;
  sha256: string;
  config: unknown;
}

/** Back-off of the LISTEN connection: from MIN_DELAY, doubling, at most MAX_DELAY between attempts. */
const MIN_DELAY = 250;
const MAX_DELAY = 3_000;

/** The config with this loader in `admin.config.load`, unless it names a loader of its own. */
export function withLoader(config: unknown, loader: PostgresConfigLoader): unknown {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return config;
  const c = config as { admin?: { config?: { load?: unknown } } };
  if (c.admin?.config?.load !== undefined) return config;
  return { ...c, admin: { ...(c.admin ?? {}), config: { ...(c.admin?.config ?? {}), load: loader } } };
}

/** Caddy's instance ID: a UUID kept in `instance.uuid` in the data folder (made on first use). */
export function instanceId(env: NodeJS.ProcessEnv): string {
  const file = path.join(dataDir(undefined, env), 'instance.uuid');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (id) return id;
  } catch {
    /* first run */
  }
  const id = randomUUID();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}

export class PostgresConfigLoaderRuntime {
  private readonly store: FleetConfigStore;
  private readonly instance: string;
  private readonly cacheFile: string;
  private readonly abort = new AbortController();
  private client: pg.Client | undefined;
  private current: number | undefined;
  private down = false;
  private work: Promise<void> = Promise.resolve();
  private pending = false;

  constructor(
    readonly json: PostgresConfigLoader,
    env: NodeJS.ProcessEnv,
    private readonly host: LoaderHost,
  ) {
    const { module: _, instance_id, ...storage } = json;
    const st = sharedPostgresStorage(storage, host.logger().child({ logger: 'config.loader.postgres' }));
    this.store = new FleetConfigStore(st, storage.table_prefix ?? 'certmagic_');
    this.instance = instance_id ?? instanceId(env);
    this.cacheFile = path.join(dataDir(undefined, env), 'fleet-config', `${configSha(st.id).slice(0, 16)}.json`);
  }

  private get log(): Logger {
    return this.host.logger().child({ logger: 'config.loader.postgres' });
  }

  private get where(): string {
    return this.store.storage.description;
  }

  /**
   * Loads the active config (or, with the database down, the cached one) and starts following changes. Rejects
   * when the database cannot be reached and nothing is cached.
   */
  async start(): Promise<void> {
    let active: Cached | undefined;
    try {
      active = await this.store.active();
    } catch (e) {
      const cached = this.readCache();
      if (!cached)
        throw new Error(
          `the config database ${this.where} cannot be reached (${(e as Error).message.replace(`postgres storage ${this.where}: `, '')}) and there is no cached config (${this.cacheFile})`,
        );
      this.markDown(e);
      this.log.warn(
        { version: cached.id, cache: this.cacheFile },
        'starting from the cached config until the config database is back',
      );
      active = cached;
    }
    if (active) await this.applyVersion(active, !this.down);
    else this.log.info({ database: this.where }, 'no config pushed to the database yet; serving the initial one');
    void this.follow();
  }

  stop(): void {
    this.abort.abort(new Error('config loader stopped'));
    void this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private markDown(e: unknown): void {
    if (this.down) return;
    this.down = true;
    this.log.warn(
      { database: this.where, error: (e as Error).message },
      'config database unreachable; serving the current config, retrying with back-off',
    );
  }

  /** Holds the LISTEN connection, opening it again after it drops. */
  private async follow(): Promise<void> {
    let delay = MIN_DELAY;
    while (!this.stopped) {
      try {
        const c = await this.store.storage.dedicatedClient();
        if (this.stopped) {
          await c.end().catch(() => undefined);
          return;
        }
        this.client = c;
        const closed = new Promise<unknown>((resolve) => {
          c.on('error', resolve);
          c.on('end', () => resolve(new Error('connection closed')));
        });
        c.on('notification', () => this.check());
        await c.query(`LISTEN "${this.store.channel}"`);
        if (this.down) {
          this.down = false;
          this.log.info({ database: this.where }, 'config database reachable again; reading the active config');
        }
        delay = MIN_DELAY;
        // Notifications sent while this connection was not listening are lost: read what is active now.
        this.check();
        const why = await closed;
        this.client = undefined;
        await c.end().catch(() => undefined);
        if (this.stopped) return;
        this.markDown(why);
      } catch (e) {
        if (this.stopped) return;
        this.markDown(e);
      }
      await sleep(delay * (0.5 + Math.random() / 2), this.abort.signal).catch(() => undefined);
      delay = Math.min(delay * 2, MAX_DELAY);
    }
  }

  /** Reads the active version and applies it when it changed (one check at a time, coalesced). */
  private check(): void {
    if (this.pending) return;
    this.pending = true;
    this.work = this.work.then(async () => {
      this.pending = false;
      if (this.stopped) return;
      try {
        const active = await this.store.active();
        if (active) await this.applyVersion(active, true);
      } catch (e) {
        this.log.warn({ database: this.where, error: (e as Error).message }, 'could not read the active config');
      }
    });
  }

  private async applyVersion(v: Cached, report: boolean): Promise<void> {
    if (v.id === this.current) return;
    try {
      await this.host.apply(withLoader(v.config, this.json));
    } catch (e) {
      const error = (e as Error).message;
      this.log.error({ version: v.id, error }, 'config version failed to load; keeping the running config');
      if (report) await this.report(v.id, false, error);
      return;
    }
    this.current = v.id;
    this.log.info({ version: v.id, sha256: v.sha256 }, 'config version loaded');
    this.writeCache(v);
    if (report) await this.report(v.id, true);
  }

  private async report(id: number, ok: boolean, error?: string): Promise<void> {
    try {
      await this.store.recordStatus(this.instance, id, ok, error);
    } catch (e) {
      this.log.warn({ version: id, error: (e as Error).message }, 'could not record the config status');
    }
  }

  private readCache(): Cached | undefined {
    try {
      const c = JSON.parse(readFileSync(this.cacheFile, 'utf8')) as Cached;
      return typeof c.id === 'number' && c.config !== undefined ? c : undefined;
    } catch {
      return undefined;
    }
  }

  /** Written atomically (a crash leaves the old copy); a failure costs the copy, not the config. */
  private writeCache(v: Cached): void {
    try {
      mkdirSync(path.dirname(this.cacheFile), { recursive: true, mode: 0o700 });
      const tmp = `${this.cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ id: v.id, sha256: v.sha256, config: v.config }), { mode: 0o600 });
      renameSync(tmp, this.cacheFile);
    } catch (e) {
      this.log.warn({ file: this.cacheFile, error: (e as Error).message }, 'could not cache the config');
    }
  }
}
