/**
 * @module storage/postgres-failover: libpq's host lists (`host=a,b port=5432,5433`, `postgresql://a:1,b:2/db`): the
 * hosts are tried in order until one connects, and with `target_session_attrs=read-write` one that only takes
 * reads (a standby, or `default_transaction_read_only`) is skipped, as libpq does. The pool's clients connect to
 * the host that worked last; a connection failure moves on to the next host and runs the operation again.
 */
import type pg from 'pg';
import type { ClientConfig } from 'pg';

/** One host of the list (the port defaults to the connection's). */
export interface Host {
  host: string;
  port?: number;
}

/** The server answered but takes no writes while writes were asked for. */
class ReadOnlyServer extends Error {}

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
]);

/**
 * Whether an error says the server could not be used at all (so the next host may be). With read-write asked for,
 * a write refused as read-only counts too: the server was demoted since the connection was made (node-postgres
 * drops a connection whose query failed this way, so the next one goes to the next host).
 */
function connectFailure(e: unknown, readWrite: boolean): boolean {
  if (e instanceof ReadOnlyServer) return true;
  const err = e as { code?: unknown; message?: unknown };
  if (readWrite && err.code === '25006') return true;
  if (typeof err.code === 'string' && CONNECT_FAILURES.has(err.code)) return true;
  return typeof err.message === 'string' && /^Connection terminated|timeout expired/.test(err.message);
}

export class Failover {
  private current = 0;

  constructor(
    readonly hosts: readonly Host[],
    readonly readWrite: boolean,
  ) {}

  private get host(): Host {
    return this.hosts[this.current]!;
  }

  /** The client class the pool creates: connects to the current host and checks it takes writes when asked to. */
  clientClass(Base: typeof pg.Client): typeof pg.Client {
    const failover = this;
    class FailoverClient extends Base {
      constructor(cfg?: string | ClientConfig) {
        const h = failover.host;
        super({ ...(typeof cfg === 'object' ? cfg : {}), host: h.host, ...(h.port ? { port: h.port } : {}) });
      }

      override connect(): Promise<pg.Client>;
      override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
      override connect(
        callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void),
      ): Promise<pg.Client> | undefined {
        const done = (async () => {
          await super.connect();
          if (!failover.readWrite) return this;
          const r = await this.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
          if (r.rows[0]?.transaction_read_only === 'on') {
            await this.end().catch(() => undefined);
            throw new ReadOnlyServer('the server is read-only (target_session_attrs=read-write)');
          }
          return this;
        })();
        if (!callback) return done;
        const cb = callback as (err: Error | null, c?: pg.Client) => void;
        done.then(
          (c) => cb(null, c),
          (e: Error) => cb(e),
        );
        return undefined;
      }
    }
    return FailoverClient;
  }

  /** Runs `fn`, moving to the next host after a connection failure, until every host was tried once. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.hosts.length < 2) return fn();
    const failures: string[] = [];
    for (let i = 0; i < this.hosts.length; i++) {
      try {
        return await fn();
      } catch (e) {
        if (!connectFailure(e, this.readWrite)) throw e;
        failures.push(`${this.host.host}${this.host.port ? `:${this.host.port}` : ''}: ${(e as Error).message}`);
        this.current = (this.current + 1) % this.hosts.length;
      }
    }
    throw new Error(`no server of the host list could be used (${failures.join('; ')})`);
  }
}
