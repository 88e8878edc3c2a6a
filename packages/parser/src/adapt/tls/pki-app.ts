/** @module tls/pki-app: the `pki` app (Caddy's `buildPKIApp`). */
import type { AdaptContext } from '../core/context.js';
import type { Pairing } from '../core/listeners.js';
import { pileOf } from '../core/site.js';
import type { PkiApp, PkiCa } from '@proxy/contract';
import { struct } from '../json.js';
import { optionValue } from '../options/values.js';

/** A CA as the `pki` option and `acme_server` build it (JSON field names; `id` is the map key). */
export interface CAValue extends PkiCa {
  id: string;
}

/** A CA in Go struct order. */
export function caJSON(ca: CAValue): PkiCa {
  const keep: (keyof PkiCa & string)[] = ca.install_trust === false ? ['install_trust'] : [];
  return struct<PkiCa>(
    {
      name: ca.name,
      root_common_name: ca.root_common_name,
      intermediate_common_name: ca.intermediate_common_name,
      intermediate_lifetime: ca.intermediate_lifetime,
      install_trust: ca.install_trust,
      root: ca.root,
      intermediate: ca.intermediate,
      maintenance_interval: ca.maintenance_interval,
      renewal_window_ratio: ca.renewal_window_ratio,
      storage: ca.storage,
    },
    keep,
  );
}

/** Builds the pki app, or undefined when it would be empty. */
export function buildPKIApp(pairings: Pairing[], ctx: AdaptContext): PkiApp | undefined {
  const base = optionValue(ctx.options, 'pki') ?? [];
  const cas = new Map<string, CAValue>(base.map((c) => [c.id, { ...c }]));
  const skipInstallTrust = ctx.options.has('skip_install_trust');
  if (skipInstallTrust) for (const ca of cas.values()) ca.install_trust = false;
  for (const p of pairings) {
    for (const v of p.views) {
      for (const cv of pileOf(v.site, 'pki.ca')) {
        const ca = cv.value as CAValue;
        if (!cas.has(ca.id)) cas.set(ca.id, { ...ca, ...(skipInstallTrust ? { install_trust: false } : {}) });
      }
    }
  }
  const autoHTTPS = optionValue(ctx.options, 'auto_https') ?? [];
  if (cas.size === 0 && skipInstallTrust && !autoHTTPS.includes('off'))
    cas.set('local', { id: 'local', install_trust: false });
  if (cas.size === 0) return undefined;
  const out: Record<string, PkiCa> = {};
  for (const id of [...cas.keys()].sort()) out[id] = caJSON(cas.get(id)!);
  return { certificate_authorities: out };
}
