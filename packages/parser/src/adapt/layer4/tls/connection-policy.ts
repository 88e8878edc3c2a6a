/** @module layer4/tls/connection-policy: Caddy's `caddytls.ConnectionPolicy` from a `connection_policy { ... }` block. */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import type {
  AdaptedClientAuthentication,
  CertSelection,
  Layer4TlsConnectionPolicy,
  Layer4TlsMatcher,
} from '@proxy/contract';
import { struct } from '../../json.js';
import { parseClientAuth } from '../../tls/client-auth.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions, singleArg, someArgs } from '../syntax.js';
import { parseCertSelection } from './cert-selection.js';
import { parseHandshakeMatcherSet } from './handshake-matcher-set.js';

type Protocol = NonNullable<Layer4TlsConnectionPolicy['protocol_min']>;
const PROTOCOLS: readonly string[] = ['tls1.2', 'tls1.3'] satisfies Protocol[];
const isProtocol = (p: string): p is Protocol => PROTOCOLS.includes(p);

/**
 * A connection policy:
 *
 *     connection_policy {
 *         alpn <values...>             ciphers <suites...>         curves <curves...>
 *         cert_selection { ... }       client_auth { ... }         match { <handshake matchers> }
 *         default_sni <name>           fallback_sni <name>         protocols <min> [<max>]
 *         drop                         insecure_secrets_log <file>
 *     }
 *
 * -> Go struct order `match, certificate_selection, cipher_suites, curves, alpn, protocol_min,
 * protocol_max, drop, client_authentication, default_sni, fallback_sni, insecure_secrets_log`.
 */
export function parseConnectionPolicy(d: Dispenser): Layer4TlsConnectionPolicy {
  const wrapper = consumeName(d);
  noArgs(d);
  const once = new OnceOptions(wrapper);
  const lists: Record<string, string[]> = { alpn: [], ciphers: [], curves: [] };
  const single: Record<string, string> = {};
  let match: Layer4TlsMatcher | undefined;
  let certSelection: CertSelection | undefined;
  let clientAuth: AdaptedClientAuthentication | undefined;
  let drop = false;
  let protocolMin: Protocol | undefined;
  let protocolMax: Protocol | undefined;
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const option = d.val();
    switch (option) {
      case 'alpn':
      case 'ciphers':
      case 'curves':
        lists[option]!.push(...someArgs(d));
        break;
      case 'cert_selection':
        once.mark(d, option);
        certSelection = parseCertSelection(d.newFromNextSegment());
        break;
      case 'client_auth':
        once.mark(d, option);
        clientAuth = parseClientAuth(d.newFromNextSegment());
        break;
      case 'match':
        once.mark(d, option);
        match = parseHandshakeMatcherSet(d);
        break;
      case 'default_sni':
      case 'fallback_sni':
      case 'insecure_secrets_log':
        once.mark(d, option);
        single[option] = singleArg(d);
        break;
      case 'drop':
        once.mark(d, option);
        noArgs(d);
        drop = true;
        break;
      case 'protocols': {
        once.mark(d, option);
        const args = d.remainingArgs();
        if (args.length === 0 || args.length > 2) throw d.argErr();
        for (const p of args) if (!isProtocol(p)) throw d.err(`wrong protocol name or protocol not supported: '${p}'`);
        [protocolMin, protocolMax] = args as Protocol[];
        break;
      }
      default:
        throw d.argErr();
    }
    noNestedBlock(d, nesting, wrapper, option);
  }
  return struct<Layer4TlsConnectionPolicy>({
    match,
    certificate_selection: certSelection,
    cipher_suites: lists['ciphers'],
    curves: lists['curves'],
    alpn: lists['alpn'],
    protocol_min: protocolMin,
    protocol_max: protocolMax,
    drop,
    client_authentication: clientAuth,
    default_sni: single['default_sni'],
    fallback_sni: single['fallback_sni'],
    insecure_secrets_log: single['insecure_secrets_log'],
  });
}
