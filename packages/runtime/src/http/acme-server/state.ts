/**
 * @module http/acme-server/state: what an ACME server remembers (RFC 8555 section 7.1): nonces, accounts,
 * orders, authorizations, challenges and certificates. Kept in memory per CA for the life of the process, so a
 * config reload keeps accounts and pending orders (Caddy keeps them in a database under its data directory;
 * here a restart forgets them and clients register again, which ACME clients do on their own).
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';

export type Status = 'pending' | 'processing' | 'ready' | 'valid' | 'invalid' | 'deactivated' | 'revoked';

/** An ACME problem document (RFC 8555 section 6.7). */
export interface Problem {
  type: string;
  detail: string;
  status?: number;
}

export interface Identifier {
  type: 'dns' | 'ip';
  value: string;
}

export interface Account {
  id: string;
  jwk: JWK;
  thumbprint: string;
  status: 'valid' | 'deactivated';
  contact: string[];
  createdAt: string;
  orders: string[];
}

export interface Challenge {
  id: string;
  type: 'http-01' | 'dns-01' | 'tls-alpn-01';
  token: string;
  status: Status;
  validated?: string;
  error?: Problem;
}

export interface Authorization {
  id: string;
  accountId: string;
  identifier: Identifier;
  wildcard: boolean;
  status: Status;
  expires: number;
  challenges: Challenge[];
}

export interface Order {
  id: string;
  accountId: string;
  status: Status;
  expires: number;
  identifiers: Identifier[];
  notBefore?: string;
  notAfter?: string;
  authzIds: string[];
  certId?: string;
  error?: Problem;
}

export interface IssuedCert {
  id: string;
  accountId: string;
  chainPem: string;
  serial: string;
  /** When the leaf expires (ms since epoch); the record is dropped after. */
  notAfter: number;
  revoked: boolean;
}

const MAX_NONCES = 10_000;
/** How long pending orders and authorizations live (smallstep's default is a day too). */
export const PENDING_LIFETIME_MS = 24 * 3600_000;

/** Random IDs and tokens: 128 bits (tokens: 256), base64url. */
export const newId = (bytes = 16): string => randomBytes(bytes).toString('base64url');

/** One CA's ACME state. */
export class AcmeState {
  private readonly nonces = new Set<string>();
  readonly accounts = new Map<string, Account>();
  /** Account IDs by JWK thumbprint. */
  readonly accountByKey = new Map<string, string>();
  readonly orders = new Map<string, Order>();
  readonly authzs = new Map<string, Authorization>();
  readonly certs = new Map<string, IssuedCert>();
  readonly certBySerial = new Map<string, string>();

  newNonce(): string {
    const n = newId();
    this.nonces.add(n);
    // The oldest nonces go first (a Set iterates in insertion order).
    if (this.nonces.size > MAX_NONCES) this.nonces.delete(this.nonces.values().next().value!);
    return n;
  }

  /** Uses a nonce up: true when it was issued and not used before. */
  useNonce(n: string): boolean {
    return this.nonces.delete(n);
  }

  /**
   * Drops what can no longer be used: orders and authorizations that expired before they became valid, and
   * certificates past their expiry with the orders that led to them.
   */
  sweep(now = Date.now()): void {
    for (const [id, c] of this.certs) {
      if (c.notAfter < now) {
        this.certs.delete(id);
        this.certBySerial.delete(c.serial);
      }
    }
    for (const [id, o] of this.orders) {
      const stale = o.status === 'valid' ? !this.certs.has(o.certId ?? '') : o.expires < now;
      if (!stale) continue;
      this.orders.delete(id);
      const list = this.accounts.get(o.accountId)?.orders;
      const i = list ? list.indexOf(id) : -1;
      if (i >= 0) list!.splice(i, 1);
      for (const a of o.authzIds) this.authzs.delete(a);
    }
    for (const [id, a] of this.authzs) if (a.expires < now && a.status !== 'valid') this.authzs.delete(id);
  }
}

const states = new WeakMap<object, AcmeState>();

/** The state of the ACME server backed by this CA (one per CA object, which is one per storage and ID). */
export function stateFor(ca: object): AcmeState {
  let s = states.get(ca);
  if (!s) {
    s = new AcmeState();
    states.set(ca, s);
  }
  return s;
}
