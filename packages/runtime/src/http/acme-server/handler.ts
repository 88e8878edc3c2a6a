/**
 * @module http/acme-server/handler: `http.handlers.acme_server` (Caddy's modules/caddypki/acmeserver, current
 * Caddy): an ACME (RFC 8555) CA under `path_prefix` (default "/acme/") + the CA ID, signing with a pki CA.
 * Requests under the prefix are answered here (404 for unknown endpoints); others go on down the chain.
 * Directory links use `host` when set, else the request's host, always https as smallstep's are.
 */
import { durationOr, type AcmeServerHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
import { goDuration } from '../../util/go-format.js';
import type { Handler } from '../handler.js';
import type { HttpRequest } from '../request.js';
import type { ResponseWriter } from '../response.js';
import { verifyRequest } from './jws.js';
import { compilePolicy } from './policy.js';
import { AcmeError } from './problem.js';
import { AcmeServer, Links, type AcmeResponse, type ChallengeType } from './server.js';
import { stateFor } from './state.js';
import { createValidator } from './validate.js';
import { acmeServerSchema } from '@proxy/contract';

const DEFAULT_LIFETIME_MS = 12 * 3600_000;
const CHALLENGE_TYPES: readonly ChallengeType[] = ['http-01', 'dns-01', 'tls-alpn-01'];
const MAX_BODY = 64 * 1024;

function readBody(r: HttpRequest): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const body = r.body;
    body.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        body.destroy();
        reject(new AcmeError('malformed', 'request body too large', 413));
      } else chunks.push(c);
    });
    body.on('end', () => resolve(Buffer.concat(chunks)));
    body.on('error', reject);
  });
}

/** An endpoint the path names: its first segment, the IDs after it, and the methods it answers. */
interface Route {
  ep: string;
  a: string | undefined;
  b: string | undefined;
  path: string;
  methods: readonly string[];
}

const POST = ['POST'];

/** The endpoint for the path segments after the CA ID, as smallstep's router lays them out. */
function matchRoute(rest: string[]): Route | undefined {
  const [ep = '', a, b] = rest;
  const route = (methods: readonly string[]): Route => ({ ep, a, b, path: rest.join('/'), methods });
  if (rest.some((s) => s === '')) return undefined;
  switch (rest.length) {
    case 1:
      if (ep === 'directory') return route(['GET']);
      if (ep === 'new-nonce') return route(['GET', 'HEAD']);
      return ['new-account', 'new-order', 'revoke-cert', 'key-change'].includes(ep) ? route(POST) : undefined;
    case 2:
      return ['account', 'order', 'authz', 'certificate'].includes(ep) ? route(POST) : undefined;
    case 3:
      return (ep === 'account' && b === 'orders') || (ep === 'order' && b === 'finalize') || ep === 'challenge'
        ? route(POST)
        : undefined;
    default:
      return undefined;
  }
}

async function reply(w: ResponseWriter, status: number, type?: string, body?: string, nosniff = false): Promise<void> {
  if (type) w.header.set('Content-Type', type);
  if (nosniff) w.header.set('X-Content-Type-Options', 'nosniff');
  w.writeHead(status);
  await w.end(body);
}

export const acmeServerHandler: RuntimeModule<Handler> = {
  id: 'http.handlers.acme_server',
  kind: 'handler',
  doc: 'Serves an ACME server backed by a CA of the pki app.',
  schema: acmeServerSchema,
  create(json, ctx, path) {
    const cfg = json as AcmeServerHandler;
    const caId = cfg.ca || 'local';
    const prefix = `/${(cfg.path_prefix || '/acme/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
    const challenges = cfg.challenges?.length ? cfg.challenges : CHALLENGE_TYPES;
    for (const [i, c] of challenges.entries())
      if (!CHALLENGE_TYPES.includes(c as ChallengeType))
        throw ConfigError.at(joinPath(joinPath(path, 'challenges'), i), `ACME challenge "${c}" is not supported`);
    const lifetimeMs = durationOr(cfg.lifetime, DEFAULT_LIFETIME_MS) || DEFAULT_LIFETIME_MS;
    const policy = compilePolicy(cfg.policy, joinPath(path, 'policy'));
    const validator = createValidator(ctx.env, cfg.resolvers, path);
    const logger = ctx.logger.child({ logger: 'http.handlers.acme_server', ca: caId });
    let server: AcmeServer | undefined;

    const send = async (w: ResponseWriter, res: AcmeResponse, l: Links) => {
      // Every ACME resource but the directory carries a fresh nonce and the directory's link (RFC 8555 7.2).
      w.header.set('Cache-Control', 'no-store');
      w.header.add('Link', `<${l.directory()}>;rel="index"`);
      w.header.set('Replay-Nonce', server!.state.newNonce());
      for (const [k, v] of Object.entries(res.headers ?? {})) w.header.add(k, v);
      if (res.pem !== undefined) await reply(w, res.status, 'application/pem-certificate-chain', res.pem);
      else if (res.json !== undefined)
        await reply(
          w,
          res.status,
          res.status >= 400 ? 'application/problem+json' : 'application/json',
          `${JSON.stringify(res.json)}\n`,
        );
      else await reply(w, res.status);
    };

    const handle = async (r: HttpRequest, route: Route, l: Links): Promise<AcmeResponse> => {
      const s = server!;
      if (route.ep === 'new-nonce') return { status: r.method === 'HEAD' ? 200 : 204 };
      // Like smallstep, a body that is not a JWS is malformed, whatever its Content-Type says.
      const url = `${l.base}/${route.path}`;
      const key = route.ep === 'new-account' ? 'jwk' : route.ep === 'revoke-cert' ? 'either' : 'kid';
      const req = await verifyRequest(await readBody(r), s.state, url, key, l.account);
      const { a, b } = route;
      switch (route.ep) {
        case 'new-account':
          return s.newAccount(req, l);
        case 'new-order':
          return s.newOrder(req, l);
        case 'revoke-cert':
          return s.revoke(req);
        case 'key-change':
          throw new AcmeError('malformed', 'account key rollover is not implemented', 501);
        case 'account':
          return b === 'orders' ? s.accountOrders(req, a!, l) : s.updateAccount(req, a!, l);
        case 'order':
          return b === 'finalize' ? s.finalize(req, a!, l) : s.getOrder(req, a!, l);
        case 'authz':
          return s.getAuthz(req, a!, l);
        case 'challenge':
          return s.challenge(req, a!, b!, l);
        default:
          return s.certificate(req, a!);
      }
    };

    return {
      async provision() {
        const pki = ctx.apps.get('pki:config') as { certificate_authorities?: Record<string, unknown> } | undefined;
        if (caId !== 'local' && !pki?.certificate_authorities?.[caId])
          throw ConfigError.at(joinPath(path, 'ca'), `no certificate authority configured with id: ${caId}`);
        const ca = await ctx.tls!.ca(caId);
        if (lifetimeMs >= ca.intermediateLifetimeMs)
          throw ConfigError.at(
            joinPath(path, 'lifetime'),
            `certificate lifetime (${goDuration(lifetimeMs * 1e6)}) should be less than intermediate certificate lifetime (${goDuration(ca.intermediateLifetimeMs * 1e6)})`,
          );
        server = new AcmeServer({
          ca,
          state: stateFor(ca),
          lifetimeMs,
          signWithRoot: cfg.sign_with_root === true,
          challenges: challenges as ChallengeType[],
          policy,
          validator,
          logger,
        });
      },
      async serve(r, w, next) {
        const p = r.path;
        if (!p.startsWith(prefix)) return next(r, w);
        const [ca = '', ...rest] = p.slice(prefix.length).split('/');
        const route = matchRoute(rest);
        // Under the prefix nothing goes on down the chain: unknown paths and methods get the router's answers.
        if (!route) return reply(w, 404, 'text/plain; charset=utf-8', '404 page not found\n', true);
        if (!route.methods.includes(r.method)) return reply(w, 405);
        if (ca !== caId)
          return reply(
            w,
            404,
            'application/json',
            `${JSON.stringify({ type: 'notFound', detail: 'resource not found', message: `provisioner ${ca} not found` })}\n`,
          );
        const l = new Links(`https://${cfg.host || r.hostport}${prefix}${ca}`);
        if (route.ep === 'directory')
          return reply(w, 200, 'application/json', `${JSON.stringify(server!.directory(l).json)}\n`);
        let res: AcmeResponse;
        try {
          res = await handle(r, route, l);
        } catch (e) {
          let err: AcmeError;
          if (e instanceof AcmeError) err = e;
          else {
            logger.error({ error: String(e), uri: r.uri }, 'ACME request failed');
            err = new AcmeError('serverInternal', 'internal error', 500);
          }
          res = { status: err.status, json: err.problem };
        }
        await send(w, res, l);
      },
    };
  },
};
