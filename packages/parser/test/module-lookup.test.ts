/**
 * Module names are looked up among the listed modules only: a name that is a property of every JavaScript
 * object (`toString`, `constructor`...) is not a module, and gets Caddy's "module not registered" error rather
 * than a parser taken from the object prototype.
 */
import { describe, expect, it } from 'vitest';
import { errOf } from './adapt-helpers.js';

const site = (body: string) => `:80 {\n${body}\n}\n`;

describe('module lookup', () => {
  it.each([
    [
      'lb_policy',
      site('\treverse_proxy x:1 {\n\t\tlb_policy toString\n\t}'),
      'http.reverse_proxy.selection_policies.toString',
    ],
    [
      'transport',
      site('\treverse_proxy x:1 {\n\t\ttransport constructor\n\t}'),
      'http.reverse_proxy.transport.constructor',
    ],
    ['dynamic', site('\treverse_proxy {\n\t\tdynamic toString\n\t}'), 'http.reverse_proxy.upstreams.toString'],
    ['encode block', site('\tencode {\n\t\thasOwnProperty\n\t}'), 'http.encoders.hasOwnProperty'],
    ['encode argument', site('\tencode toString'), 'http.encoders.toString'],
    ['log output', site('\tlog {\n\t\toutput valueOf\n\t}'), 'caddy.logging.writers.valueOf'],
    ['log format', site('\tlog {\n\t\tformat constructor\n\t}'), 'caddy.logging.encoders.constructor'],
    [
      'log filter',
      site('\tlog {\n\t\tformat filter {\n\t\t\tfields {\n\t\t\t\tx toString\n\t\t\t}\n\t\t}\n\t}'),
      'caddy.logging.encoders.filter.toString',
    ],
    [
      'tls_trust_pool',
      site('\treverse_proxy https://x:1 {\n\t\ttransport http {\n\t\t\ttls_trust_pool toString\n\t\t}\n\t}'),
      'tls.ca_pool.source.toString',
    ],
    ['matcher', site('\t@a toString x\n\trespond @a 200'), 'http.matchers.toString'],
    ['directive', site('\ttoString'), ''],
  ])('%s: a prototype property name is not a module', (_what, config, id) => {
    const err = errOf(config);
    if (id === '') expect(err).toContain('unrecognized directive: toString');
    else expect(err).toContain(`module not registered: ${id}`);
  });
});
