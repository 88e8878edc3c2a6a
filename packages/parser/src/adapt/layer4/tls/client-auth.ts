/** @module layer4/tls/client-auth: Caddy's `caddytls.ClientAuthentication` from a `client_auth { ... }` block (mTLS). */
import type { Dispenser } from '../../../caddyfile/dispenser.js';
import { moduleObject, struct, type JsonObject } from '../../json.js';
import { unmarshalModule } from '../registry.js';
import { pemFileToDER } from './pem.js';

const MODES = ['request', 'require', 'verify_if_given', 'require_and_verify'];
const BOTH_POOLS = "cannot specify both 'trust_pool' and 'trusted_ca_cert' or 'trusted_ca_cert_file'";

/**
 * `client_auth { mode <m>; trust_pool <module> [...]; trusted_leaf_cert <b64>; trusted_leaf_cert_file <f>;
 * verifier <module> [...]; trusted_ca_cert <b64>; trusted_ca_cert_file <f> }`. The deprecated CA options
 * become an `inline` trust pool, as Caddy does. Go struct order `ca, trusted_ca_certs,
 * trusted_ca_certs_pem_files, trusted_leaf_certs, verifiers, mode`.
 */
export function parseClientAuth(d: Dispenser): JsonObject {
  d.next();
  while (d.nextArg()) {
    // Caddy ignores same-line tokens here.
  }
  let ca: JsonObject | undefined;
  let mode: string | undefined;
  const caCerts: string[] = [];
  const leafCerts: string[] = [];
  const verifiers: JsonObject[] = [];
  for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
    const sub = d.val();
    switch (sub) {
      case 'mode': {
        const args = d.remainingArgs();
        if (args.length !== 1) throw d.argErr();
        if (!MODES.includes(args[0]!)) throw d.err(`client auth mode not recognized: ${args[0]}`);
        mode = args[0];
        break;
      }
      case 'trusted_ca_cert':
      case 'trusted_ca_cert_file':
        if (ca) throw d.err(BOTH_POOLS);
        if (!d.nextArg()) throw d.argErr();
        caCerts.push(...(sub === 'trusted_ca_cert' ? [d.val()] : derOrErr(d, d.val())));
        break;
      case 'trusted_leaf_cert':
      case 'trusted_leaf_cert_file':
        if (!d.nextArg()) throw d.argErr();
        leafCerts.push(...(sub === 'trusted_leaf_cert' ? [d.val()] : derOrErr(d, d.val())));
        break;
      case 'trust_pool': {
        if (caCerts.length > 0) throw d.err(BOTH_POOLS);
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        ca = moduleObject('provider', name, unmarshalModule(d, `tls.ca_pool.source.${name}`) as JsonObject);
        break;
      }
      case 'verifier': {
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        verifiers.push(moduleObject('verifier', name, unmarshalModule(d, `tls.client_auth.verifier.${name}`) as JsonObject));
        break;
      }
      default:
        throw d.err(`unknown subdirective for client_auth: ${sub}`);
    }
  }
  if (caCerts.length > 0 && !ca) ca = moduleObject('provider', 'inline', { trusted_ca_certs: caCerts });
  return struct({ ca, trusted_leaf_certs: leafCerts, verifiers, mode });
}

function derOrErr(d: Dispenser, file: string): string[] {
  const der = pemFileToDER(file);
  if (typeof der === 'string') throw d.err(der);
  return der;
}
