/** @module http/handlers/reverse-proxy/dynamic-a: `a` dynamic upstreams: the addresses a name resolves to, refreshed periodically. */
import { lookup } from 'node:dns/promises';
import { durationOr, type DynamicAUpstreams } from '@proxy/contract';
import { ConfigError, joinPath } from '../../../util/errors.js';
import { UpstreamHost } from './upstream.js';

/** Resolves upstreams by A/AAAA lookup (the system resolver), caching them for `refresh`. */
export class AUpstreams {
  private cached: UpstreamHost[] = [];
  private expires = 0;
  private pending: Promise<UpstreamHost[]> | undefined;
  private readonly hosts = new Map<string, UpstreamHost>();
  private readonly refreshMs: number;
  constructor(
    private readonly c: Omit<DynamicAUpstreams, 'source'>,
    path: string,
  ) {
    if (!c.name) throw ConfigError.at(joinPath(path, 'name'), 'a name to look up is required');
    if (c.resolver?.addresses?.length)
      throw ConfigError.at(
        joinPath(path, 'resolver'),
        'custom resolvers are not supported yet (the system resolver is used)',
      );
    this.refreshMs = durationOr(c.refresh, 60_000);
  }

  /** The current upstreams (resolving when the cache is stale). */
  async get(): Promise<UpstreamHost[]> {
    if (Date.now() < this.expires) return this.cached;
    this.pending ??= this.resolve().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async resolve(): Promise<UpstreamHost[]> {
    const v4 = this.c.versions?.ipv4 ?? true;
    const v6 = this.c.versions?.ipv6 ?? true;
    try {
      const addrs = await lookup(this.c.name!, { all: true });
      const port = this.c.port ?? '80';
      this.cached = addrs
        .filter((a) => (a.family === 4 ? v4 : v6))
        .map((a) => {
          const dial = a.family === 6 ? `[${a.address}]:${port}` : `${a.address}:${port}`;
          let h = this.hosts.get(dial);
          if (!h) {
            h = new UpstreamHost(dial, 0, Number(port));
            this.hosts.set(dial, h);
          }
          return h;
        });
    } catch {
      this.cached = [];
    }
    this.expires = Date.now() + this.refreshMs;
    return this.cached;
  }
}
