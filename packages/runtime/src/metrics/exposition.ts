/**
 * @module metrics/exposition: writes metric families the way Go's expfmt does (client_golang's promhttp, which
 * Caddy serves with): the Prometheus text format 0.0.4 or OpenMetrics, chosen from the Accept field.
 * prom-client's own writer is not used: it lists families in registration order with blank lines, keeps
 * families that have no samples, and its OpenMetrics mode renames counters in place.
 */

/** An exposition format and its Content-Type (expfmt's FmtText and FmtOpenMetrics_*). */
export interface Format {
  openMetrics: boolean;
  contentType: string;
}

export const TEXT: Format = { openMetrics: false, contentType: 'text/plain; version=0.0.4; charset=utf-8' };
const OM_001: Format = { openMetrics: true, contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8' };
const OM_100: Format = { openMetrics: true, contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8' };

/**
 * expfmt.NegotiateIncludingOpenMetrics (or Negotiate, without OpenMetrics): the first acceptable entry of the
 * Accept field by quality. Protocol buffers are not offered, so those entries are passed over.
 */
export function negotiate(accept: string | undefined, allowOpenMetrics: boolean): Format {
  for (const a of parseAccept(accept ?? '')) {
    const version = a.params.get('version') ?? '';
    if (a.type === 'text/plain' && (version === '0.0.4' || version === '')) return TEXT;
    if (allowOpenMetrics && a.type === 'application/openmetrics-text') {
      if (version === '1.0.0') return OM_100;
      if (version === '0.0.1' || version === '') return OM_001;
    }
  }
  return TEXT;
}

interface AcceptEntry {
  type: string;
  q: number;
  wildcards: number;
  params: Map<string, string>;
}

/** goautoneg.ParseAccept: entries by quality, then the more specific first. */
function parseAccept(header: string): AcceptEntry[] {
  const out: AcceptEntry[] = [];
  for (const part of header.split(',')) {
    const [mediaRange = '', ...rest] = part.split(';').map((x) => x.trim());
    const slash = mediaRange.indexOf('/');
    if (slash < 0) continue;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim();
      const v = p.slice(eq + 1).trim();
      if (k === 'q') q = Number.parseFloat(v) || 0;
      else params.set(k, v);
    }
    const wildcards = (mediaRange.startsWith('*/') ? 1 : 0) + (mediaRange.endsWith('/*') ? 1 : 0);
    out.push({ type: mediaRange.toLowerCase(), q, wildcards, params });
  }
  return out.sort((a, b) => b.q - a.q || a.wildcards - b.wildcards);
}

/**
 * Go's strconv.FormatFloat(v, 'g', -1, 64), which the text format writes every value with: the shortest
 * digits, as an exponent when it is below -4 or at least 6 (1048576 is "1.048576e+06").
 */
export function goG(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant = '', expStr = '0'] = v.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

/** expfmt's writeOpenMetricsFloat: like 'g', with ".0" on integral values. */
function omFloat(v: number): string {
  const s = goG(v);
  return /[e.]|Inf|NaN/.test(s) ? s : `${s}.0`;
}

function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabel(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

type Labels = Readonly<Record<string, string | number | undefined>>;

/** One sample as prom-client's `get()` gives it (histograms name theirs `_bucket`, `_sum`, `_count`). */
export interface Sample {
  value: number;
  labels: Labels;
  metricName?: string;
}

/** A metric family as prom-client's `get()` gives it. */
export interface Family {
  name: string;
  help: string;
  type: string;
  values: Sample[];
}

/** Label pairs sorted by name as client_golang keeps them, with `le`/`quantile` last. */
function labelText(labels: Labels, special: string | undefined, specialValue: string): string {
  const names = Object.keys(labels)
    .filter((k) => k !== special && labels[k] !== undefined)
    .sort();
  const parts = names.map((k) => `${k}="${escapeLabel(String(labels[k]))}"`);
  if (special !== undefined) parts.push(`${special}="${specialValue}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** The label set without `le`/`quantile`, as a sort key. */
function seriesKey(labels: Labels): string {
  return Object.keys(labels)
    .filter((k) => k !== 'le' && k !== 'quantile')
    .sort()
    .map((k) => `${k}\u0000${String(labels[k])}`)
    .join('\u0001');
}

/** Writes families, sorted by name; families without samples are left out (as Go's registry does). */
export function render(families: readonly Family[], f: Format): string {
  const lines: string[] = [];
  const sorted = families.filter((m) => m.values.length > 0).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const m of sorted) {
    const counter = m.type === 'counter';
    // OpenMetrics names a counter family without its _total, which only the samples carry.
    const family = f.openMetrics && counter ? m.name.replace(/_total$/, '') : m.name;
    lines.push(`# HELP ${family} ${escapeHelp(m.help)}`, `# TYPE ${family} ${m.type}`);
    // Series in label order; within one, prom-client's order (buckets by bound, then _sum, then _count).
    const series = new Map<string, Sample[]>();
    for (const v of m.values) {
      const k = seriesKey(v.labels);
      const list = series.get(k);
      if (list) list.push(v);
      else series.set(k, [v]);
    }
    for (const k of [...series.keys()].sort()) {
      for (const v of series.get(k)!) {
        let name = v.metricName ?? m.name;
        if (f.openMetrics && counter && !name.endsWith('_total')) name = `${name}_total`;
        const special = 'le' in v.labels ? 'le' : 'quantile' in v.labels ? 'quantile' : undefined;
        const raw = special ? String(v.labels[special]) : '0';
        const bound = raw === '+Inf' ? Number.POSITIVE_INFINITY : Number(raw);
        const specialValue = special ? (f.openMetrics ? omFloat(bound) : goG(bound)) : '';
        // Counts (buckets, _count) are integers; OpenMetrics writes them without ".0".
        const isCount = name.endsWith('_bucket') || name.endsWith('_count');
        const value = f.openMetrics && !isCount ? omFloat(v.value) : goG(v.value);
        lines.push(`${name}${labelText(v.labels, special, specialValue)} ${value}`);
      }
    }
  }
  if (f.openMetrics) lines.push('# EOF');
  return lines.length ? `${lines.join('\n')}\n` : '';
}
