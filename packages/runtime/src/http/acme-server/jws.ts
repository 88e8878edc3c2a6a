/**
 * @module http/acme-server/jws: authenticating ACME requests (RFC 8555 section 6.2 to 6.5): a flattened JWS
 * whose protected header names the algorithm, a fresh nonce, the request URL and either the account's key
 * (`jwk`, new accounts and revocation by certificate key) or its URL (`kid`).
 */
import type { FlattenedJWSInput, JWK, flattenedVerify } from 'jose';
import { joseLib } from './jose-lib.js';
import { AcmeError } from './problem.js';
import type { Account, AcmeState } from './state.js';

/** The signature algorithms accepted (asymmetric only, as RFC 8555 section 6.2 requires). */
const ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
  'Ed25519',
];

export interface VerifiedRequest {
  /** The parsed payload; undefined for POST-as-GET (empty payload). */
  payload: unknown;
  /** The signing account (requests with `kid`). */
  account: Account | undefined;
  /** The embedded key (requests with `jwk`) and its thumbprint. */
  jwk: JWK | undefined;
  thumbprint: string | undefined;
}

interface ProtectedHeader {
  alg?: unknown;
  nonce?: unknown;
  url?: unknown;
  jwk?: unknown;
  kid?: unknown;
}

function decodeHeader(b64: string): ProtectedHeader {
  try {
    const h = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8')) as unknown;
    if (typeof h === 'object' && h !== null && !Array.isArray(h)) return h as ProtectedHeader;
  } catch {
    // reported below
  }
  throw new AcmeError('malformed', 'invalid JWS protected header');
}

/**
 * Verifies a request body. `key` says which key the endpoint wants: `jwk` (newAccount), `kid` (most), or
 * `either` (revokeCert). `accountUrl` turns an account ID into the URL a `kid` must equal.
 */
export async function verifyRequest(
  body: Buffer,
  state: AcmeState,
  url: string,
  key: 'jwk' | 'kid' | 'either',
  accountUrl: (id: string) => string,
): Promise<VerifiedRequest> {
  let jws: FlattenedJWSInput;
  try {
    jws = JSON.parse(body.toString('utf8')) as FlattenedJWSInput;
  } catch {
    throw new AcmeError('malformed', 'request body is not JSON');
  }
  if (typeof jws !== 'object' || jws === null || typeof jws.protected !== 'string' || typeof jws.payload !== 'string')
    throw new AcmeError('malformed', 'request body is not a flattened JWS with a protected header');
  const h = decodeHeader(jws.protected);
  if (typeof h.alg !== 'string' || !ALGORITHMS.includes(h.alg))
    throw new AcmeError('badSignatureAlgorithm', `unsupported JWS algorithm ${JSON.stringify(h.alg)}`);
  if (typeof h.nonce !== 'string' || !state.useNonce(h.nonce))
    throw new AcmeError('badNonce', 'JWS has an invalid anti-replay nonce');
  if (h.url !== url)
    throw new AcmeError('unauthorized', `JWS url ${JSON.stringify(h.url)} is not the request URL ${url}`, 401);
  if ((h.jwk === undefined) === (h.kid === undefined))
    throw new AcmeError('malformed', 'JWS must have exactly one of the jwk and kid header fields');

  let account: Account | undefined;
  let jwk: JWK | undefined;
  if (h.kid !== undefined) {
    if (key === 'jwk') throw new AcmeError('malformed', 'this request must be signed with a jwk, not a kid');
    const prefix = accountUrl('');
    const kid = typeof h.kid === 'string' ? h.kid : '';
    account = kid.startsWith(prefix) ? state.accounts.get(kid.slice(prefix.length)) : undefined;
    if (!account) throw new AcmeError('accountDoesNotExist', 'account not found', 400);
    if (account.status !== 'valid') throw new AcmeError('unauthorized', 'account is deactivated', 401);
    jwk = account.jwk;
  } else {
    if (key === 'kid') throw new AcmeError('malformed', 'this request must be signed with a kid, not a jwk');
    if (typeof h.jwk !== 'object' || h.jwk === null) throw new AcmeError('malformed', 'invalid jwk');
    jwk = h.jwk as JWK;
    if ('d' in jwk) throw new AcmeError('malformed', 'the jwk holds a private key');
  }
  let verified: Awaited<ReturnType<typeof flattenedVerify>>;
  try {
    const jose = await joseLib();
    const k = await jose.importJWK(jwk, h.alg);
    verified = await jose.flattenedVerify(jws, k, { algorithms: ALGORITHMS });
  } catch (e) {
    throw new AcmeError('malformed', `JWS verification failed: ${(e as Error).message}`);
  }
  let payload: unknown;
  if (verified.payload.length > 0) {
    try {
      payload = JSON.parse(Buffer.from(verified.payload).toString('utf8'));
    } catch {
      throw new AcmeError('malformed', 'JWS payload is not JSON');
    }
  }
  const thumbprint = h.jwk !== undefined ? await (await joseLib()).calculateJwkThumbprint(jwk, 'sha256') : undefined;
  return { payload, account, jwk: h.jwk !== undefined ? jwk : undefined, thumbprint };
}
