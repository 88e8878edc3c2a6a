/** @module http/handlers/authentication: `http.handlers.authentication` and its `http_basic` provider. */
import bcrypt from 'bcryptjs';
import { authenticationSchema, httpBasicSchema, type AuthenticationHandler } from '@proxy/contract';
import type { LoadContext, RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { HandlerError } from '../errors.js';
import type { Handler, Next } from '../handler.js';
import type { HttpRequest } from '../request.js';
import type { ResponseWriter } from '../response.js';

/** An authentication provider (`http.authentication.providers.*`). */
export interface AuthProvider {
  /** Resolves the user ID, or undefined when not authenticated (after setting any challenge headers). */
  authenticate(r: HttpRequest, w: ResponseWriter): Promise<string | undefined>;
}

type BasicConfig = NonNullable<NonNullable<AuthenticationHandler['providers']>['http_basic']>;

/** A bcrypt hash nobody's password matches, compared for unknown users so timing does not reveal them. */
const DUMMY_HASH = '$2a$10$7eqJtq98hPqEX7fNZaFWoOhi5BWX4Z3hFgIxpYuqvvU3Aq5nqP1ha';

class HttpBasic implements AuthProvider {
  private readonly accounts = new Map<string, string>();
  private readonly realm: string;
  private readonly cache: Map<string, boolean> | undefined;
  constructor(c: BasicConfig, path: string) {
    const alg = c.hash?.algorithm ?? 'bcrypt';
    if (alg !== 'bcrypt')
      throw ConfigError.at(
        joinPath(joinPath(path, 'hash'), 'algorithm'),
        `hash algorithm "${alg}" is not supported yet (bcrypt is)`,
      );
    for (const [i, a] of (c.accounts ?? []).entries()) {
      const p = joinPath(joinPath(path, 'accounts'), i);
      if (!a.username) throw ConfigError.at(joinPath(p, 'username'), 'username is required');
      let hash = a.password ?? '';
      if (!hash.startsWith('$')) hash = Buffer.from(hash, 'base64').toString('utf8');
      if (!/^\$2[abxy]?\$\d\d\$/.test(hash)) throw ConfigError.at(joinPath(p, 'password'), 'not a bcrypt hash');
      if (this.accounts.has(a.username))
        throw ConfigError.at(joinPath(p, 'username'), `duplicate account "${a.username}"`);
      this.accounts.set(a.username, hash);
    }
    this.realm = c.realm || 'restricted';
    this.cache = c.hash_cache ? new Map() : undefined;
  }

  async authenticate(r: HttpRequest, w: ResponseWriter): Promise<string | undefined> {
    const creds = parseBasic(r.headers.get('authorization'));
    let ok = false;
    if (creds) {
      const hash = this.accounts.get(creds.user);
      const key = `${creds.user}\0${creds.pass}`;
      const cached = hash ? this.cache?.get(key) : undefined;
      if (cached !== undefined) ok = cached;
      else {
        const same = await bcrypt.compare(creds.pass, hash ?? DUMMY_HASH);
        ok = same && hash !== undefined;
        if (hash && this.cache) {
          if (this.cache.size > 1000) this.cache.clear();
          this.cache.set(key, ok);
        }
      }
    }
    if (ok) return creds!.user;
    w.header.set('WWW-Authenticate', `Basic realm="${this.realm.replace(/"/g, '')}"`);
    return undefined;
  }
}

function parseBasic(h: string | undefined): { user: string; pass: string } | undefined {
  if (!h || !/^basic /i.test(h)) return undefined;
  const dec = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = dec.indexOf(':');
  return i < 0 ? undefined : { user: dec.slice(0, i), pass: dec.slice(i + 1) };
}

export const httpBasicProvider: RuntimeModule<AuthProvider> = {
  id: 'http.authentication.providers.http_basic',
  kind: 'part',
  doc: 'HTTP basic authentication against hashed passwords.',
  schema: httpBasicSchema,
  create: (json, _ctx, path) => new HttpBasic(json as BasicConfig, path),
};

class Authentication implements Handler {
  private providers: AuthProvider[] = [];
  constructor(
    private readonly c: AuthenticationHandler,
    private readonly path: string,
  ) {}
  async provision(ctx: LoadContext): Promise<void> {
    const loaded = await ctx.loadMap<AuthProvider>(
      this.c.providers ?? {},
      'http.authentication.providers',
      joinPath(this.path, 'providers'),
    );
    this.providers = loaded.map((l) => l.module);
  }
  async serve(r: HttpRequest, w: ResponseWriter, next: Next): Promise<void> {
    for (const p of this.providers) {
      const user = await p.authenticate(r, w);
      if (user !== undefined) {
        r.extra.set('http.auth.user.id', user);
        return next(r, w);
      }
    }
    throw new HandlerError(401, 'not authenticated');
  }
}

export const authentication: RuntimeModule<Handler> = {
  id: 'http.handlers.authentication',
  kind: 'handler',
  doc: 'Authenticates requests with its providers.',
  schema: authenticationSchema,
  create: (json, _ctx, path) => new Authentication(json as AuthenticationHandler, path),
};
