/** A minimal ACME client for tests of the acme_server handler: signs requests with jose, follows nonces. */
import https from 'node:https';
import { calculateJwkThumbprint, exportJWK, FlattenedSign, generateKeyPair, type JWK } from 'jose';

type KeyLike = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface AcmeReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: Record<string, unknown>;
}

export class TestAcmeClient {
  private nonce: string | undefined;
  private key: KeyLike | undefined;
  jwk: JWK | undefined;
  kid: string | undefined;
  directory: Record<string, string> = {};

  constructor(
    readonly directoryUrl: string,
    private readonly ca: string,
  ) {}

  request(url: string, method: string, body?: string): Promise<AcmeReply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          ca: this.ca,
          agent: false,
          headers: body === undefined ? {} : { 'content-type': 'application/jose+json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const n = res.headers['replay-nonce'];
            if (typeof n === 'string') this.nonce = n;
            let json: Record<string, unknown> = {};
            try {
              json = JSON.parse(text) as Record<string, unknown>;
            } catch {
              // PEM or empty
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
          });
          res.on('error', reject);
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  async init(): Promise<void> {
    this.directory = (await this.request(this.directoryUrl, 'GET')).json as Record<string, string>;
    const kp = await generateKeyPair('ES256', { extractable: true });
    this.key = kp.privateKey;
    this.jwk = await exportJWK(kp.publicKey);
    await this.request(this.directory['newNonce']!, 'HEAD');
  }

  get thumbprint(): Promise<string> {
    return calculateJwkThumbprint(this.jwk!, 'sha256');
  }

  /**
   * A signed POST (payload undefined = POST-as-GET); `nonce` overrides the saved one, `signer` signs with another
   * key (sent as a jwk), e.g. a certificate's own key for revocation.
   */
  async post(
    url: string,
    payload: unknown,
    opts: { nonce?: string; useJwk?: boolean; signer?: { key: KeyLike; jwk: JWK } } = {},
  ): Promise<AcmeReply> {
    const header = {
      alg: 'ES256',
      nonce: opts.nonce ?? this.nonce,
      url,
      ...(opts.signer ? { jwk: opts.signer.jwk } : this.kid && !opts.useJwk ? { kid: this.kid } : { jwk: this.jwk }),
    };
    const bytes = new TextEncoder().encode(payload === undefined ? '' : JSON.stringify(payload));
    const jws = await new FlattenedSign(bytes).setProtectedHeader(header).sign(opts.signer?.key ?? this.key!);
    return this.request(url, 'POST', JSON.stringify(jws));
  }

  async register(): Promise<AcmeReply> {
    const res = await this.post(this.directory['newAccount']!, { termsOfServiceAgreed: true }, { useJwk: true });
    this.kid = String(res.headers['location']);
    return res;
  }

  /** Polls a resource until `done` says so (bounded). */
  async poll(url: string, done: (j: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    let last: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) {
      last = (await this.post(url, undefined)).json;
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    return last;
  }
}
