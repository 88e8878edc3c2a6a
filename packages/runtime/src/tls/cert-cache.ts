/** @module tls/cert-cache: loaded and managed certificates, looked up by server name (exact, then wildcard). */
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { certificateInfo } from './x509.js';

/** A certificate in the cache. */
export interface CachedCert {
  names: string[];
  certPem: string;
  keyPem: string;
  notBefore: number;
  notAfter: number;
  tags: string[];
  /** Issued by this process's automation (renewed automatically). */
  managed: boolean;
  /** Secure contexts per connection-policy options key. */
  contexts: Map<string, SecureContext>;
}

/** The certificate cache of one tls app. */
export class CertCache {
  private readonly byName = new Map<string, CachedCert>();
  readonly all: CachedCert[] = [];

  /** Adds a certificate chain + key; throws when the PEM does not parse or the key does not fit. */
  add(certPem: string, keyPem: string, opts: { tags?: string[]; managed?: boolean } = {}): CachedCert {
    const info = certificateInfo(certPem);
    createSecureContext({ cert: certPem, key: keyPem }); // validates that key and certificate match
    const entry: CachedCert = {
      names: info.names,
      certPem,
      keyPem,
      notBefore: info.notBefore,
      notAfter: info.notAfter,
      tags: opts.tags ?? [],
      managed: opts.managed ?? false,
      contexts: new Map(),
    };
    for (const old of this.all.filter((c) => c.managed && entry.managed && c.names.join() === entry.names.join()))
      this.remove(old);
    this.all.push(entry);
    for (const n of info.names) {
      const prev = this.byName.get(n);
      // Manually loaded certificates win over managed ones for the same name, like Caddy's.
      if (!prev || prev.managed || !entry.managed) this.byName.set(n, entry);
    }
    return entry;
  }

  remove(entry: CachedCert): void {
    const i = this.all.indexOf(entry);
    if (i >= 0) this.all.splice(i, 1);
    for (const [n, e] of this.byName) if (e === entry) this.byName.delete(n);
  }

  /** The certificate for a name: exact, then the wildcard one label up. */
  lookup(name: string | undefined): CachedCert | undefined {
    if (!name) return undefined;
    const n = name.toLowerCase().replace(/\.$/, '');
    const exact = this.byName.get(n);
    if (exact) return exact;
    const dot = n.indexOf('.');
    return dot > 0 ? this.byName.get(`*${n.slice(dot)}`) : undefined;
  }

  /**
   * Every certificate for a name, in the order they were added (exact names, then the wildcard one label up), as
   * CertMagic's getAllMatchingCerts gives a custom selection policy its choices.
   */
  allFor(name: string | undefined): CachedCert[] {
    if (!name) return [];
    const n = name.toLowerCase().replace(/\.$/, '');
    const dot = n.indexOf('.');
    const wild = dot > 0 ? `*${n.slice(dot)}` : undefined;
    return [...this.all.filter((c) => c.names.includes(n)), ...this.all.filter((c) => wild && c.names.includes(wild))];
  }

  /** Whether some certificate covers the name. */
  covers(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  /** A secure context for the certificate with the given extra options (cached by `key`). */
  contextFor(entry: CachedCert, key: string, extra: SecureContextOptions): SecureContext {
    let ctx = entry.contexts.get(key);
    if (!ctx) {
      ctx = createSecureContext({ ...extra, cert: entry.certPem, key: entry.keyPem });
      entry.contexts.set(key, ctx);
    }
    return ctx;
  }
}
