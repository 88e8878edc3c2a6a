/**
 * @module storage/fleet-config: the fleet's configs in PostgreSQL, beside the postgres storage's data: every version
 * pushed is a row of `<prefix>configs` (kept for rollback), one of them active; each change of the active one is
 * announced with `NOTIFY <prefix>config` in the same transaction, so a listener never hears of a version it cannot
 * read yet. Instances record what they made of each version in `<prefix>config_status`.
 */
import { createHash } from 'node:crypto';
import type { PostgresStorage } from './postgres.js';

/** One stored version (without its config). */
export interface ConfigVersion {
  id: number;
  createdAt: Date;
  sha256: string;
  adapter: string;
  author: string;
  active: boolean;
}

/** An instance's report on a version. */
export interface ConfigStatus {
  instance: string;
  version: number;
  ok: boolean;
  error: string | null;
  at: Date;
}

/** The NOTIFY channel of a table prefix. */
export function configChannel(prefix: string): string {
  return `${prefix}config`;
}

/** The SHA-256 of a config's canonical text (as stored), in hex. */
export function configSha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface Row {
  id: string;
  created_at: Date;
  sha256: string;
  adapter: string;
  author: string;
  active: boolean;
}

const version = (r: Row): ConfigVersion => ({
  id: Number(r.id),
  createdAt: r.created_at,
  sha256: r.sha256,
  adapter: r.adapter,
  author: r.author,
  active: r.active,
});

export class FleetConfigStore {
  constructor(
    readonly storage: PostgresStorage,
    readonly prefix: string,
  ) {}

  private get t() {
    return this.storage.tableNames;
  }

  /** The channel instances LISTEN on. */
  get channel(): string {
    return configChannel(this.prefix);
  }

  /**
   * Stores a config as a new version and makes it the active one (a config identical to the active one is not
   * stored again: its version is returned with `unchanged`).
   */
  async push(
    json: unknown,
    source: string | undefined,
    adapter: string,
    author: string,
  ): Promise<{ id: number; unchanged: boolean }> {
    const text = JSON.stringify(json);
    const sha = configSha(text);
    return this.storage.transaction(async (c) => {
      // One push or rollback at a time: the active flag moves under this lock.
      await c.query(`LOCK TABLE ${this.t.configs} IN SHARE ROW EXCLUSIVE MODE`);
      const cur = await c.query<{ id: string; sha256: string }>(
        `SELECT id, sha256 FROM ${this.t.configs} WHERE active`,
      );
      if (cur.rows[0]?.sha256 === sha) return { id: Number(cur.rows[0].id), unchanged: true };
      await c.query(`UPDATE ${this.t.configs} SET active = false WHERE active`);
      const r = await c.query<{ id: string }>(
        `INSERT INTO ${this.t.configs} (sha256, config, source, adapter, author, active)
         VALUES ($1, $2, $3, $4, $5, true) RETURNING id`,
        [sha, text, source ?? null, adapter, author],
      );
      const id = Number(r.rows[0]!.id);
      await c.query('SELECT pg_notify($1, $2)', [this.channel, String(id)]);
      return { id, unchanged: false };
    });
  }

  /**
   * Makes a stored version active again: the given one, else the one before the active version. Resolves with
   * the version now active.
   */
  async rollback(to?: number): Promise<number> {
    return this.storage.transaction(async (c) => {
      await c.query(`LOCK TABLE ${this.t.configs} IN SHARE ROW EXCLUSIVE MODE`);
      const cur = await c.query<{ id: string }>(`SELECT id FROM ${this.t.configs} WHERE active`);
      const active = cur.rows[0] ? Number(cur.rows[0].id) : undefined;
      let target: number;
      if (to !== undefined) {
        const r = await c.query(`SELECT 1 FROM ${this.t.configs} WHERE id = $1`, [to]);
        if (r.rowCount === 0) throw new Error(`there is no config version ${to}`);
        target = to;
      } else {
        if (active === undefined) throw new Error('no config is active: nothing to roll back from');
        const r = await c.query<{ id: string }>(
          `SELECT id FROM ${this.t.configs} WHERE id < $1 ORDER BY id DESC LIMIT 1`,
          [active],
        );
        if (!r.rows[0]) throw new Error(`version ${active} is the first one: there is no previous version`);
        target = Number(r.rows[0].id);
      }
      if (target === active) return target;
      await c.query(`UPDATE ${this.t.configs} SET active = false WHERE active`);
      await c.query(`UPDATE ${this.t.configs} SET active = true WHERE id = $1`, [target]);
      await c.query('SELECT pg_notify($1, $2)', [this.channel, String(target)]);
      return target;
    });
  }

  /** Every version, oldest first. */
  async list(): Promise<ConfigVersion[]> {
    return this.storage.transaction(async (c) => {
      const r = await c.query<Row>(
        `SELECT id, created_at, sha256, adapter, author, active FROM ${this.t.configs} ORDER BY id`,
      );
      return r.rows.map(version);
    });
  }

  /** The active version and its config, or undefined when nothing was pushed yet. */
  async active(): Promise<{ id: number; sha256: string; config: unknown } | undefined> {
    return this.storage.transaction(async (c) => {
      const r = await c.query<{ id: string; sha256: string; config: unknown }>(
        `SELECT id, sha256, config FROM ${this.t.configs} WHERE active`,
      );
      const row = r.rows[0];
      return row ? { id: Number(row.id), sha256: row.sha256, config: row.config } : undefined;
    });
  }

  /** Records what an instance made of a version (the latest report per instance and version wins). */
  async recordStatus(instance: string, id: number, ok: boolean, error?: string): Promise<void> {
    await this.storage.transaction(async (c) => {
      await c.query(
        `INSERT INTO ${this.t.configStatus} (instance, version, ok, error, at) VALUES ($1, $2, $3, $4, now())
         ON CONFLICT (instance, version) DO UPDATE SET ok = excluded.ok, error = excluded.error, at = excluded.at`,
        [instance, id, ok, error ?? null],
      );
    });
  }

  /** The reports, newest first (of one version, or all). */
  async statuses(id?: number): Promise<ConfigStatus[]> {
    return this.storage.transaction(async (c) => {
      const r = await c.query<{ instance: string; version: string; ok: boolean; error: string | null; at: Date }>(
        `SELECT instance, version, ok, error, at FROM ${this.t.configStatus}
         ${id === undefined ? '' : 'WHERE version = $1'} ORDER BY at DESC, instance`,
        id === undefined ? [] : [id],
      );
      return r.rows.map((row) => ({ ...row, version: Number(row.version) }));
    });
  }
}
