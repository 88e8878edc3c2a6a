/** @module layer4/proxy/upstream: one proxy upstream (`upstream [<addresses...>] { ... }`), its peers and its TLS. */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import type { AdaptedCaPool, Layer4ProxyUpstream, Layer4ProxyUpstreamTls } from '@proxy/contract';
import { struct } from '../../json.js';
import { moduleOf } from '../../tls/fields.js';
import { unmarshalTyped } from '../../tls/modules.js';
import {
  consumeName,
  durationArg,
  intArg,
  noArgs,
  noNestedBlock,
  OnceOptions,
  singleArg,
  someArgs,
} from '../syntax.js';

type ResolverPreference = NonNullable<Layer4ProxyUpstream['resolver_preference']>;
type Renegotiation = NonNullable<Layer4ProxyUpstreamTls['renegotiation']>;
const RESOLVER_PREFERENCES: readonly string[] = [
  'ipv4_only',
  'ipv6_only',
  'ipv4_first',
  'ipv6_first',
] satisfies ResolverPreference[];
const RENEGOTIATION: readonly string[] = ['never', 'once', 'freely'] satisfies Renegotiation[];

/**
 * An upstream: same-line addresses and `dial` addresses are its peers (all dialed per connection). Options:
 *
 *     dial <addresses...>   local_addr <addresses...>   resolver_preference <ipv4_only|ipv6_only|ipv4_first|ipv6_first>
 *     max_connections <n>   weight <n>
 *     tls   tls_client_auth <automate_name> | <cert> <key>   tls_curves <c...>   tls_except_ports <p...>
 *     tls_insecure_skip_verify   tls_renegotiation <never|once|freely>   tls_server_name <name>
 *     tls_timeout <duration>     tls_trust_pool <module> [...]
 */
export function parseUpstream(d: Dispenser): Layer4ProxyUpstream {
  const wrapper = consumeName(d);
  const dial = d.remainingArgs();
  const once = new OnceOptions(wrapper);
  const localAddress: string[] = [];
  let resolverPreference: ResolverPreference | undefined;
  let maxConnections: number | undefined;
  let weight: number | undefined;
  let tls: Layer4ProxyUpstreamTls | undefined;
  const useTLS = (): Layer4ProxyUpstreamTls => (tls ??= {});
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const option = d.val();
    switch (option) {
      case 'dial':
        dial.push(...someArgs(d));
        break;
      case 'local_addr':
        localAddress.push(...someArgs(d));
        break;
      case 'resolver_preference': {
        once.mark(d, option);
        const v = singleArg(d);
        if (!RESOLVER_PREFERENCES.includes(v)) {
          throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${v}'`);
        }
        resolverPreference = v as ResolverPreference;
        break;
      }
      case 'max_connections':
        once.mark(d, option);
        maxConnections = intArg(d, wrapper, option, 64, true);
        break;
      case 'weight':
        once.mark(d, option);
        weight = intArg(d, wrapper, option, 64, true);
        break;
      case 'tls':
        once.mark(d, option);
        noArgs(d);
        useTLS();
        break;
      case 'tls_client_auth': {
        once.mark(d, option);
        const args = d.remainingArgs();
        if (args.length === 1) useTLS().client_certificate_automate = args[0];
        else if (args.length === 2)
          Object.assign(useTLS(), { client_certificate_file: args[0], client_certificate_key_file: args[1] });
        else throw d.argErr();
        break;
      }
      case 'tls_curves':
        useTLS().curves = [...(tls?.curves ?? []), ...someArgs(d)];
        break;
      case 'tls_except_ports':
        useTLS().except_ports = [...(tls?.except_ports ?? []), ...someArgs(d)];
        break;
      case 'tls_insecure_skip_verify':
        once.mark(d, option);
        noArgs(d);
        useTLS().insecure_skip_verify = true;
        break;
      case 'tls_renegotiation': {
        once.mark(d, option);
        const v = singleArg(d);
        if (!RENEGOTIATION.includes(v))
          throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${v}'`);
        useTLS().renegotiation = v as Renegotiation;
        break;
      }
      case 'tls_server_name':
        once.mark(d, option);
        useTLS().server_name = singleArg(d);
        break;
      case 'tls_timeout':
        once.mark(d, option);
        useTLS().handshake_timeout = durationArg(d, wrapper, option);
        break;
      case 'tls_trust_pool': {
        once.mark(d, option);
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        useTLS().ca = moduleOf<AdaptedCaPool>(
          'provider',
          name,
          unmarshalTyped(d, 'tls-ca-pool-source', `tls.ca_pool.source.${name}`),
        );
        break;
      }
      default:
        throw d.argErr();
    }
    noNestedBlock(d, nesting, wrapper, option);
  }
  if (dial.length === 0) throw d.err(`malformed ${wrapper}: no dial address`);
  return struct<Layer4ProxyUpstream>(
    {
      dial,
      local_address: localAddress,
      resolver_preference: resolverPreference,
      tls,
      max_connections: maxConnections,
      weight,
    },
    tls ? ['tls'] : [],
  );
}
