/** @module layer4/proxy/upstream: one proxy upstream (`upstream [<addresses...>] { ... }`), its peers and its TLS. */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import { moduleObject, struct, type JsonObject } from '../../json.js';
import { unmarshalModule } from '../../tls/modules.js';
import { consumeName, durationArg, intArg, noArgs, noNestedBlock, OnceOptions, singleArg, someArgs } from '../syntax.js';

const RESOLVER_PREFERENCES = ['ipv4_only', 'ipv6_only', 'ipv4_first', 'ipv6_first'];
const RENEGOTIATION = ['never', 'once', 'freely'];

/**
 * An upstream: same-line addresses and `dial` addresses are its peers (all dialed per connection). Options:
 *
 *     dial <addresses...>   local_addr <addresses...>   resolver_preference <ipv4_only|ipv6_only|ipv4_first|ipv6_first>
 *     max_connections <n>   weight <n>
 *     tls   tls_client_auth <automate_name> | <cert> <key>   tls_curves <c...>   tls_except_ports <p...>
 *     tls_insecure_skip_verify   tls_renegotiation <never|once|freely>   tls_server_name <name>
 *     tls_timeout <duration>     tls_trust_pool <module> [...]
 */
export function parseUpstream(d: Dispenser): JsonObject {
  const wrapper = consumeName(d);
  const dial = d.remainingArgs();
  const once = new OnceOptions(wrapper);
  const localAddress: string[] = [];
  let resolverPreference: string | undefined;
  let maxConnections: number | undefined;
  let weight: number | undefined;
  let tls: JsonObject | undefined;
  const useTLS = (): JsonObject => (tls ??= {});
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const option = d.val();
    switch (option) {
      case 'dial':
        dial.push(...someArgs(d));
        break;
      case 'local_addr':
        localAddress.push(...someArgs(d));
        break;
      case 'resolver_preference':
        once.mark(d, option);
        resolverPreference = singleArg(d);
        if (!RESOLVER_PREFERENCES.includes(resolverPreference)) {
          throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${resolverPreference}'`);
        }
        break;
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
        if (args.length === 1) useTLS()['client_certificate_automate'] = args[0];
        else if (args.length === 2) Object.assign(useTLS(), { client_certificate_file: args[0], client_certificate_key_file: args[1] });
        else throw d.argErr();
        break;
      }
      case 'tls_curves':
        useTLS()['curves'] = [...((tls?.['curves'] as string[] | undefined) ?? []), ...someArgs(d)];
        break;
      case 'tls_except_ports':
        useTLS()['except_ports'] = [...((tls?.['except_ports'] as string[] | undefined) ?? []), ...someArgs(d)];
        break;
      case 'tls_insecure_skip_verify':
        once.mark(d, option);
        noArgs(d);
        useTLS()['insecure_skip_verify'] = true;
        break;
      case 'tls_renegotiation': {
        once.mark(d, option);
        const v = singleArg(d);
        if (!RENEGOTIATION.includes(v)) throw d.err(`malformed ${wrapper} option '${option}': unrecognized value '${v}'`);
        useTLS()['renegotiation'] = v;
        break;
      }
      case 'tls_server_name':
        once.mark(d, option);
        useTLS()['server_name'] = singleArg(d);
        break;
      case 'tls_timeout':
        once.mark(d, option);
        useTLS()['handshake_timeout'] = durationArg(d, wrapper, option);
        break;
      case 'tls_trust_pool': {
        once.mark(d, option);
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        useTLS()['ca'] = moduleObject('provider', name, unmarshalModule(d, `tls.ca_pool.source.${name}`));
        break;
      }
      default:
        throw d.argErr();
    }
    noNestedBlock(d, nesting, wrapper, option);
  }
  if (dial.length === 0) throw d.err(`malformed ${wrapper}: no dial address`);
  return struct({
    dial,
    local_address: localAddress,
    resolver_preference: resolverPreference,
    tls,
    max_connections: maxConnections,
    weight,
  }, tls ? ['tls'] : []);
}
