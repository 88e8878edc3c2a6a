/**
 * @module layer4/proxy/selection-policies: the proxy's load-balancing policies
 * (`layer4.proxy.selection_policies.*`), written as `{"policy": "<name>", ...}`.
 */
import { struct } from '../../json.js';
import type { ModuleDefinition, ModuleParser } from '../registry.js';
import { consumeName, parseGoInt } from '../syntax.js';

/** A policy without options: its name alone on the line. */
const bare: ModuleParser = (d) => {
  consumeName(d);
  if (d.nextArg()) throw d.argErr();
  return {};
};

function policy(name: string, parse: ModuleParser = bare): ModuleDefinition {
  return { id: `layer4.proxy.selection_policies.${name}`, parse };
}

export const FirstSelection = policy('first');
export const IPHashSelection = policy('ip_hash');
export const LeastConnSelection = policy('least_conn');
export const RandomSelection = policy('random');
export const RoundRobinSelection = policy('round_robin');
export const WeightedRoundRobinSelection = policy('weighted_round_robin');

/** `random_choose [<n>]`: the least loaded of n random upstreams -> `{"choose": n}`. */
export const RandomChoiceSelection = policy('random_choose', (d) => {
  consumeName(d);
  let choose: number | undefined;
  if (d.nextArg()) {
    const n = parseGoInt(d.val(), 64, true);
    if (typeof n === 'string') throw d.err(`invalid choice value '${d.val()}': ${n}`);
    choose = n;
  }
  if (d.nextArg()) throw d.argErr();
  return struct({ choose });
});
