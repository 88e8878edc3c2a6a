/**
 * @module tls/shield: client-auth shielding (current Caddy; 2.6.2 has none): a site whose host is covered by a wildcard policy
 * that requires client certificates gets its own copy of that policy without client authentication, placed first.
 */
import { sortStrings } from '../core/go-sort.js';
import type { ConnPolicy } from './conn-policy.js';

/** certmagic's `MatchWildcard`: labels are replaced by `*` left to right, cumulatively (`*.*.tld` covers `a.b.tld`). */
export function matchWildcard(subject: string, wildcard: string): boolean {
  if (!wildcard.includes('*')) return subject === wildcard || subject.toLowerCase() === wildcard.toLowerCase();
  subject = subject.toLowerCase();
  wildcard = wildcard.toLowerCase();
  if (subject === wildcard) return true;
  const labels = subject.split('.');
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === '') continue;
    labels[i] = '*';
    if (labels.join('.') === wildcard) return true;
  }
  return false;
}

/** Inserts shield policies before wildcard client-auth policies for the hosts they would otherwise capture. */
export function shieldClientAuth(policies: ConnPolicy[], empty: ConnPolicy[]): ConnPolicy[] {
  const inserts: { at: number; policy: ConnPolicy }[] = [];
  const claimed = new Set<string>();
  policies.forEach((p, idx) => {
    if (!p.client_authentication) return;
    const sni = (p.match?.['sni'] as string[] | undefined) ?? [];
    const wildcards = sni.filter((s) => s.includes('*'));
    if (wildcards.length === 0) return;
    const hosts: string[] = [];
    for (const e of empty) {
      for (const h of (e.match?.['sni'] as string[] | undefined) ?? []) {
        if (claimed.has(h) || sni.includes(h)) continue;
        if (wildcards.some((w) => matchWildcard(h, w))) {
          claimed.add(h);
          hosts.push(h);
        }
      }
    }
    if (hosts.length === 0) return;
    const copy: ConnPolicy = {
      ...p,
      client_authentication: undefined,
      match: { ...p.match, sni: sortStrings(new Set(hosts)) },
    };
    inserts.push({ at: idx, policy: copy });
  });
  const out = [...policies];
  for (let k = inserts.length - 1; k >= 0; k--) out.splice(inserts[k]!.at, 0, inserts[k]!.policy);
  return out;
}
