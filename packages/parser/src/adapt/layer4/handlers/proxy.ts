/** @module layer4/handlers/proxy: the `proxy` handler, which forwards the connection to upstreams (terminal). */
import type {
  AdaptedLayer4SelectionPolicy,
  Layer4ProxyHealthChecks,
  Layer4ProxyLoadBalancing,
  Layer4ProxyUpstream,
} from '@proxy/contract';
import { struct } from '../../json.js';
import { moduleOf } from '../../tls/fields.js';
import { parseUpstream } from '../proxy/upstream.js';
import { handler, unmarshalModule, type Layer4HandlerFields } from '../registry.js';
import { consumeName, durationArg, intArg, noArgs, noNestedBlock, OnceOptions, singleArg } from '../syntax.js';

/**
 * `proxy [<upstreams...>] { ... }`: each same-line address is an upstream of its own. Block options:
 *
 *     health_interval <d>  health_port <n>  health_timeout <d>  health_fall <n>  health_rise <n>
 *     close_if_unhealthy                                     -> health_checks.active
 *     fail_duration <d>  max_fails <n>  unhealthy_connection_count <n>   -> health_checks.passive
 *     lb_policy <policy> [<args...>]  lb_try_duration <d>  lb_try_interval <d>   -> load_balancing
 *     proxy_protocol <v1|v2>
 *     upstream [<addresses...>] [{ ... }]                    (see proxy/upstream)
 */
export const HandleProxy = handler(
  'proxy',
  {
    syntax: 'proxy [<upstreams...>] { upstream [<dial addrs...>] { ... }; lb_policy <policy>; health_*; ... }',
    doc: 'Proxies the connection to upstreams, with load balancing and health checks.',
    subdirectives: [
      {
        name: 'upstream',
        syntax:
          'upstream [<dial addrs...>] { dial; local_addr; resolver_preference; max_connections; weight; tls...; }',
        doc: 'An upstream with its dial addresses and TLS settings (repeatable).',
      },
      { name: 'health_interval', syntax: 'health_interval <duration>', doc: 'How often to run active health checks.' },
      { name: 'health_port', syntax: 'health_port <int>', doc: 'The port for active health checks.' },
      {
        name: 'health_timeout',
        syntax: 'health_timeout <duration>',
        doc: 'How long to wait for an active health check.',
      },
      {
        name: 'health_fall',
        syntax: 'health_fall <int>',
        doc: 'Consecutive failures before an upstream is unhealthy.',
      },
      {
        name: 'health_rise',
        syntax: 'health_rise <int>',
        doc: 'Consecutive passes before an upstream is healthy again.',
      },
      {
        name: 'close_if_unhealthy',
        syntax: 'close_if_unhealthy',
        doc: 'Closes connections to an upstream once it turns unhealthy.',
      },
      {
        name: 'fail_duration',
        syntax: 'fail_duration <duration>',
        doc: 'How long a failed connection counts against an upstream.',
      },
      {
        name: 'max_fails',
        syntax: 'max_fails <int>',
        doc: 'Failures within fail_duration before an upstream is unhealthy.',
      },
      {
        name: 'unhealthy_connection_count',
        syntax: 'unhealthy_connection_count <int>',
        doc: 'Active connections above which an upstream is unhealthy.',
      },
      {
        name: 'lb_policy',
        syntax: 'lb_policy <policy> [<args...>]',
        doc: 'The load-balancing policy (random, random_choose, least_conn, round_robin, weighted_round_robin, first, ip_hash).',
      },
      { name: 'lb_try_duration', syntax: 'lb_try_duration <duration>', doc: 'How long to keep trying upstreams.' },
      { name: 'lb_try_interval', syntax: 'lb_try_interval <duration>', doc: 'How long to wait between tries.' },
      { name: 'proxy_protocol', syntax: 'proxy_protocol v1|v2', doc: 'Sends a PROXY protocol header to the upstream.' },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    const upstreams: Layer4ProxyUpstream[] = d.remainingArgs().map((a) => ({ dial: [a] }));
    const once = new OnceOptions(wrapper);
    const active: NonNullable<Layer4ProxyHealthChecks['active']> = {};
    const passive: NonNullable<Layer4ProxyHealthChecks['passive']> = {};
    const lb: Layer4ProxyLoadBalancing = {};
    let proxyProtocol: 'v1' | 'v2' | undefined;
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'health_interval':
        case 'health_timeout':
          once.mark(d, option);
          active[option === 'health_interval' ? 'interval' : 'timeout'] = durationArg(d, wrapper, option);
          break;
        case 'health_port':
          once.mark(d, option);
          active.port = intArg(d, wrapper, option, 32, true);
          break;
        case 'health_fall':
        case 'health_rise':
          once.mark(d, option);
          active[option === 'health_fall' ? 'fall' : 'rise'] = intArg(d, wrapper, option, 32, true);
          break;
        case 'close_if_unhealthy':
          once.mark(d, option);
          noArgs(d);
          active.close_if_unhealthy = true;
          break;
        case 'fail_duration':
          once.mark(d, option);
          passive.fail_duration = durationArg(d, wrapper, option);
          break;
        case 'max_fails':
        case 'unhealthy_connection_count':
          once.mark(d, option);
          passive[option] = intArg(d, wrapper, option, 32, true);
          break;
        case 'lb_policy': {
          once.mark(d, option);
          if (!d.nextArg()) throw d.argErr();
          const name = d.val();
          const policy = unmarshalModule(d, 'layer4-lb-policy', `layer4.proxy.selection_policies.${name}`);
          lb.selection = moduleOf<AdaptedLayer4SelectionPolicy>('policy', name, policy);
          break;
        }
        case 'lb_try_duration':
        case 'lb_try_interval':
          once.mark(d, option);
          lb[option === 'lb_try_duration' ? 'try_duration' : 'try_interval'] = durationArg(d, wrapper, option);
          break;
        case 'proxy_protocol': {
          once.mark(d, option);
          const v = singleArg(d);
          if (v !== 'v1' && v !== 'v2')
            throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${v}'`);
          proxyProtocol = v;
          break;
        }
        case 'upstream':
          upstreams.push(parseUpstream(d.newFromNextSegment()));
          break;
        default:
          throw d.argErr();
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    const hasActive = Object.keys(active).length > 0;
    const hasPassive = Object.keys(passive).length > 0;
    return struct<Layer4HandlerFields<'proxy'>>({
      upstreams,
      health_checks:
        hasActive || hasPassive
          ? struct<Layer4ProxyHealthChecks>({
              active: hasActive ? active : undefined,
              passive: hasPassive ? passive : undefined,
            })
          : undefined,
      load_balancing: Object.keys(lb).length > 0 ? lb : undefined,
      proxy_protocol: proxyProtocol,
    });
  },
);
