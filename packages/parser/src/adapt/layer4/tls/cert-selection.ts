/** @module layer4/tls/cert-selection: Caddy's `CustomCertSelectionPolicy` (a connection policy's `cert_selection`). */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import type { CertSelection } from '@proxy/contract';
import { struct } from '../../json.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions, singleArg, someArgs } from '../syntax.js';

/**
 * Go's `x509.PublicKeyAlgorithm` values: Caddy's wrapper type only unmarshals names, so the JSON holds the
 * number.
 */
const PUBLIC_KEY_ALGORITHMS: Record<string, number> = { rsa: 1, dsa: 2, ecdsa: 3, ed25519: 4 };

/**
 * `cert_selection { all_tags <v...>; any_tag <v...>; public_key_algorithm <rsa|dsa|ecdsa|ed25519>;
 * serial_number <big ints...>; subject_organization <v...> }` -> Go struct order
 * `serial_number, subject_organization, public_key_algorithm, any_tag, all_tags`; serial numbers are
 * written as decimal strings (Go's big.Int), the key algorithm as Go's enum number.
 */
export function parseCertSelection(d: Dispenser): CertSelection {
  const wrapper = consumeName(d);
  noArgs(d);
  const once = new OnceOptions(wrapper);
  const lists: Record<string, string[]> = { all_tags: [], any_tag: [], serial_number: [], subject_organization: [] };
  let algorithm: number | undefined;
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const option = d.val();
    switch (option) {
      case 'all_tags':
      case 'any_tag':
      case 'subject_organization':
        lists[option]!.push(...someArgs(d));
        break;
      case 'serial_number':
        for (const v of someArgs(d)) {
          if (!/^[+-]?\d+$/.test(v)) throw d.err(`parsing ${wrapper} option '${option}': invalid big.int value ${v}`);
          lists[option]!.push(BigInt(v).toString());
        }
        break;
      case 'public_key_algorithm': {
        once.mark(d, option);
        const v = singleArg(d).toLowerCase();
        algorithm = PUBLIC_KEY_ALGORITHMS[v];
        if (algorithm === undefined) {
          throw d.err(
            `parsing ${wrapper} option '${option}': unrecognized public key algorithm: ${v} (expected one of rsa, dsa, ecdsa, ed25519)`,
          );
        }
        break;
      }
      default:
        throw d.argErr();
    }
    noNestedBlock(d, nesting, wrapper, option);
  }
  return struct<CertSelection>({
    serial_number: lists['serial_number'],
    subject_organization: lists['subject_organization'],
    public_key_algorithm: algorithm,
    any_tag: lists['any_tag'],
    all_tags: lists['all_tags'],
  });
}
