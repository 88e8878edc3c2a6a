/** @module tls/conn-policy: TLS connection policies (Caddy's `caddytls.ConnectionPolicy`) and their consolidation. */
import type { CertSelection, ConnectionPolicy, HandshakeMatch } from '@proxy/contract';
import { stringifyConfig, struct } from '../json.js';
import { sliceStable } from '../core/go-sort.js';

/** A connection policy under construction (the contract's type); `toJSON` gives Go struct order. */
export type ConnPolicy = ConnectionPolicy;

/** The policy in Go struct order. */
export function connPolicyJSON(p: ConnPolicy): ConnectionPolicy {
  return struct<ConnectionPolicy>({
    match: p.match,
    certificate_selection: p.certificate_selection,
    cipher_suites: p.cipher_suites,
    curves: p.curves,
    alpn: p.alpn,
    protocol_min: p.protocol_min,
    protocol_max: p.protocol_max,
    drop: p.drop,
    client_authentication: p.client_authentication,
    default_sni: p.default_sni,
    fallback_sni: p.fallback_sni,
    insecure_secrets_log: p.insecure_secrets_log,
  });
}

/** Caddy's `SettingsEmpty`. */
export function settingsEmpty(p: ConnPolicy): boolean {
  return (
    !p.certificate_selection &&
    !p.cipher_suites &&
    !p.curves &&
    !p.alpn &&
    !p.protocol_min &&
    !p.protocol_max &&
    !p.client_authentication &&
    !p.default_sni &&
    !p.fallback_sni &&
    !p.insecure_secrets_log
  );
}

function settingsKey(p: ConnPolicy): string {
  return stringifyConfig(connPolicyJSON({ ...p, match: undefined }));
}

const eq = (a: unknown, b: unknown) => stringifyConfig(a ?? null) === stringifyConfig(b ?? null);

/**
 * Whether two policies' matchers surely differ without encoding them: SNI lists of different lengths. Merging
 * grows one policy's list; encoding it again for every other policy made consolidation quadratic.
 */
function snisDiffer(a: ConnPolicy, b: ConnPolicy): boolean {
  const x = a.match?.['sni'];
  const y = b.match?.['sni'];
  return Array.isArray(x) && Array.isArray(y) && x.length !== y.length;
}

/** Caddy's `consolidateConnPolicies`. */
export function consolidateConnPolicies(input: ConnPolicy[]): ConnPolicy[] {
  const cps = input.map((p) => ({ ...p }));
  // Matchers made here by merging: later merges extend them in place (the input's are left alone).
  const merged = new Set<HandshakeMatch>();
  // Each policy's encodings, made once (every pair is compared); a policy that merges another is encoded anew.
  const fulls = new Map<ConnPolicy, string>();
  const matches = new Map<ConnPolicy, string>();
  const full = (p: ConnPolicy): string => {
    let k = fulls.get(p);
    if (k === undefined) fulls.set(p, (k = stringifyConfig(connPolicyJSON(p))));
    return k;
  };
  const matchOf = (p: ConnPolicy): string => {
    let k = matches.get(p);
    if (k === undefined) matches.set(p, (k = stringifyConfig(p.match ?? null)));
    return k;
  };
  const changed = (p: ConnPolicy): void => {
    fulls.delete(p);
    matches.delete(p);
  };
  sliceStable(cps, (a, b) => b.match === undefined && a.match !== undefined);
  for (let i = 0; i < cps.length; i++) {
    for (let j = 0; j < cps.length; j++) {
      if (j === i) continue;
      const a = cps[i]!;
      const b = cps[j]!;
      const differ = snisDiffer(a, b);
      if (!differ && full(a) === full(b)) {
        cps.splice(j, 1);
        i--;
        break;
      }
      const onlySNI = (p: ConnPolicy) =>
        p.match !== undefined && Object.keys(p.match).length === 1 && Array.isArray(p.match['sni']);
      if (i === j - 1 && onlySNI(a) && onlySNI(b) && settingsKey(a) === settingsKey(b)) {
        if (merged.has(a.match!)) (a.match!['sni'] as string[]).push(...(b.match!['sni'] as string[]));
        else merged.add((a.match = { sni: [...(a.match!['sni'] as string[]), ...(b.match!['sni'] as string[])] }));
        changed(a);
        cps.splice(j, 1);
        i--;
        break;
      }
      if (!differ && matchOf(a) === matchOf(b)) {
        const conflict = (what: string, x: unknown, y: unknown) =>
          new Error(`two policies with same match criteria have conflicting ${what}: ${String(x)} vs. ${String(y)}`);
        if (a.alpn?.length && b.alpn?.length && !eq(a.alpn, b.alpn)) throw conflict('ALPN', a.alpn, b.alpn);
        if (a.cipher_suites?.length && b.cipher_suites?.length && !eq(a.cipher_suites, b.cipher_suites))
          throw conflict('cipher suites', a.cipher_suites, b.cipher_suites);
        if (
          a.client_authentication &&
          b.client_authentication &&
          !eq(a.client_authentication, b.client_authentication)
        ) {
          throw conflict(
            'client auth configuration',
            stringifyConfig(a.client_authentication),
            stringifyConfig(b.client_authentication),
          );
        }
        if (a.curves?.length && b.curves?.length && !eq(a.curves, b.curves))
          throw conflict('curves', a.curves, b.curves);
        if (a.default_sni && b.default_sni && a.default_sni !== b.default_sni)
          throw conflict('default SNI', a.default_sni, b.default_sni);
        if (a.fallback_sni && b.fallback_sni && a.fallback_sni !== b.fallback_sni)
          throw conflict('fallback SNI', a.fallback_sni, b.fallback_sni);
        if (a.protocol_min && b.protocol_min && a.protocol_min !== b.protocol_min)
          throw conflict('min protocol', a.protocol_min, b.protocol_min);
        if (a.protocol_max && b.protocol_max && a.protocol_max !== b.protocol_max)
          throw conflict('max protocol', a.protocol_max, b.protocol_max);
        if (a.certificate_selection && b.certificate_selection) {
          const strip = (c: CertSelection) => ({ ...c, any_tag: undefined });
          if (!eq(strip(a.certificate_selection), strip(b.certificate_selection))) {
            throw conflict(
              'cert selections',
              stringifyConfig(a.certificate_selection),
              stringifyConfig(b.certificate_selection),
            );
          }
        }
        if (!a.alpn?.length && b.alpn?.length) a.alpn = b.alpn;
        if (!a.cipher_suites?.length && b.cipher_suites?.length) a.cipher_suites = b.cipher_suites;
        if (!a.client_authentication && b.client_authentication) a.client_authentication = b.client_authentication;
        if (!a.curves?.length && b.curves?.length) a.curves = b.curves;
        if (!a.default_sni && b.default_sni) a.default_sni = b.default_sni;
        if (!a.fallback_sni && b.fallback_sni) a.fallback_sni = b.fallback_sni;
        if (!a.protocol_min && b.protocol_min) a.protocol_min = b.protocol_min;
        if (!a.protocol_max && b.protocol_max) a.protocol_max = b.protocol_max;
        if (!a.certificate_selection && b.certificate_selection) a.certificate_selection = b.certificate_selection;
        else if (a.certificate_selection && b.certificate_selection) {
          const tags = [...(a.certificate_selection.any_tag ?? [])];
          for (const t of b.certificate_selection.any_tag ?? []) if (!tags.includes(t)) tags.push(t);
          a.certificate_selection = { ...a.certificate_selection, any_tag: tags };
        }
        changed(a);
        cps.splice(j, 1);
        i--;
        break;
      }
    }
  }
  return cps;
}
