/**
 * @module layer4/proxy/selection-policies: the proxy's load-balancing policies
 * (`layer4.proxy.selection_policies.*`), written as `{"policy": "<name>", ...}`.
 */
import type { AdaptedLayer4SelectionPolicy, OwnFields } from '@proxy/contract';
import { struct } from '../../json.js';
import type { ModuleText } from '../../module.js';
import type { ModuleDefinition, ModuleParser } from '../registry.js';
import { consumeName, parseGoInt } from '../syntax.js';

/** A policy without options: its name alone on the line. */
const bare: ModuleParser<'layer4-lb-policy'> = (d) => {
  consumeName(d);
  if (d.nextArg()) throw d.argErr();
  return {};
};

function policy(
  name: AdaptedLayer4SelectionPolicy['policy'],
  text: ModuleText,
  parse: ModuleParser<'layer4-lb-policy'> = bare,
): ModuleDefinition {
  return { kind: 'layer4-lb-policy', name, ...text, parse };
}

export const FirstSelection = policy('first', { syntax: 'first', doc: 'Chooses the first available upstream.' });
export const IPHashSelection = policy('ip_hash', {
  syntax: 'ip_hash',
  doc: 'Chooses an upstream by a hash of the client IP.',
});
export const LeastConnSelection = policy('least_conn', {
  syntax: 'least_conn',
  doc: 'Chooses the upstream with the fewest connections.',
});
export const RandomSelection = policy('random', { syntax: 'random', doc: 'Chooses a random upstream.' });
export const RoundRobinSelection = policy('round_robin', { syntax: 'round_robin', doc: 'Chooses upstreams in turn.' });
export const WeightedRoundRobinSelection = policy('weighted_round_robin', {
  syntax: 'weighted_round_robin',
  doc: 'Chooses upstreams in turn, in proportion to their weight.',
});

/** `random_choose [<n>]`: the least loaded of n random upstreams -> `{"choose": n}`. */
export const RandomChoiceSelection = policy(
  'random_choose',
  {
    syntax: 'random_choose [<n>]',
    doc: 'Chooses the least loaded of n (default 2) random upstreams.',
  },
  (d) => {
    consumeName(d);
    let choose: number | undefined;
    if (d.nextArg()) {
      const n = parseGoInt(d.val(), 64, true);
      if (typeof n === 'string') throw d.err(`invalid choice value '${d.val()}': ${n}`);
      choose = n;
    }
    if (d.nextArg()) throw d.argErr();
    return struct<OwnFields<Extract<AdaptedLayer4SelectionPolicy, { policy: 'random_choose' }>, 'policy'>>({ choose });
  },
);
