/** @module tls/acme-client: a small RFC 8555 ACME client (account, order, http-01/tls-alpn-01, finalize) over node:crypto. */
import { createHash, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import https from 'node:https';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const b64u = (b: Buffer | string) => Buffer.from(b).toString('base64url');

interface Directory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
}
interface Resp {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** An ACME challenge type this client can solve. */
export type ChallengeType = 'http-01' | 'tls-alpn-01';

/** Serves challenge responses (http-01 or tls-alpn-01) while an order is validated. */
export interface ChallengeSolver {
  /** The challenge types to use, most preferred first. */
  types: readonly ChallengeType[];
  present(type: ChallengeType, identifier: string, token: string, keyAuthorization: string): void | Promise<void>;
  cleanup(type: ChallengeType, identifier: string, token: string): void;
}

/** Options of the ACME client. */
export interface AcmeClientOptions {
  directoryUrl: string;
  /** PEM roots to trust for the ACME server (default: the system's). */
  ca?: string[];
  /** PKCS#8 PEM account key; a new one is made when absent. */
  accountKeyPem?: string;
  email?: string;
  /** Upper bound for the whole issuance. */
  timeoutMs?: number;
}

/** A client bound to one ACME directory and account key. */
export class AcmeClient {
  readonly accountKey: KeyObject;
  private dir: Directory | undefined;
  private nonce: string | undefined;
  private kid: string | undefined;
  private readonly jwk: Record<string, string>;

  constructor(private readonly o: AcmeClientOptions) {
    this.accountKey = o.accountKeyPem
      ? createPrivateKey(o.accountKeyPem)
      : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const pub = this.accountKey.export({ format: 'jwk' }) as Record<string, string>;
    this.jwk = { crv: pub['crv']!, kty: pub['kty']!, x: pub['x']!, y: pub['y']! };
  }

  /** The account key as PKCS#8 PEM (to persist). */
  get accountKeyPem(): string {
    return this.accountKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }

  private thumbprint(): string {
    return b64u(createHash('sha256').update(JSON.stringify(this.jwk)).digest());
  }

  private request(method: string, url: string, body?: string, contentType?: string): Promise<Resp> {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(
        url,
        {
          method,
          ...(this.o.ca ? { ca: this.o.ca } : {}),
          headers: {
            'User-Agent': 'proxy-acme',
            ...(contentType ? { 'Content-Type': contentType } : {}),
            ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`ACME request to ${url} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  private async directory(): Promise<Directory> {
    if (!this.dir) {
      const r = await this.request('GET', this.o.directoryUrl);
      if (r.status !== 200) throw new Error(`ACME directory ${this.o.directoryUrl}: HTTP ${r.status}`);
      this.dir = JSON.parse(r.body.toString()) as Directory;
    }
    return this.dir;
  }

  private async getNonce(): Promise<string> {
    if (this.nonce) {
      const n = this.nonce;
      this.nonce = undefined;
      return n;
    }
    const r = await this.request('HEAD', (await this.directory()).newNonce);
    const n = r.headers['replay-nonce'];
    if (typeof n !== 'string') throw new Error('ACME server sent no nonce');
    return n;
  }

  /** A JWS-signed POST (payload undefined = POST-as-GET); retries bad nonces. */
  private async post(url: string, payload: unknown): Promise<Resp> {
    for (let attempt = 0; ; attempt++) {
      const protectedHeader = {
        alg: 'ES256',
        nonce: await this.getNonce(),
        url,
        ...(this.kid ? { kid: this.kid } : { jwk: this.jwk }),
      };
      const p = b64u(JSON.stringify(protectedHeader));
      const pl = payload === undefined ? '' : b64u(JSON.stringify(payload));
      const sig = sign('sha256', Buffer.from(`${p}.${pl}`), { key: this.accountKey, dsaEncoding: 'ieee-p1363' });
      const r = await this.request(
        'POST',
        url,
        JSON.stringify({ protected: p, payload: pl, signature: b64u(sig) }),
        'application/jose+json',
      );
      const n = r.headers['replay-nonce'];
      if (typeof n === 'string') this.nonce = n;
      if (r.status >= 400) {
        const problem = safeJson(r.body) as { type?: string; detail?: string } | undefined;
        if (problem?.type === 'urn:ietf:params:acme:error:badNonce' && attempt < 5) continue;
        throw new Error(
          `ACME ${url}: HTTP ${r.status} ${problem?.type ?? ''} ${problem?.detail ?? r.body.toString().slice(0, 200)}`.trim(),
        );
      }
      return r;
    }
  }

  private async account(): Promise<void> {
    if (this.kid) return;
    const r = await this.post((await this.directory()).newAccount, {
      termsOfServiceAgreed: true,
      ...(this.o.email ? { contact: [`mailto:${this.o.email}`] } : {}),
    });
    const loc = r.headers['location'];
    if (typeof loc !== 'string') throw new Error('ACME newAccount: no account URL');
    this.kid = loc;
  }

  /** Obtains a certificate chain (PEM) for the names with a challenge solver and a DER CSR. */
  async obtain(names: string[], csrDer: Buffer, solver: ChallengeSolver): Promise<string> {
    const deadline = Date.now() + (this.o.timeoutMs ?? 120_000);
    await this.account();
    const order = await this.post((await this.directory()).newOrder, {
      identifiers: names.map((n) => ({ type: /^[\d.]+$|:/.test(n) ? 'ip' : 'dns', value: n })),
    });
    const orderUrl = order.headers['location'] as string;
    let o = JSON.parse(order.body.toString()) as {
      status: string;
      authorizations: string[];
      finalize: string;
      certificate?: string;
    };
    for (const authzUrl of o.authorizations) {
      const authz = JSON.parse((await this.post(authzUrl, undefined)).body.toString()) as {
        status: string;
        identifier: { value: string };
        challenges: Array<{ type: string; url: string; token: string }>;
      };
      if (authz.status === 'valid') continue;
      const type = solver.types.find((t) => authz.challenges.some((c) => c.type === t));
      const ch = authz.challenges.find((c) => c.type === type);
      if (!type || !ch)
        throw new Error(
          `ACME server offered no usable challenge (offered: ${authz.challenges.map((c) => c.type).join(', ')}; enabled: ${solver.types.join(', ')})`,
        );
      const keyAuth = `${ch.token}.${this.thumbprint()}`;
      await solver.present(type, authz.identifier.value, ch.token, keyAuth);
      try {
        await this.post(ch.url, {});
        await this.poll(authzUrl, ['valid'], deadline);
      } finally {
        solver.cleanup(type, authz.identifier.value, ch.token);
      }
    }
    o = JSON.parse((await this.poll(orderUrl, ['ready', 'valid'], deadline)).body.toString()) as typeof o;
    if (o.status === 'ready') {
      await this.post(o.finalize, { csr: b64u(csrDer) });
      o = JSON.parse((await this.poll(orderUrl, ['valid'], deadline)).body.toString()) as typeof o;
    }
    if (!o.certificate) throw new Error('ACME order has no certificate URL');
    return (await this.post(o.certificate, undefined)).body.toString();
  }

  private async poll(url: string, want: string[], deadline: number): Promise<Resp> {
    for (;;) {
      const r = await this.post(url, undefined);
      const st = safeJson(r.body) as { status?: string; error?: { detail?: string } } | undefined;
      if (st?.status && want.includes(st.status)) return r;
      if (st?.status === 'invalid')
        throw new Error(`ACME ${url} is invalid: ${st.error?.detail ?? JSON.stringify(st).slice(0, 300)}`);
      if (Date.now() > deadline) throw new Error(`ACME ${url}: timed out waiting for ${want.join('/')}`);
      const retry = Number(r.headers['retry-after']);
      await sleep(Number.isFinite(retry) && retry > 0 ? Math.min(retry * 1000, 5000) : 500);
    }
  }
}

function safeJson(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString());
  } catch {
    return undefined;
  }
}
