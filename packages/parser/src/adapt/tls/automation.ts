/** @module tls/automation: automation policies (Caddy's `caddytls.AutomationPolicy`) and their consolidation. */
import type { AdaptedCertGetter, AutomationPolicy as AutomationPolicyJson } from '@proxy/contract';
import { struct } from '../json.js';
import { sliceStable } from '../core/go-sort.js';
import { matchWildcard } from './shield.js';
import { issuerJSON, type Issuer } from './issuers.js';
import { subjectQualifiesForPublicCertAP } from './subjects.js';

/** An automation policy under construction. Issuers are shared, mutable objects, as Caddy's pointers are. */
export interface AutomationPolicy {
  subjects?: string[];
  issuers?: Issuer[];
  /** Issuer JSON fixed in advance (the internal AP for hosts shared with a hostless key). */
  issuersRaw?: Issuer[];
  get_certificate?: AdaptedCertGetter[];
  must_staple?: boolean;
  renewal_window_ratio?: number;
  key_type?: string;
  storage?: AutomationPolicyJson['storage'];
  on_demand?: boolean;
  reuse_private_keys?: boolean;
  disable_ocsp_stapling?: boolean;
  ocsp_overrides?: Record<string, string>;
}

/** The policy in Go struct order. */
export function apJSON(ap: AutomationPolicy): AutomationPolicyJson {
  return policyJSON(ap, ap.subjects, ap.issuersRaw ?? ap.issuers?.map(issuerJSON));
}

function policyJSON(
  ap: AutomationPolicy,
  subjects: string[] | undefined,
  issuers: Issuer[] | undefined,
): AutomationPolicyJson {
  return struct<AutomationPolicyJson>({
    subjects,
    issuers,
    get_certificate: ap.get_certificate,
    must_staple: ap.must_staple,
    renewal_window_ratio: ap.renewal_window_ratio,
    key_type: ap.key_type,
    storage: ap.storage,
    on_demand: ap.on_demand,
    reuse_private_keys: ap.reuse_private_keys,
    disable_ocsp_stapling: ap.disable_ocsp_stapling,
    ocsp_overrides: ap.ocsp_overrides,
  });
}

/**
 * The issuers of a policy as JSON, once per policy object: consolidation encodes each policy's settings twice.
 * Only for comparing: encodings here skip Go's HTML escaping, which changes no comparison.
 */
const issuerJSONs = new WeakMap<AutomationPolicy, Issuer[] | undefined>();
function issuersOf(ap: AutomationPolicy): Issuer[] | undefined {
  if (issuerJSONs.has(ap)) return issuerJSONs.get(ap);
  const out = ap.issuersRaw ?? ap.issuers?.map(issuerJSON);
  issuerJSONs.set(ap, out);
  return out;
}

/** Whether every subject qualifies for a public certificate. */
export function hasAllPublicNames(ap: AutomationPolicy): boolean {
  return (ap.subjects ?? []).every((s) => subjectQualifiesForPublicCertAP(!!ap.on_demand, s));
}

function isSubset(a: AutomationPolicy, b: AutomationPolicy): boolean {
  if (!b.subjects?.length) return true;
  if (!a.subjects?.length) return false;
  // One subject each (a policy per site): no need for the subject list's index.
  if (a.subjects.length === 1 && b.subjects.length === 1) return matchWildcard(a.subjects[0]!, b.subjects[0]!);
  const covers = coverage(b.subjects);
  for (const s of a.subjects) {
    if (!covers.names.has(s.toLowerCase()) && !covers.wildcards.some((t) => matchWildcard(s, t))) return false;
  }
  return true;
}

/**
 * A subject list's names lower-cased, and its wildcards: `matchWildcard` against a name without `*` is a
 * case-insensitive comparison. Made once per list (sorting compares every policy with many others); lists only
 * grow (merging appends), so a longer one is looked at again.
 */
const coverages = new WeakMap<string[], { length: number; names: Set<string>; wildcards: string[] }>();
function coverage(subjects: string[]): { names: Set<string>; wildcards: string[] } {
  let c = coverages.get(subjects);
  if (!c || c.length !== subjects.length) {
    c = { length: subjects.length, names: new Set(), wildcards: [] };
    for (const t of subjects) {
      if (t.includes('*')) c.wildcards.push(t);
      else c.names.add(t.toLowerCase());
    }
    coverages.set(subjects, c);
  }
  return c;
}

function shadows(i: number, aps: AutomationPolicy[]): number {
  for (let j = i + 1; j < aps.length; j++) if (isSubset(aps[i]!, aps[j]!)) return j;
  return -1;
}

/**
 * `shadows(i, sorted)` for every i of a sorted list, found through an index of the subjects rather than by
 * scanning the rest of the list (a policy per site made that quadratic). A superset of a policy holds its first
 * subject, a wildcard, or no subjects, so only those are tried, in list order.
 */
function shadowIndex(sorted: AutomationPolicy[]): number[] {
  const byName = new Map<string, number[]>();
  const wildcardOrOpen: number[] = [];
  sorted.forEach((ap, q) => {
    if (!ap.subjects?.length) return void wildcardOrOpen.push(q);
    let wild = false;
    for (const s of ap.subjects) {
      if (s.includes('*')) wild = true;
      const k = s.toLowerCase();
      const at = byName.get(k);
      if (!at) byName.set(k, [q]);
      else if (at[at.length - 1] !== q) at.push(q);
    }
    if (wild) wildcardOrOpen.push(q);
  });
  return sorted.map((ap, p) => {
    const named = ap.subjects?.length ? (byName.get(ap.subjects[0]!.toLowerCase()) ?? []) : [];
    // Both lists ascend: walk them together so the first superset found is the first in list order.
    let x = 0;
    let y = 0;
    while (x < named.length || y < wildcardOrOpen.length) {
      const q =
        y >= wildcardOrOpen.length || (x < named.length && named[x]! < wildcardOrOpen[y]!)
          ? named[x++]!
          : wildcardOrOpen[y++]!;
      if (q > p && isSubset(ap, sorted[q]!)) return q;
    }
    return -1;
  });
}

/** Whether the policy has no settings besides its subjects (`{}` once encoded; issuers only count, not encoded). */
function isEmpty(ap: AutomationPolicy): boolean {
  return Object.keys(policyJSON(ap, undefined, ap.issuersRaw ?? ap.issuers)).length === 0;
}

/** The encoded settings of a policy, computed once per policy object (consolidation compares every pair). */
const settingsKeys = new WeakMap<AutomationPolicy, string>();
function settingsKey(ap: AutomationPolicy): string {
  let k = settingsKeys.get(ap);
  if (k === undefined) {
    k = encodeSettings(ap, issuersOf(ap));
    settingsKeys.set(ap, k);
  }
  return k;
}

function encodeSettings(ap: AutomationPolicy, issuers: unknown[] | undefined): string {
  return JSON.stringify([
    issuers ?? null,
    ap.get_certificate ?? null,
    ap.storage ?? null,
    !!ap.must_staple,
    ap.key_type ?? '',
    !!ap.on_demand,
    !!ap.reuse_private_keys,
    ap.renewal_window_ratio ?? 0,
  ]);
}

/**
 * `settingsKey` with the issuers encoded as they are, not as module objects. Equal texts mean equal issuers
 * (keys in the same order), so equal settings: policies made alike (one per site) compare without sorting keys.
 */
const rawSettingsKeys = new WeakMap<AutomationPolicy, string>();
function rawSettingsKey(ap: AutomationPolicy): string {
  let k = rawSettingsKeys.get(ap);
  if (k === undefined) {
    k = encodeSettings(ap, ap.issuersRaw ?? ap.issuers);
    rawSettingsKeys.set(ap, k);
  }
  return k;
}

function sameSettings(a: AutomationPolicy, b: AutomationPolicy): boolean {
  return rawSettingsKey(a) === rawSettingsKey(b) || settingsKey(a) === settingsKey(b);
}

/** `key` without the subjects, once per policy object. */
const restKeys = new WeakMap<AutomationPolicy, string>();
function restKey(ap: AutomationPolicy): string {
  let k = restKeys.get(ap);
  if (k === undefined) {
    k = JSON.stringify(policyJSON(ap, undefined, issuersOf(ap)));
    restKeys.set(ap, k);
  }
  return k;
}

/**
 * `key(a) === key(b)` without encoding the subject lists, which grow as policies merge (encoding them for
 * every pair made consolidation quadratic in the number of sites). Empty and absent lists encode the same.
 */
function sameKey(a: AutomationPolicy, b: AutomationPolicy): boolean {
  const sa = a.subjects ?? [];
  const sb = b.subjects ?? [];
  if (sa.length !== sb.length) return false;
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return false;
  return restKey(a) === restKey(b);
}

/** Caddy's `consolidateAutomationPolicies`; undefined when every policy was empty. */
export function consolidateAutomationPolicies(input: AutomationPolicy[]): AutomationPolicy[] | undefined {
  const aps = [...input];
  sliceStable(aps, (a, b) => {
    if (isSubset(a, b)) return true;
    if (isSubset(b, a)) return false;
    return (a.subjects?.length ?? 0) > (b.subjects?.length ?? 0);
  });
  const origLen = aps.length;
  let emptyCount = 0;
  // This loop only removes the policy at i, so the policies after i are still those of the sorted list, and the
  // first one shadowing i is the one the index found there.
  const sorted = [...aps];
  const shadowOf = shadowIndex(sorted);
  const kept: number[] = [];
  for (let p = 0; p < sorted.length; p++) {
    const ap = sorted[p]!;
    if (isEmpty(ap)) {
      emptyCount++;
      const j = shadowOf[p]!;
      // Internal names are better served by auto-HTTPS's implicit internal issuer.
      if (!hasAllPublicNames(ap) || p === sorted.length - 1 || (j >= 0 && isEmpty(sorted[j]!))) continue;
    }
    kept.push(p);
  }
  aps.length = 0;
  for (const p of kept) aps.push(sorted[p]!);
  if (emptyCount === origLen) return undefined;
  // Subject lists built here by merging, with their members (merging is then linear, not quadratic).
  const merged = new WeakMap<string[], Set<string>>();
  outer: for (let i = 0; i < aps.length; i++) {
    for (let j = i + 1; j < aps.length; j++) {
      const a = aps[i]!;
      const b = aps[j]!;
      if (a === b || sameKey(a, b)) {
        aps.splice(j, 1);
        i--;
        continue outer;
      }
      if (sameSettings(a, b)) {
        if ((a.subjects?.length ?? 0) > 0 && (b.subjects?.length ?? 0) === 0) {
          const s = shadows(i, aps);
          if (s >= j) {
            aps.splice(i, 1);
            i--;
            continue outer;
          }
        } else {
          const subs = a.subjects && merged.has(a.subjects) ? a.subjects : [...(a.subjects ?? [])];
          let members = merged.get(subs);
          if (!members) merged.set(subs, (members = new Set(subs)));
          for (const x of b.subjects ?? []) {
            if (!members.has(x)) {
              members.add(x);
              subs.push(x);
            }
          }
          aps[i] = { ...a, subjects: subs.length > 0 ? subs : undefined };
          aps.splice(j, 1);
          j--;
        }
      }
    }
  }
  return aps;
}
