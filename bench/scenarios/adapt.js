/** @module bench/scenarios/adapt: scenario 5, `proxy adapt` vs `caddy adapt` on generated Caddyfiles of 1, 2000 and 20000 sites (whole process, wall time). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { BIN, record } from '../lib/harness.js';
import { manySitesCaddyfile } from '../lib/configs.js';
import { runCommand } from '../lib/procs.js';

export const name = 'adapt';
export const title = '5. adapt (whole process)';
const SIZES = [1, 2000, 20000];
export const goals = [
  { scenario: 'adapt-1', metric: 'ms', peer: 'caddy', cmp: '<=', factor: 2.0 },
  { scenario: 'adapt-2000', metric: 'ms', peer: 'caddy', cmp: '<=', factor: 1.0 },
  { scenario: 'adapt-20000', metric: 'ms', peer: 'caddy', cmp: '<=', factor: 0.5 },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(ctx) {
  // Node's own start-up, the floor for the 1-site case.
  const floor = [];
  for (let i = 0; i < 5; i++) floor.push((await runCommand(process.execPath, ['-e', '0'])).seconds * 1000);
  record(ctx, 'adapt-1', 'node -e 0', 'ms', median(floor), 'ms');
  for (const n of SIZES) {
    const file = path.join(ctx.dir, `sites-${n}.Caddyfile`);
    writeFileSync(file, manySitesCaddyfile(n));
    const cmds = {
      proxy: [process.execPath, [BIN, 'adapt', '--config', file]],
      caddy: ['caddy', ['adapt', '--config', file, '--adapter', 'caddyfile']],
    };
    const reps = n >= 20000 ? 3 : 5;
    const times = { proxy: [], caddy: [] };
    const bytes = {};
    for (let i = 0; i < reps; i++) {
      for (const sys of i % 2 ? ['caddy', 'proxy'] : ['proxy', 'caddy']) {
        const [cmd, args] = cmds[sys];
        const r = await runCommand(cmd, args, {
          timeoutMs: 300000,
          env: { HOME: ctx.dir, XDG_DATA_HOME: ctx.dir, XDG_CONFIG_HOME: ctx.dir },
        });
        if (r.code !== 0) throw new Error(`${sys} adapt (${n} sites) failed: ${r.stderr.slice(-500)}`);
        times[sys].push(r.seconds * 1000);
        bytes[sys] = r.stdout.length;
      }
    }
    for (const sys of ['proxy', 'caddy'])
      record(ctx, `adapt-${n}`, sys, 'ms', median(times[sys]), 'ms', {
        runs: times[sys].map((t) => Math.round(t)),
        outputBytes: bytes[sys],
      });
  }
}
