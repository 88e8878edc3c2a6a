/** @module bench/lib/report: the results table (every metric, with the proxy / peer ratio for each pair) and the goal verdicts. */

const fmt = (v) =>
  v === undefined || Number.isNaN(v)
    ? '-'
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 10
        ? v.toFixed(1)
        : v.toFixed(2);

/** The median (the mean of the middle two for an even count): robust to a round hit by someone else's load. */
export function median(xs) {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Medians over rounds, keyed scenario|metric|system, in first-seen order. */
export function aggregate(results) {
  const groups = new Map();
  for (const r of results) {
    const key = `${r.scenario}|${r.metric}|${r.system}`;
    if (!groups.has(key))
      groups.set(key, { scenario: r.scenario, metric: r.metric, system: r.system, unit: r.unit, values: [], extra: r });
    groups.get(key).values.push(r.value);
  }
  return [...groups.values()].map((g) => ({ ...g, value: median(g.values) }));
}

/** The rows of the table: every system's value, and proxy / this system for the peers. */
export function tableRows(results) {
  const agg = aggregate(results);
  const proxyOf = new Map(agg.filter((a) => a.system === 'proxy').map((a) => [`${a.scenario}|${a.metric}`, a.value]));
  return agg.map((a) => {
    const p = proxyOf.get(`${a.scenario}|${a.metric}`);
    const ratio = a.system !== 'proxy' && p !== undefined ? p / a.value : undefined;
    const spread = a.values.length > 1 ? `${fmt(Math.min(...a.values))}..${fmt(Math.max(...a.values))}` : '';
    return {
      scenario: a.scenario,
      metric: a.metric,
      system: a.system,
      value: a.value,
      unit: a.unit,
      ratio,
      spread,
      workers: a.extra.workers,
      conns: a.extra.conns,
    };
  });
}

/** Each goal: the proxy's value, the peer compared (the best one for peer 'best'), the ratio and whether it is met. */
export function verdicts(results, goals) {
  const agg = aggregate(results);
  const find = (scenario, metric, system) =>
    agg.find((a) => a.scenario === scenario && a.metric === metric && a.system === system);
  return goals.map((g) => {
    const proxy = find(g.scenario, g.metric, 'proxy');
    let peers = agg.filter((a) => a.scenario === g.scenario && a.metric === g.metric && a.system !== 'proxy');
    if (g.peer !== 'best') peers = peers.filter((a) => a.system === g.peer);
    const better = g.cmp === '>=' ? (a, b) => b.value - a.value : (a, b) => a.value - b.value;
    const peer = peers.sort(better)[0];
    const ratio = proxy && peer ? proxy.value / peer.value : undefined;
    const met = ratio === undefined ? undefined : g.cmp === '>=' ? ratio >= g.factor : ratio <= g.factor;
    return { ...g, proxy: proxy?.value, peerSystem: peer?.system, peerValue: peer?.value, ratio, met };
  });
}

function table(header, rows) {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => (i < 3 ? String(c).padEnd(w[i]) : String(c).padStart(w[i]))).join('  ');
  return [line(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

/** The printed report. */
export function render(results, goals) {
  const rows = tableRows(results).map((r) => [
    r.scenario,
    r.system + (r.workers > 1 ? ` (x${r.workers})` : ''),
    r.metric,
    fmt(r.value),
    r.spread,
    r.ratio === undefined ? '' : fmt(r.ratio),
  ]);
  const v = verdicts(results, goals).map((g) => [
    g.scenario,
    g.metric,
    `proxy/${g.peer === 'best' ? `best (${g.peerSystem ?? '-'})` : g.peer}`,
    fmt(g.proxy),
    fmt(g.peerValue),
    fmt(g.ratio),
    `${g.cmp} ${g.factor}`,
    g.met === undefined ? 'n/a' : g.met ? 'MET' : 'missed',
  ]);
  return [
    table(['scenario', 'system', 'metric', 'value', 'rounds', 'proxy/peer'], rows),
    '',
    table(['scenario', 'metric', 'ratio', 'proxy', 'peer', 'value', 'goal', 'verdict'], v),
  ].join('\n');
}
