/**
 * @module diff/classify: applies the pinned table and the known-defect list to one scenario's raw results.
 */
import { applyExpect, diffObserved, satisfies } from './compare.js';
import type { ScenarioResult } from './run.js';
import type { KnownDefect, Pinned, PinnedRule, Scenario } from './types.js';

export const LOG_LABEL = '(access log)';

export interface Verdict {
  /** Differences no table explains: the scenario fails. */
  failures: string[];
  /** Differences covered by knownDefects (expected failures). */
  known: string[];
  /** knownDefects entries that did not show up: the scenario fails until the entry is removed. */
  unexpectedPasses: string[];
  /** Pinned entries applied. */
  pinnedUsed: number;
  requests: number;
  /** What caddy answered per request (status or failure), so a report shows the suite exercised something. */
  caddySaw: string[];
}

const forReq = <T extends { scenario: string; request?: string }>(
  list: T[],
  sc: string,
  label: string,
): T | undefined =>
  list.find((e) => e.scenario === sc && e.request === label) ??
  list.find((e) => e.scenario === sc && e.request === undefined);

function logDiff(caddy: string[] | string, proxy: string[] | string): string[] {
  if (typeof caddy === 'string' || typeof proxy === 'string')
    return caddy === proxy
      ? []
      : [
          `caddy: ${typeof caddy === 'string' ? caddy : 'a line'} | proxy: ${typeof proxy === 'string' ? proxy : 'a line'}`,
        ];
  const c = new Set(caddy);
  const p = new Set(proxy);
  const out: string[] = [];
  const onlyC = caddy.filter((k) => !p.has(k));
  const onlyP = proxy.filter((k) => !c.has(k));
  if (onlyC.length) out.push(`keys only caddy logs: ${onlyC.join(', ')}`);
  if (onlyP.length) out.push(`keys only proxy logs: ${onlyP.join(', ')}`);
  return out;
}

export function classify(
  sc: Scenario,
  result: ScenarioResult | Error,
  pinned: Pinned[],
  known: KnownDefect[],
  rules: PinnedRule[] = [],
): Verdict {
  const v: Verdict = {
    failures: [],
    known: [],
    unexpectedPasses: [],
    pinnedUsed: 0,
    requests: sc.requests.length,
    caddySaw: [],
  };
  const entries = known.filter((k) => k.scenario === sc.name);
  const hit = new Set<KnownDefect>();
  const record = (label: string, diffs: string[]): void => {
    if (diffs.length === 0) return;
    const k = forReq(known, sc.name, label);
    const text = `${label}: ${diffs.join('; ')}`;
    if (k) {
      hit.add(k);
      v.known.push(`[defect ${k.defect}] ${text}`);
    } else v.failures.push(text);
  };
  if (result instanceof Error) {
    record('(start-up)', [result.message]);
    // A scenario that cannot start covers every known defect listed for it.
    for (const k of entries) hit.add(k);
  } else {
    for (const r of result.requests) {
      v.caddySaw.push(
        `${r.label} -> ${typeof r.caddy === 'string' ? r.caddy : r.caddy.map((x) => x.status).join(',')}`,
      );
      let expected = r.caddy;
      const pin = forReq(pinned, sc.name, r.label);
      if (pin && (pin.caddy262.status !== undefined || pin.caddy262.headers || pin.caddy262.body !== undefined)) {
        if (!satisfies(r.caddy, pin.caddy262)) {
          v.failures.push(
            `${r.label}: pinned table is stale: caddy 2.6.2 no longer answers ${JSON.stringify(pin.caddy262)}`,
          );
          continue;
        }
        v.pinnedUsed++;
        expected = applyExpect(r.caddy, pin.master);
      }
      if (typeof expected !== 'string') {
        expected = expected.map((resp) => {
          for (const rule of rules) {
            const m = rule.master(resp, r.req, sc);
            if (m) {
              v.pinnedUsed++;
              resp = m;
            }
          }
          return resp;
        });
      }
      record(r.label, diffObserved(r.req, expected, r.proxy));
    }
    if (result.logs) {
      let caddyKeys = result.logs.caddy;
      const pin = forReq(pinned, sc.name, LOG_LABEL);
      if (pin?.master.logKeys && typeof caddyKeys !== 'string') {
        const present = (pin.master.logKeys.add ?? []).filter((key) => caddyKeys.includes(key));
        if (present.length)
          v.failures.push(`${LOG_LABEL}: pinned table is stale: caddy 2.6.2 already logs ${present.join(', ')}`);
        v.pinnedUsed++;
        const remove = new Set(pin.master.logKeys.remove ?? []);
        caddyKeys = [...caddyKeys.filter((k) => !remove.has(k)), ...(pin.master.logKeys.add ?? [])].sort();
      }
      const counts =
        result.logs.caddyLines === result.logs.proxyLines
          ? []
          : [`lines: caddy ${result.logs.caddyLines} | proxy ${result.logs.proxyLines}`];
      record(LOG_LABEL, [...counts, ...logDiff(caddyKeys, result.logs.proxy)]);
    }
  }
  for (const k of entries) {
    if (!hit.has(k))
      v.unexpectedPasses.push(
        `defect ${k.defect} (${k.request ?? 'whole scenario'}) no longer differs: remove it from knownDefects`,
      );
  }
  return v;
}
