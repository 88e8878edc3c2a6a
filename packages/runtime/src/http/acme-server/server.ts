/**
 * @module http/acme-server/server: the ACME operations (RFC 8555 section 7) over one CA's state, independent of
 * the HTTP plumbing: each takes the verified request and returns the response to send. URLs follow smallstep's
 * layout, which Caddy serves: `<base>/directory`, `/new-nonce`, `/new-account`, `/new-order`, `/account/<id>`,
 * `/account/<id>/orders`, `/order/<id>`, `/order/<id>/finalize`, `/authz/<id>`, `/challenge/<authz>/<id>`,
 * `/certificate/<id>`, `/revoke-cert` and `/key-change`.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { joseLib } from './jose-lib.js';
import type { Logger } from 'pino';
import type { InternalCa } from '../../tls/internal-ca.js';
import { checkCsr, type CheckedCsr } from '../../tls/x509.js';
import type { VerifiedRequest } from './jws.js';
import type { CompiledPolicy } from './policy.js';
import { AcmeError } from './problem.js';
import {
  newId,
  PENDING_LIFETIME_MS,
  type Account,
  type AcmeState,
  type Authorization,
  type Challenge,
  type Identifier,
  type Order,
} from './state.js';
import type { Validator } from './validate.js';

export type ChallengeType = Challenge['type'];

/** What the server is configured with. */
export interface AcmeServerOptions {
  ca: InternalCa;
  state: AcmeState;
  lifetimeMs: number;
  signWithRoot: boolean;
  challenges: readonly ChallengeType[];
  policy: CompiledPolicy;
  validator: Validator;
  logger: Logger;
}

/** A response: status, extra header fields and a JSON (or PEM) body. */
export interface AcmeResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  pem?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The URLs of one request's view of the server (the base depends on the host it was reached at). */
export class Links {
  constructor(readonly base: string) {}
  directory = () => `${this.base}/directory`;
  account = (id: string) => `${this.base}/account/${id}`;
  orders = (id: string) => `${this.base}/account/${id}/orders`;
  order = (id: string) => `${this.base}/order/${id}`;
  finalize = (id: string) => `${this.base}/order/${id}/finalize`;
  authz = (id: string) => `${this.base}/authz/${id}`;
  challenge = (authz: string, id: string) => `${this.base}/challenge/${authz}/${id}`;
  certificate = (id: string) => `${this.base}/certificate/${id}`;
}

function parseIdentifier(v: unknown): Identifier {
  const o = v as { type?: unknown; value?: unknown } | null;
  if (typeof o !== 'object' || o === null || typeof o.value !== 'string' || o.value === '')
    throw new AcmeError('malformed', 'invalid identifier');
  if (o.type === 'ip') {
    if (!isIP(o.value)) throw new AcmeError('malformed', `invalid IP identifier ${JSON.stringify(o.value)}`);
    return { type: 'ip', value: o.value.toLowerCase() };
  }
  if (o.type !== 'dns') throw new AcmeError('unsupportedIdentifier', `identifier type ${JSON.stringify(o.type)}`);
  const value = o.value.toLowerCase().replace(/\.$/, '');
  if (!/^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(value))
    throw new AcmeError('rejectedIdentifier', `invalid DNS name ${JSON.stringify(o.value)}`);
  return { type: 'dns', value };
}

export class AcmeServer {
  constructor(private readonly o: AcmeServerOptions) {}

  get state(): AcmeState {
    return this.o.state;
  }

  directory(l: Links): AcmeResponse {
    return {
      status: 200,
      json: {
        newNonce: `${l.base}/new-nonce`,
        newAccount: `${l.base}/new-account`,
        newOrder: `${l.base}/new-order`,
        revokeCert: `${l.base}/revoke-cert`,
        keyChange: `${l.base}/key-change`,
        meta: {},
      },
    };
  }

  private accountJson(a: Account, l: Links): unknown {
    return { status: a.status, contact: a.contact, orders: l.orders(a.id) };
  }

  async newAccount(req: VerifiedRequest, l: Links): Promise<AcmeResponse> {
    const p = (req.payload ?? {}) as { contact?: unknown; onlyReturnExisting?: unknown };
    const existing = this.o.state.accountByKey.get(req.thumbprint!);
    if (existing !== undefined) {
      const a = this.o.state.accounts.get(existing)!;
      return { status: 200, headers: { Location: l.account(a.id) }, json: this.accountJson(a, l) };
    }
    if (p.onlyReturnExisting === true) throw new AcmeError('accountDoesNotExist', 'no account for this key');
    const contact = p.contact ?? [];
    if (!Array.isArray(contact) || !contact.every((c) => typeof c === 'string'))
      throw new AcmeError('invalidContact', 'contact must be a list of URLs');
    const a: Account = {
      id: newId(),
      jwk: req.jwk!,
      thumbprint: req.thumbprint!,
      status: 'valid',
      contact: contact as string[],
      createdAt: iso(Date.now()),
      orders: [],
    };
    this.o.state.accounts.set(a.id, a);
    this.o.state.accountByKey.set(a.thumbprint, a.id);
    this.o.logger.info({ account: l.account(a.id), contact: a.contact }, 'new ACME account');
    return { status: 201, headers: { Location: l.account(a.id) }, json: this.accountJson(a, l) };
  }

  updateAccount(req: VerifiedRequest, id: string, l: Links): AcmeResponse {
    const a = req.account!;
    if (a.id !== id) throw new AcmeError('unauthorized', 'the request is not signed by this account', 401);
    const p = (req.payload ?? {}) as { contact?: unknown; status?: unknown };
    if (p.contact !== undefined) {
      if (!Array.isArray(p.contact) || !p.contact.every((c) => typeof c === 'string'))
        throw new AcmeError('invalidContact', 'contact must be a list of URLs');
      a.contact = p.contact as string[];
    }
    if (p.status === 'deactivated') a.status = 'deactivated';
    else if (p.status !== undefined && p.status !== 'valid')
      throw new AcmeError('malformed', `cannot set account status to ${JSON.stringify(p.status)}`);
    return { status: 200, headers: { Location: l.account(a.id) }, json: this.accountJson(a, l) };
  }

  accountOrders(req: VerifiedRequest, id: string, l: Links): AcmeResponse {
    if (req.account!.id !== id) throw new AcmeError('unauthorized', 'the request is not signed by this account', 401);
    return { status: 200, json: { orders: req.account!.orders.map((o) => l.order(o)) } };
  }

  newOrder(req: VerifiedRequest, l: Links): AcmeResponse {
    const p = (req.payload ?? {}) as { identifiers?: unknown; notBefore?: unknown; notAfter?: unknown };
    if (!Array.isArray(p.identifiers) || p.identifiers.length === 0)
      throw new AcmeError('malformed', 'an order needs identifiers');
    const ids = p.identifiers.map(parseIdentifier);
    for (const id of ids) {
      const why = this.o.policy.refuse(id);
      if (why) throw new AcmeError('rejectedIdentifier', why, 400);
    }
    const account = req.account!;
    this.o.state.sweep();
    const expires = Date.now() + PENDING_LIFETIME_MS;
    // Every identifier is checked before anything is stored, so a refused order leaves nothing behind.
    const types = ids.map((id) => this.challengeTypes(id));
    const authzIds = ids.map((id, i) => this.newAuthz(account.id, id, types[i]!, expires));
    const order: Order = {
      id: newId(),
      accountId: account.id,
      status: 'pending',
      expires,
      identifiers: ids,
      authzIds,
      ...(typeof p.notBefore === 'string' ? { notBefore: p.notBefore } : {}),
      ...(typeof p.notAfter === 'string' ? { notAfter: p.notAfter } : {}),
    };
    this.o.state.orders.set(order.id, order);
    account.orders.push(order.id);
    return { status: 201, headers: { Location: l.order(order.id) }, json: this.orderJson(order, l) };
  }

  /** The enabled challenge types that can prove this identifier. */
  private challengeTypes(id: Identifier): ChallengeType[] {
    const wildcard = id.type === 'dns' && id.value.startsWith('*.');
    // Wildcards can only be proven over DNS; IP addresses have no DNS record to set (RFC 8738).
    const types = this.o.challenges.filter((t) =>
      wildcard ? t === 'dns-01' : id.type === 'ip' ? t !== 'dns-01' : true,
    );
    if (types.length === 0)
      throw new AcmeError('rejectedIdentifier', `no enabled challenge type can validate ${id.value}`);
    return types;
  }

  private newAuthz(accountId: string, id: Identifier, types: ChallengeType[], expires: number): string {
    const wildcard = id.type === 'dns' && id.value.startsWith('*.');
    const token = newId(32);
    const authz: Authorization = {
      id: newId(),
      accountId,
      identifier: wildcard ? { type: 'dns', value: id.value.slice(2) } : id,
      wildcard,
      status: 'pending',
      expires,
      challenges: types.map((type) => ({ id: newId(), type, token, status: 'pending' as const })),
    };
    this.o.state.authzs.set(authz.id, authz);
    return authz.id;
  }

  /** The order's status, moved on from its authorizations (ready once all are valid, invalid if one is not). */
  private refresh(order: Order): void {
    if (order.status !== 'pending') return;
    const authzs = order.authzIds.map((id) => this.o.state.authzs.get(id));
    if (order.expires < Date.now() || authzs.some((a) => !a || a.status === 'invalid' || a.status === 'deactivated')) {
      order.status = 'invalid';
      const failed = authzs.find((a) => a?.status === 'invalid');
      const err = failed?.challenges.find((c) => c.error)?.error;
      if (err) order.error = err;
    } else if (authzs.every((a) => a!.status === 'valid')) order.status = 'ready';
  }

  private orderJson(o: Order, l: Links): unknown {
    this.refresh(o);
    return {
      status: o.status,
      expires: iso(o.expires),
      identifiers: o.identifiers,
      ...(o.notBefore ? { notBefore: o.notBefore } : {}),
      ...(o.notAfter ? { notAfter: o.notAfter } : {}),
      ...(o.error ? { error: o.error } : {}),
      authorizations: o.authzIds.map((id) => l.authz(id)),
      finalize: l.finalize(o.id),
      ...(o.certId ? { certificate: l.certificate(o.certId) } : {}),
    };
  }

  private owned<T extends { accountId: string }>(
    map: Map<string, T>,
    id: string,
    req: VerifiedRequest,
    what: string,
  ): T {
    const v = map.get(id);
    if (!v) throw new AcmeError('malformed', `${what} not found`, 404);
    if (v.accountId !== req.account!.id)
      throw new AcmeError('unauthorized', `the ${what} belongs to another account`, 401);
    return v;
  }

  getOrder(req: VerifiedRequest, id: string, l: Links): AcmeResponse {
    const o = this.owned(this.o.state.orders, id, req, 'order');
    return { status: 200, headers: { Location: l.order(o.id) }, json: this.orderJson(o, l) };
  }

  private challengeJson(authz: Authorization, c: Challenge, l: Links): unknown {
    return {
      type: c.type,
      url: l.challenge(authz.id, c.id),
      status: c.status,
      token: c.token,
      ...(c.validated ? { validated: c.validated } : {}),
      ...(c.error ? { error: c.error } : {}),
    };
  }

  private authzJson(a: Authorization, l: Links): unknown {
    if (a.status === 'pending' && a.expires < Date.now()) a.status = 'invalid';
    return {
      identifier: a.identifier,
      status: a.status,
      expires: iso(a.expires),
      challenges: a.challenges.map((c) => this.challengeJson(a, c, l)),
      ...(a.wildcard ? { wildcard: true } : {}),
    };
  }

  getAuthz(req: VerifiedRequest, id: string, l: Links): AcmeResponse {
    const a = this.owned(this.o.state.authzs, id, req, 'authorization');
    const p = req.payload as { status?: unknown } | undefined;
    if (p?.status === 'deactivated') a.status = 'deactivated';
    return { status: 200, json: this.authzJson(a, l) };
  }

  /** Responds to a challenge: starts validating it (a POST with `{}`) or reports it (POST-as-GET). */
  challenge(req: VerifiedRequest, authzId: string, chId: string, l: Links): AcmeResponse {
    const a = this.owned(this.o.state.authzs, authzId, req, 'authorization');
    const c = a.challenges.find((x) => x.id === chId);
    if (!c) throw new AcmeError('malformed', 'challenge not found', 404);
    if (req.payload !== undefined && c.status === 'pending' && a.status === 'pending') {
      c.status = 'processing';
      void this.validate(a, c, req.account!.thumbprint);
    }
    return {
      status: 200,
      headers: { Link: `<${l.authz(a.id)}>;rel="up"` },
      json: this.challengeJson(a, c, l),
    };
  }

  private async validate(a: Authorization, c: Challenge, thumbprint: string): Promise<void> {
    try {
      const err = await this.o.validator.validate(c, a.identifier, `${c.token}.${thumbprint}`);
      if (err) {
        c.status = 'invalid';
        c.error = err;
        a.status = 'invalid';
        this.o.logger.info(
          { identifier: a.identifier.value, challenge: c.type, error: err.detail },
          'challenge failed',
        );
      } else {
        c.status = 'valid';
        c.validated = iso(Date.now());
        a.status = 'valid';
        // Other challenges of a valid authorization are no longer of use.
        for (const other of a.challenges) if (other !== c && other.status === 'pending') other.status = 'invalid';
      }
    } catch (e) {
      c.status = 'invalid';
      a.status = 'invalid';
      this.o.logger.error({ identifier: a.identifier.value, error: String(e) }, 'validating challenge');
    }
  }

  async finalize(req: VerifiedRequest, id: string, l: Links): Promise<AcmeResponse> {
    const o = this.owned(this.o.state.orders, id, req, 'order');
    this.refresh(o);
    if (o.status !== 'ready') throw new AcmeError('orderNotReady', `the order is ${o.status}, not ready`, 403);
    const p = (req.payload ?? {}) as { csr?: unknown };
    if (typeof p.csr !== 'string') throw new AcmeError('malformed', 'finalize needs a csr');
    let csr: CheckedCsr;
    try {
      csr = await checkCsr(Buffer.from(p.csr, 'base64url'));
    } catch (e) {
      throw new AcmeError('badCSR', `invalid CSR: ${(e as Error).message}`);
    }
    const asked = new Set(csr.names);
    if (csr.commonName) asked.add(csr.commonName.toLowerCase());
    const ordered = new Set(o.identifiers.map((i) => i.value));
    if (asked.size !== ordered.size || ![...asked].every((n) => ordered.has(n)))
      throw new AcmeError('badCSR', `the CSR names ${[...asked].join(', ')}, the order ${[...ordered].join(', ')}`);
    o.status = 'processing';
    try {
      const chainPem = await this.o.ca.issueForCsr(csr, [...ordered], this.o.lifetimeMs, this.o.signWithRoot);
      const leaf = new X509Certificate(chainPem);
      const serial = leaf.serialNumber.toLowerCase();
      const certId = newId();
      const notAfter = Date.parse(leaf.validTo);
      this.o.state.certs.set(certId, {
        id: certId,
        accountId: o.accountId,
        chainPem,
        serial,
        notAfter,
        revoked: false,
      });
      this.o.state.certBySerial.set(serial, certId);
      o.certId = certId;
      o.status = 'valid';
      this.o.logger.info({ names: [...ordered], serial }, 'certificate issued');
    } catch (e) {
      o.status = 'invalid';
      this.o.logger.error({ names: [...ordered], error: String(e) }, 'signing certificate');
      throw new AcmeError('serverInternal', 'the certificate could not be signed', 500);
    }
    return { status: 200, headers: { Location: l.order(o.id) }, json: this.orderJson(o, l) };
  }

  certificate(req: VerifiedRequest, id: string): AcmeResponse {
    const c = this.owned(this.o.state.certs, id, req, 'certificate');
    return { status: 200, pem: c.chainPem };
  }

  /** Revokes a certificate, asked by the account that ordered it or signed with the certificate's own key. */
  async revoke(req: VerifiedRequest): Promise<AcmeResponse> {
    const p = (req.payload ?? {}) as { certificate?: unknown };
    if (typeof p.certificate !== 'string') throw new AcmeError('malformed', 'revokeCert needs a certificate');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(Buffer.from(p.certificate, 'base64url'));
    } catch {
      throw new AcmeError('malformed', 'invalid certificate');
    }
    const issued = this.o.state.certs.get(this.o.state.certBySerial.get(cert.serialNumber.toLowerCase()) ?? '');
    if (!issued) throw new AcmeError('malformed', 'certificate not issued by this server', 404);
    if (req.account) {
      if (issued.accountId !== req.account.id)
        throw new AcmeError('unauthorized', 'the certificate was issued to another account', 403);
    } else {
      const jose = await joseLib();
      const own = await jose.calculateJwkThumbprint(await jose.exportJWK(cert.publicKey), 'sha256');
      if (own !== req.thumbprint) throw new AcmeError('unauthorized', 'not signed with the certificate key', 403);
    }
    if (issued.revoked) throw new AcmeError('alreadyRevoked', 'the certificate is already revoked');
    issued.revoked = true;
    this.o.logger.info({ serial: issued.serial }, 'certificate revoked');
    return { status: 200 };
  }
}
