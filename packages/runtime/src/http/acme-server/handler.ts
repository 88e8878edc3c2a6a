/**
 * @module http/acme-server/handler: `http.handlers.acme_server` (Caddy's modules/caddypki/acmeserver, current
 * Caddy): an ACME (RFC 8555) CA under `path_prefix` (default "/acme/") + the CA ID, signing with a pki CA.
 * Requests under the prefix are answered here (404 for unknown endpoints); others go on down the chain.
 * Directory links use `host` when set, else the request's host, always https as smallstep's are.
 */
import { durationOr, type AcmeServerHandler } from '@proxy/contract';
import type { RuntimeModule } from '../../modules.js';
import { ConfigError, joinPath } from '../../util/errors.js';
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

    const send = async (r: HttpRequest, w: ResponseWriter, res: AcmeResponse, l: Links, nonce: string) => {
      w.header.set('Replay-Nonce', nonce);
      w.header.set('Cache-Control', 'no-store');
      w.header.add('Link', `<${l.directory()}>;rel="index"`);
      for (const [k, v] of Object.entries(res.headers ?? {})) w.header.add(k, v);
      if (res.pem !== undefined) {
        w.header.set('Content-Type', 'application/pem-certificate-chain');
        w.writeHead(res.status);
        await w.end(r.method === 'HEAD' ? undefined : res.pem);
      } else if (res.json !== undefined) {
        w.header.set('Content-Type', res.status >= 400 ? 'application/problem+json' : 'application/json');
        w.writeHead(res.status);
        await w.end(r.method === 'HEAD' ? undefined : JSON.stringify(res.json));
      } else {
        w.writeHead(res.status);
        await w.end();
      }
    };

    const route = async (r: HttpRequest, rest: string[], l: Links): Promise<AcmeResponse> => {
      const s = server!;
      const [ep, a, b, c] = rest;
      if (rest.length === 1 && ep === 'directory') {
        if (r.method !== 'GET' && r.method !== 'HEAD') throw new AcmeError('malformed', 'use GET', 405);
        return s.directory(l);
      }
      if (rest.length === 1 && ep === 'new-nonce') {
        if (r.method === 'HEAD') return { status: 200 };
        if (r.method === 'GET') return { status: 204 };
        throw new AcmeError('malformed', 'use HEAD or GET', 405);
      }
      const kind = ep === 'new-account' ? 'jwk' : ep === 'revoke-cert' ? 'either' : 'kid';
      const known =
        (rest.length === 1 && ['new-account', 'new-order', 'revoke-cert', 'key-change'].includes(ep!)) ||
        (rest.length === 2 && ['account', 'order', 'authz', 'certificate'].includes(ep!)) ||
        (rest.length === 3 &&
          ((ep === 'account' && b === 'orders') || (ep === 'order' && b === 'finalize') || ep === 'challenge'));
      if (!known || c !== undefined) throw new AcmeError('malformed', 'not found', 404);
      if (r.method !== 'POST') throw new AcmeError('malformed', 'use POST', 405);
      if (!/^application\/jose\+json\s*(;|$)/i.test(r.headers.get('content-type') ?? ''))
        throw new AcmeError('malformed', 'Content-Type must be application/jose+json', 415);
      const url = `${l.base}/${rest.join('/')}`;
      const req = await verifyRequest(await readBody(r), s.state, url, kind, l.account);
      switch (ep) {
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
            `certificate lifetime (${lifetimeMs / 1000}s) should be less than intermediate certificate lifetime (${ca.intermediateLifetimeMs / 1000}s)`,
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
        const [ca, ...rest] = p.slice(prefix.length).split('/');
        const l = new Links(`https://${cfg.host || r.hostport}${prefix}${ca}`);
        const nonce = server!.state.newNonce();
        let res: AcmeResponse;
        try {
          if (ca !== caId) throw new AcmeError('malformed', `provisioner ${JSON.stringify(ca)} not found`, 404);
          res = await route(r, rest, l);
        } catch (e) {
          let err: AcmeError;
          if (e instanceof AcmeError) err = e;
          else {
            logger.error({ error: String(e), uri: r.uri }, 'ACME request failed');
            err = new AcmeError('serverInternal', 'internal error', 500);
          }
          res = { status: err.status, json: err.problem };
        }
        await send(r, w, res, l, nonce);
      },
    };
  },
};
