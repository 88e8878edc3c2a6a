/**
 * @module bench/scenarios/layer4-tls: scenarios 2 and 3, TLS termination to a TCP upstream and SNI passthrough to
 * a TLS upstream: bulk MB/s (server CPU per MB) and new connections (server CPU per connection), every core.
 */
import { loadgen, order, record, SETTINGS, startSystem } from '../lib/harness.js';
import { SYSTEMS } from '../lib/configs.js';

const goalsFor = (scenario) => [
  { scenario, metric: 'MB/s', peer: 'best', cmp: '>=', factor: 1.0 },
  { scenario, metric: 'cpu us/conn', peer: 'haproxy', cmp: '<=', factor: 1.0 },
  { scenario, metric: 'cpu us/conn', peer: 'nginx', cmp: '<=', factor: 1.0 },
];

/** The two scenarios: which description and which upstreams (from the upstream process' ports). */
export const variants = {
  'tls-terminate': { title: '2. TLS termination to TCP', kind: 'tls-terminate', bulk: 'source', conn: 'greet' },
  'sni-passthrough': {
    title: '3. SNI passthrough to TLS',
    kind: 'sni-passthrough',
    bulk: 'tlsSource',
    conn: 'tlsGreet',
  },
};

export const goals = [...goalsFor('tls-terminate'), ...goalsFor('sni-passthrough')];

export async function run(ctx, scenario) {
  const v = variants[scenario];
  const sni = 'bench.local';
  const phases = [
    { upstream: ctx.upstreams[v.bulk], mode: 'bulk', conns: 8 },
    { upstream: ctx.upstreams[v.conn], mode: 'handshake', conns: 32 },
  ];
  for (const ph of phases) {
    const systems = [];
    try {
      for (const s of SYSTEMS[v.kind])
        systems.push(
          await startSystem(ctx, s, { kind: v.kind, upstream: ph.upstream, sni }, { workers: SETTINGS.cores }),
        );
      for (const sys of systems)
        await loadgen({ mode: ph.mode, port: sys.port, servername: sni, conns: ph.conns, seconds: 1, warmupMs: 300 });
      for (let round = 0; round < SETTINGS.rounds; round++) {
        for (const sys of order(systems, round)) {
          const r = await loadgen({
            mode: ph.mode,
            port: sys.port,
            servername: sni,
            conns: ph.conns,
            seconds: SETTINGS.seconds,
            pid: sys.proc.pid,
          });
          const extra = { round, workers: sys.workers };
          if (ph.mode === 'bulk') {
            record(ctx, scenario, sys.system, 'MB/s', r.mbps, 'MB/s', extra);
            record(ctx, scenario, sys.system, 'cpu us/MB', (r.cpu / (r.bytes / 1e6)) * 1e6, 'us', extra);
          } else {
            record(ctx, scenario, sys.system, 'conn/s', r.rate, 'conn/s', extra);
            record(ctx, scenario, sys.system, 'cpu us/conn', (r.cpu / r.conns) * 1e6, 'us', extra);
            if (r.failed) record(ctx, scenario, sys.system, 'failed conns', r.failed, 'count', extra);
          }
        }
      }
    } finally {
      await Promise.all(systems.map((s) => s.proc.stop()));
    }
  }
}
