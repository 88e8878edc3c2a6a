/** @module tls/app: the `tls` app: loaded certificates, the internal issuer, automation and handshakes. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecureContext, TLSSocket } from 'node:tls';
import { TLSSocket as TLSSocketImpl } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { App } from '../app.js';
import type { Counter } from 'prom-client';
import { tlsHandshakes } from '../metrics/connections.js';
import { configRegistry } from '../metrics/hub.js';
import {
  durationOr,
  tlsAppSchema,
  type AcmeIssuer,
  type AutomationPolicy,
  type ConnectionPolicy,
  type InternalIssuer,
  type PkiApp,
  type TlsApp as TlsAppConfig,
  type TlsIssuer,
} from '@proxy/contract';
import { AcmeClient, type ChallengeType } from './acme-client.js';
import { compilePermission, type Permission } from './on-demand.js';
import type { LoadContext, RuntimeModule } from '../modules.js';
import { ConfigError, joinPath } from '../util/errors.js';
import { EVENT_BUS, type EventBus, NO_EVENTS } from '../events/bus.js';
import { type CachedCert, CertCache } from './cert-cache.js';
import type { CertSelector } from './cert-selection.js';
import { peekClientHello } from './client-hello.js';
import type { CompiledConnectionPolicy, TlsAppHandle } from './handle.js';
import { getInternalCa, type InternalCa } from './internal-ca.js';
import { ConnectionPolicyImpl } from './policies.js';
import { answerChallenge, TlsAlpnChallenges } from './tls-alpn-challenge.js';
import { storageOf } from '../storage/modules.js';
import { CachedStorage } from '../storage/cached.js';
import { safeKey, type Storage, withLock } from '../storage/storage.js';
import { compileHosts } from '../http/matchers/host.js';
import { certificateInfo, createCsr, KEY_TYPES, type KeyType, type PemPair } from './x509.js';
import { HandshakeRefusedError } from './alert.js';

const HOUR = 3_600_000;
/** Waits before trying a failed ACME order again (then the renewal tick takes over). */
const RETRY_DELAYS_MS = [2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000];
const LETS_ENCRYPT = 'https://acme-v02.api.letsencrypt.org/directory';
/** The policy used when a server or handler lists none. */
const DEFAULT_POLICY = new ConnectionPolicyImpl({}, -1, '');

/** Names Caddy treats as internal: they get certificates from the internal issuer by default. */
export function isInternalName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name.endsWith('.local') ||
    name.endsWith('.internal') ||
    name.endsWith('.home.arpa') ||
    /^[\d.]+$/.test(name) ||
    name.includes(':')
  );
}

/** The tls app. */
export class TlsAppImpl implements App, TlsAppHandle {
  readonly cache = new CertCache();
  connectionPolicies: ConnectionPolicyImpl[] = [];
  private readonly managed = new Set<string>();
  private readonly inProgress = new Set<string>();
  private readonly httpChallenges = new Map<string, string>();
  private readonly tlsAlpnChallenges = new TlsAlpnChallenges();
  private readonly onDemand = new Map<string, Promise<void>>();
  private permission: Permission | undefined;
  private storage!: Storage;
  private logger!: Logger;
  private handshakes: Counter<'result'> | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  /** Failed ACME orders waiting to be tried again, by name. */
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private stopped = false;
  private policies: Array<{ subjects: ((n: string) => boolean) | undefined; cfg: AutomationPolicy }> = [];
  private pki: PkiApp | undefined;
  private events: EventBus = NO_EVENTS;

  constructor(
    private readonly c: TlsAppConfig,
    private readonly path: string,
  ) {}

  async provision(ctx: LoadContext): Promise<void> {
    this.logger = ctx.logger.child({ logger: 'tls' });
    this.handshakes = tlsHandshakes(configRegistry(ctx));
    this.storage = storageOf(ctx);
    this.pki = ctx.apps.get('pki:config') as PkiApp | undefined;
    this.events = (ctx.apps.get(EVENT_BUS) as EventBus | undefined) ?? NO_EVENTS;
    const certs = this.c.certificates ?? {};
    const cp = joinPath(this.path, 'certificates');
    for (const [i, f] of (certs.load_files ?? []).entries()) {
      const p = joinPath(joinPath(cp, 'load_files'), i);
      let cert: string;
      let key: string;
      try {
        cert = readFileSync(f.certificate, 'utf8');
      } catch (e) {
        throw ConfigError.at(joinPath(p, 'certificate'), `cannot read certificate: ${(e as Error).message}`);
      }
      try {
        key = readFileSync(f.key, 'utf8');
      } catch (e) {
        throw ConfigError.at(joinPath(p, 'key'), `cannot read key: ${(e as Error).message}`);
      }
      this.addPem(cert, key, f.tags, p);
    }
    for (const [i, pair] of (certs.load_pem ?? []).entries())
      this.addPem(pair.certificate, pair.key, pair.tags, joinPath(joinPath(cp, 'load_pem'), i));
    for (const [i, folder] of (certs.load_folders ?? []).entries())
      this.loadFolder(folder, joinPath(joinPath(cp, 'load_folders'), i));
    if (certs.load_storage)
      throw ConfigError.at(joinPath(cp, 'load_storage'), 'loading certificates from storage is not supported yet');
    for (const n of certs.automate ?? []) this.managed.add(n.toLowerCase());
    const ap = joinPath(this.path, 'automation');
    const anyOnDemand = (this.c.automation?.policies ?? []).some((p) => p.on_demand);
    if (anyOnDemand) this.permission = compilePermission(this.c.automation?.on_demand, joinPath(ap, 'on_demand'));
    (this.c.automation?.policies ?? []).forEach((p, i) => {
      const pp = joinPath(joinPath(ap, 'policies'), i);
      if (p.key_type && !(KEY_TYPES as readonly string[]).includes(p.key_type))
        throw ConfigError.at(joinPath(pp, 'key_type'), `unknown key type "${p.key_type}" (${KEY_TYPES.join(', ')})`);
      if (p.get_certificate?.length)
        throw ConfigError.at(joinPath(pp, 'get_certificate'), 'certificate managers are not supported yet');
    });
    this.policies = (this.c.automation?.policies ?? []).map((p) => ({
      subjects: p.subjects?.length ? compileHosts(p.subjects) : undefined,
      cfg: p,
    }));
    this.policies.forEach((p, i) =>
      (p.cfg.issuers ?? []).forEach((iss, j) => {
        const ip = joinPath(
          joinPath(joinPath(joinPath(joinPath(this.path, 'automation'), 'policies'), i), 'issuers'),
          j,
        );
        if (iss.module === 'acme') {
          const a = iss as AcmeIssuer;
          for (const [k, f] of (a.trusted_roots_pem_files ?? []).entries()) {
            try {
              readFileSync(f);
            } catch (e) {
              throw ConfigError.at(
                joinPath(joinPath(ip, 'trusted_roots_pem_files'), k),
                `cannot read ${f}: ${(e as Error).message}`,
              );
            }
          }
          if (challengeTypes(a).length === 0)
            throw ConfigError.at(
              joinPath(ip, 'challenges'),
              'http-01 and tls-alpn-01 are both disabled (DNS challenges are not supported yet)',
            );
        }
      }),
    );
  }

  /** Loads every PEM file under `folder` (recursively) that holds both a certificate and its key. */
  private loadFolder(folder: string, path: string): void {
    let entries: string[];
    try {
      entries = readdirSync(folder, { recursive: true }) as string[];
    } catch (e) {
      throw ConfigError.at(path, `cannot read folder ${folder}: ${(e as Error).message}`);
    }
    for (const rel of entries) {
      if (!rel.toLowerCase().endsWith('.pem')) continue;
      const text = readFileSync(join(folder, rel), 'utf8');
      const certs = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
      const key = text.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+?-----END [A-Z ]*PRIVATE KEY-----/);
      if (certs && key) this.addPem(`${certs.join('\n')}\n`, `${key[0]}\n`, undefined, `${path} (${rel})`);
    }
  }

  private addPem(cert: string, key: string, tags: string[] | undefined, path: string): void {
    try {
      this.cache.add(cert, key, tags ? { tags } : {});
    } catch (e) {
      throw ConfigError.at(path, `invalid certificate or key: ${(e as Error).message}`);
    }
  }

  /** Asks the app to obtain and renew certificates for these names (from the http app's automatic HTTPS). */
  manage(names: Iterable<string>): void {
    for (const n of names) this.managed.add(n.toLowerCase());
  }

  /** The CA of the internal issuer with this ID. */
  async ca(id = 'local'): Promise<InternalCa> {
    return getInternalCa(id, this.pki?.certificate_authorities?.[id] ?? {}, this.storage);
  }

  async start(): Promise<void> {
    if (this.storage instanceof CachedStorage) await this.storage.checkReachable();
    await this.obtainAll();
    const every = durationOr(this.c.automation?.renew_interval, 10 * 60_000);
    this.renewTimer = setInterval(
      () => void this.obtainAll().catch((e: unknown) => this.logger.error({ error: String(e) }, 'renewal failed')),
      Math.max(every, 1000),
    );
    this.renewTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }

  /**
   * Obtains certificates for managed names that lack a fresh one. Internal certificates are issued before
   * this resolves; ACME orders run in the background (they need the HTTP server up for http-01).
   */
  private async obtainAll(): Promise<void> {
    for (const name of this.managed) {
      const existing = this.cache.lookup(name);
      if (existing && !existing.managed) continue;
      const policy = this.policyFor(name);
      const issuers: TlsIssuer[] = policy?.issuers?.length
        ? policy.issuers
        : [isInternalName(name) ? { module: 'internal' } : { module: 'acme' }];
      const ratio = policy?.renewal_window_ratio ?? 1 / 3;
      if (existing && Date.now() < existing.notAfter - (existing.notAfter - existing.notBefore) * ratio) continue;
      if (issuers[0]!.module === 'internal') {
        await this.obtain(name, issuers, ratio);
        continue;
      }
      if (this.inProgress.has(name) || this.retries.has(name)) continue;
      this.orderInBackground(name, issuers, ratio, 0);
    }
  }

  /**
   * Runs an ACME order in the background; a failed one is tried again after a growing delay (RETRY_DELAYS_MS, as
   * CertMagic retries a failed obtain), not only at the next renewal tick, which takes over after the last.
   */
  private orderInBackground(name: string, issuers: TlsIssuer[], ratio: number, attempt: number): void {
    this.inProgress.add(name);
    void this.obtain(name, issuers, ratio)
      .catch((e: unknown) => {
        const retryMs = RETRY_DELAYS_MS[attempt];
        this.logger.error(
          {
            identifier: name,
            error: (e as Error).message,
            attempt: attempt + 1,
            ...(retryMs ? { retry_in_ms: retryMs } : {}),
          },
          'could not get certificate',
        );
        if (retryMs === undefined || this.stopped) return;
        const timer = setTimeout(() => {
          this.retries.delete(name);
          if (!this.stopped) this.orderInBackground(name, issuers, ratio, attempt + 1);
        }, retryMs);
        timer.unref();
        this.retries.set(name, timer);
      })
      .finally(() => this.inProgress.delete(name));
  }

  /** During a handshake: obtains a certificate for `name` when its policy is on-demand and the permission endpoint agrees. */
  private async obtainOnDemand(name: string): Promise<void> {
    const policy = this.policyFor(name);
    if (!policy?.on_demand || !this.permission || !/^[a-z0-9.*-]+$/.test(name)) return;
    let p = this.onDemand.get(name);
    if (!p) {
      p = (async () => {
        if (!(await this.permission!(name))) {
          this.logger.warn({ identifier: name }, 'on-demand certificate not allowed by the permission endpoint');
          return;
        }
        const issuers: TlsIssuer[] = policy.issuers?.length
          ? policy.issuers
          : [{ module: isInternalName(name) ? 'internal' : 'acme' }];
        this.managed.add(name);
        await this.obtain(name, issuers, policy.renewal_window_ratio ?? 1 / 3);
      })()
        .catch((e: unknown) =>
          this.logger.error({ identifier: name, error: (e as Error).message }, 'on-demand certificate failed'),
        )
        .finally(() => this.onDemand.delete(name));
      this.onDemand.set(name, p);
    }
    await p;
  }

  /**
   * The key authorization for an http-01 token: one this instance is answering, else (CertMagic's distributed
   * solver) one another instance sharing the storage stored for this host, since the CA may reach any instance.
   */
  async challengeResponse(token: string, host: string): Promise<string | undefined> {
    const own = this.httpChallenges.get(token);
    if (own !== undefined || !/^[a-z0-9.-]+$/.test(host)) return own;
    const policy = this.policyFor(host);
    const issuers = policy?.issuers?.length ? policy.issuers : [{ module: 'acme' } as TlsIssuer];
    for (const issuer of issuers) {
      if (issuer.module !== 'acme') continue;
      try {
        const raw = await this.storage.load(this.challengeKey(issuer, host));
        const c = raw ? (JSON.parse(raw.toString('utf8')) as { token?: unknown; keyAuthorization?: unknown }) : {};
        if (c.token === token && typeof c.keyAuthorization === 'string') return c.keyAuthorization;
      } catch (e) {
        this.logger.warn(
          { identifier: host, error: (e as Error).message },
          'could not look up a stored ACME challenge',
        );
      }
    }
    return undefined;
  }

  /** Where an http-01 challenge of a name is shared with the other instances (CertMagic's layout). */
  private challengeKey(issuer: TlsIssuer, name: string): string {
    return `certificates/${this.issuerKey(issuer)}/challenge_tokens/${safeKey(name)}.json`;
  }

  /**
   * CertMagic's selection with a custom policy: the certificates for the name, or every certificate when none has
   * it; the policy must leave one.
   */
  private pickCertificate(select: CertSelector, name: string | undefined): CachedCert {
    const forName = this.cache.allFor(name);
    const chosen = select(forName.length ? forName : this.cache.all);
    if (!chosen) throw new Error('no certificates matched custom selection policy');
    return chosen;
  }

  private policyFor(name: string): AutomationPolicy | undefined {
    return this.policies.find((p) => !p.subjects || p.subjects(name))?.cfg;
  }

  private async obtain(name: string, issuers: TlsIssuer[], ratio: number): Promise<void> {
    let lastErr: unknown;
    for (const issuer of issuers) {
      try {
        await this.obtainWith(name, issuer, ratio);
        return;
      } catch (e) {
        lastErr = e;
        this.logger.warn({ identifier: name, issuer: issuer.module, error: (e as Error).message }, 'issuer failed');
      }
    }
    throw lastErr;
  }

  private issuerKey(issuer: TlsIssuer): string {
    if (issuer.module !== 'acme') return 'local';
    const u = new URL((issuer as AcmeIssuer).ca ?? LETS_ENCRYPT);
    return `${u.host}${u.pathname}`.replace(/[^\w.-]+/g, '-').replace(/-+$/, '');
  }

  /**
   * Under the storage's lock for the name, as CertMagic's obtain/renew: every instance sharing the storage takes it,
   * so one of them talks to the CA while the others wait and then load what it stored.
   */
  private async obtainWith(name: string, issuer: TlsIssuer, ratio: number): Promise<void> {
    // A fresh certificate in the storage is loaded without the lock (a read-only storage still serves it).
    if (await this.loadOrIssue(name, issuer, ratio, false)) return;
    await withLock(this.storage, `issue_cert_${safeKey(name)}`, () => this.loadOrIssue(name, issuer, ratio, true));
  }

  /** Loads the stored certificate when it is fresh, else (with `issue`) gets and stores one; false if neither. */
  private async loadOrIssue(name: string, issuer: TlsIssuer, ratio: number, issue: boolean): Promise<boolean> {
    const base = name.replace(/^\*\./, 'wildcard_.');
    const dir = `certificates/${this.issuerKey(issuer)}/${base}`;
    const [certPem, keyPem] = (
      await Promise.all([this.storage.load(`${dir}/${base}.crt`), this.storage.load(`${dir}/${base}.key`)])
    ).map((b) => b?.toString('utf8'));
    if (certPem && keyPem) {
      try {
        const info = certificateInfo(certPem);
        if (Date.now() < info.notAfter - (info.notAfter - info.notBefore) * ratio) {
          this.cache.add(certPem, keyPem, { managed: true });
          return true;
        }
      } catch {
        /* reissue */
      }
    }
    if (!issue) return false;
    const keyType = (this.policyFor(name)?.key_type ?? 'p256') as KeyType;
    const renewal = Boolean(certPem);
    const issuerKey = this.issuerKey(issuer);
    // As CertMagic's events: a subscriber may abort `cert_obtaining`.
    const { aborted } = await this.events.emit('cert_obtaining', 'tls', {
      renewal,
      identifier: name,
      issuer: issuerKey,
    });
    if (aborted) throw new Error(`obtaining a certificate for ${name} aborted by an event handler: ${aborted.message}`);
    const pair =
      issuer.module === 'acme'
        ? await this.obtainAcme(name, issuer as AcmeIssuer, keyType)
        : await this.obtainInternal(name, issuer as InternalIssuer, keyType);
    await this.storage.store(`${dir}/${base}.key`, pair.keyPem);
    await this.storage.store(`${dir}/${base}.crt`, pair.certPem);
    this.cache.add(pair.certPem, pair.keyPem, { managed: true });
    this.logger.info({ identifiers: [name], issuer: issuerKey }, 'certificate obtained successfully');
    await this.events.emit('cert_obtained', 'tls', {
      renewal,
      identifier: name,
      issuer: issuerKey,
      storage_path: dir,
      private_key_path: `${dir}/${base}.key`,
      certificate_path: `${dir}/${base}.crt`,
    });
    return true;
  }

  private async obtainInternal(name: string, issuer: InternalIssuer, keyType: KeyType): Promise<PemPair> {
    const ca = await this.ca(issuer.ca ?? 'local');
    return ca.issue([name], durationOr(issuer.lifetime, 12 * HOUR), issuer.sign_with_root === true, keyType);
  }

  private async obtainAcme(name: string, issuer: AcmeIssuer, keyType: KeyType): Promise<PemPair> {
    const directoryUrl = issuer.ca ?? LETS_ENCRYPT;
    const userKey = `acme/${this.issuerKey(issuer)}/users/${issuer.email || 'default'}/account.key`;
    const ca = (issuer.trusted_roots_pem_files ?? []).map((f) => readFileSync(f, 'utf8'));
    const accountKeyPem = (await this.storage.load(userKey))?.toString('utf8');
    const client = new AcmeClient({
      directoryUrl,
      ...(ca.length ? { ca } : {}),
      ...(accountKeyPem ? { accountKeyPem } : {}),
      ...(issuer.email ? { email: issuer.email } : {}),
      timeoutMs: durationOr(issuer.acme_timeout, 120_000),
    });
    if (!accountKeyPem) await this.storage.store(userKey, client.accountKeyPem);
    const { csrDer, keyPem } = await createCsr([name], keyType);
    const certPem = await client.obtain([name], csrDer, {
      types: challengeTypes(issuer),
      present: async (type, identifier, token, keyAuth) => {
        if (type === 'http-01') {
          this.httpChallenges.set(token, keyAuth);
          await this.storage.store(
            this.challengeKey(issuer, identifier),
            JSON.stringify({ type, token, keyAuthorization: keyAuth, identifier }),
          );
        } else await this.tlsAlpnChallenges.present(identifier, keyAuth);
      },
      cleanup: (type, identifier, token) => {
        if (type === 'http-01') {
          this.httpChallenges.delete(token);
          void this.storage
            .delete(this.challengeKey(issuer, identifier))
            .catch((e: unknown) =>
              this.logger.warn({ identifier, error: (e as Error).message }, 'could not remove a stored ACME challenge'),
            );
        } else this.tlsAlpnChallenges.cleanup(identifier);
      },
    });
    return { certPem, keyPem };
  }

  secureContextFor(serverName: string | undefined): SecureContext | undefined {
    const entry = this.cache.lookup(serverName);
    const policy = this.connectionPolicies.find((p) => p.matches({ serverName })) ?? DEFAULT_POLICY;
    return entry ? this.cache.contextFor(entry, policy.key, policy.contextOptions) : undefined;
  }

  certificateFor(serverName: string | undefined): { cert: string; key: string } | undefined {
    const entry = this.cache.lookup(serverName);
    return entry ? { cert: entry.certPem, key: entry.keyPem } : undefined;
  }

  selectCertificate(select: CertSelector, serverName: string | undefined): { cert: string; key: string } | undefined {
    const forName = this.cache.allFor(serverName);
    const entry = select(forName.length ? forName : this.cache.all);
    return entry ? { cert: entry.certPem, key: entry.keyPem } : undefined;
  }

  acmeChallengeFor(serverName: string | undefined, alpn: readonly string[]): SecureContext | undefined {
    return this.tlsAlpnChallenges.contextFor({ serverName, alpn: [...alpn] });
  }

  hasCertificateFor(serverName: string): boolean {
    return this.cache.covers(serverName);
  }

  compilePolicies(policies: ConnectionPolicy[] | undefined, path: string): ConnectionPolicyImpl[] {
    return (policies ?? []).map((p, i) => new ConnectionPolicyImpl(p, i, joinPath(path, i)));
  }

  async terminate(
    conn: Duplex,
    policies: readonly CompiledConnectionPolicy[],
    opts: { defaultAlpn?: string[]; remoteAddress?: string; localAddress?: string; timeoutMs?: number },
  ): Promise<TLSSocket> {
    try {
      const sock = await this.handshake(conn, policies, opts);
      this.handshakes?.inc({ result: 'ok' });
      return sock;
    } catch (e) {
      this.handshakes?.inc({ result: 'error' });
      throw e;
    }
  }

  private async handshake(
    conn: Duplex,
    policies: readonly CompiledConnectionPolicy[],
    opts: { defaultAlpn?: string[]; remoteAddress?: string; localAddress?: string; timeoutMs?: number },
  ): Promise<TLSSocket> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const hello = await peekClientHello(conn, timeoutMs);
    // An ACME server validating tls-alpn-01: answered whatever the connection policies say, like certmagic does.
    const challenge = this.tlsAlpnChallenges.contextFor(hello);
    if (challenge) {
      await answerChallenge(conn, challenge, timeoutMs);
      this.logger.info(
        { server_name: hello.serverName, challenge: 'tls-alpn-01', remote: opts.remoteAddress },
        'served key authentication certificate',
      );
      throw new Error(`answered the ACME tls-alpn-01 challenge for ${hello.serverName ?? ''}`);
    }
    const list = (policies.length ? policies : [DEFAULT_POLICY]) as ConnectionPolicyImpl[];
    const policy = list.find((p) =>
      p.matches({ serverName: hello.serverName, remoteAddress: opts.remoteAddress, localAddress: opts.localAddress }),
    );
    if (!policy || policy.config.drop)
      throw new HandshakeRefusedError(
        policy
          ? 'dropped by connection policy'
          : `no TLS connection policy matches server name ${JSON.stringify(hello.serverName ?? '')}`,
        'config',
      );
    const sni = hello.serverName ?? policy.config.default_sni;
    if (this.events !== NO_EVENTS)
      await this.events.emit('tls_get_certificate', 'tls', {
        client_hello: { server_name: hello.serverName ?? '', remote_addr: opts.remoteAddress ?? '' },
      });
    if (sni && !this.cache.lookup(sni)) await this.obtainOnDemand(sni);
    const entry = policy.selectCert
      ? this.pickCertificate(policy.selectCert, sni ?? policy.config.fallback_sni)
      : (this.cache.lookup(sni) ??
        this.cache.lookup(policy.config.fallback_sni) ??
        this.cache.lookup(opts.localAddress?.replace(/^::ffff:/, '')));
    if (!entry)
      throw new HandshakeRefusedError(
        `no certificate available for ${JSON.stringify(sni ?? opts.localAddress ?? '')}`,
        'certificate',
      );
    const secureContext = this.cache.contextFor(entry, policy.key, policy.contextOptions);
    const mode = policy.clientAuth;
    const sock = new TLSSocketImpl(conn as unknown as import('node:net').Socket, {
      isServer: true,
      secureContext,
      ALPNProtocols: policy.config.alpn ?? opts.defaultAlpn ?? ['h2', 'http/1.1'],
      requestCert: mode !== undefined,
      rejectUnauthorized: mode === 'require_and_verify',
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new Error('TLS handshake timeout'));
      }, timeoutMs);
      sock.once('secure', () => {
        clearTimeout(timer);
        // Server-side TLSSockets made by hand keep secureConnecting=true, which makes node:http2 wait for a
        // 'secureConnect' that never comes; the handshake is done, so say so.
        (sock as { secureConnecting?: boolean }).secureConnecting = false;
        resolve();
      });
      sock.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      sock.once('close', () => {
        clearTimeout(timer);
        reject(new Error('connection closed during TLS handshake'));
      });
    });
    if (mode !== undefined) {
      // What tls.Server does on 'secure' (onServerSocketSecure), which a hand-made server TLSSocket skips:
      // without it rejectUnauthorized is never applied and a certificate from an unknown CA gets through.
      const verifyError =
        (sock as unknown as { ssl?: { verifyError(): (Error & { code?: string }) | null } }).ssl?.verifyError() ?? null;
      if (verifyError) {
        (sock as unknown as { authorizationError?: string }).authorizationError =
          verifyError.code ?? verifyError.message;
        if (mode === 'require_and_verify') {
          sock.destroy();
          throw new Error(`client certificate rejected: ${verifyError.message}`);
        }
      } else {
        (sock as { authorized: boolean }).authorized = true;
      }
    }
    if (
      mode === 'require' ||
      mode === 'verify_if_given' ||
      (mode === 'require_and_verify' && policy.trustedLeafFingerprints.size)
    ) {
      const peer = sock.getPeerCertificate();
      const has = peer && Object.keys(peer).length > 0;
      const leafOk =
        !policy.trustedLeafFingerprints.size || (has && policy.trustedLeafFingerprints.has(peer.fingerprint256));
      if ((mode === 'require' && !has) || (mode === 'verify_if_given' && has && !sock.authorized) || !leafOk) {
        sock.destroy();
        throw new Error('client certificate rejected');
      }
    }
    return sock;
  }
}

export const tlsAppModule: RuntimeModule<TlsAppImpl> = {
  id: 'tls',
  kind: 'app',
  doc: 'The tls app: certificates, automation, connection policies.',
  schema: tlsAppSchema,
  create: (json, _ctx, path) => new TlsAppImpl(json as TlsAppConfig, path),
};

/** The challenge types an ACME issuer may use, in the order tried: http-01 first unless disabled, then tls-alpn-01. */
function challengeTypes(issuer: AcmeIssuer): ChallengeType[] {
  const types: ChallengeType[] = [];
  if (!issuer.challenges?.http?.disabled) types.push('http-01');
  if (!issuer.challenges?.['tls-alpn']?.disabled) types.push('tls-alpn-01');
  return types;
}
