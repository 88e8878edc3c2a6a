/**
 * @module tls/client-auth: `client_auth { mode; trust_pool <source> ...; trusted_leaf_cert ...; verifier ... }`
 * (Caddy's `ClientAuthentication.UnmarshalCaddyfile`) and the leaf verifiers it loads (the CA pool sources are in
 * directives/trust-pool).
 */
import { readConfigFile } from '../../caddyfile/file-system.js';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type {
  AdaptedCaPool,
  AdaptedClientAuthentication,
  AdaptedLeafVerifier,
  LeafCertLoader,
  OwnFields,
} from '@proxy/contract';
import { struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';
import { moduleOf } from './fields.js';
import { unmarshalTyped } from './modules.js';

/** PEM file(s) → base64 DER strings (Caddy's `convertPEMFilesToDER`). */
function pemFileToDER(d: Dispenser, filename: string): string[] {
  let text: string;
  try {
    text = readConfigFile(filename);
  } catch (e) {
    throw d.err(
      `open ${filename}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`,
    );
  }
  const out: string[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g))
    out.push(m[1]!.replace(/\s+/g, ''));
  if (out.length === 0) throw d.err(`no CERTIFICATE pem block found in ${filename}`);
  return out;
}

/** Parses `client_auth` (the dispenser is over its segment). */
export function parseClientAuth(d: Dispenser): AdaptedClientAuthentication {
  d.next();
  let mode = '';
  let ca: AdaptedCaPool | undefined;
  const trustedCA: string[] = [];
  const leaf: string[] = [];
  const verifiers: AdaptedLeafVerifier[] = [];
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const sub = d.val();
    switch (sub) {
      case 'mode': {
        if (d.countRemainingArgs() > 1) throw d.argErr();
        const a = d.args(1);
        if (!a) throw d.argErr();
        mode = a[0]!;
        break;
      }
      case 'trusted_ca_cert':
        if (ca) throw d.err("cannot specify both 'trust_pool' and 'trusted_ca_cert' or 'trusted_ca_cert_file'");
        if (!d.nextArg()) throw d.argErr();
        trustedCA.push(d.val());
        break;
      case 'trusted_leaf_cert':
        if (!d.nextArg()) throw d.argErr();
        leaf.push(d.val());
        break;
      case 'trusted_ca_cert_file':
        if (ca) throw d.err("cannot specify both 'trust_pool' and 'trusted_ca_cert' or 'trusted_ca_cert_file'");
        if (!d.nextArg()) throw d.argErr();
        trustedCA.push(...pemFileToDER(d, d.val()));
        break;
      case 'trusted_leaf_cert_file':
        if (!d.nextArg()) throw d.argErr();
        leaf.push(...pemFileToDER(d, d.val()));
        break;
      case 'trust_pool': {
        if (trustedCA.length > 0)
          throw d.err("cannot specify both 'trust_pool' and 'trusted_ca_cert' or 'trusted_ca_cert_file'");
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        ca = moduleOf<AdaptedCaPool>(
          'provider',
          name,
          unmarshalTyped(d, 'tls-ca-pool-source', `tls.ca_pool.source.${name}`),
        );
        break;
      }
      case 'verifier': {
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        verifiers.push(
          moduleOf<AdaptedLeafVerifier>(
            'verifier',
            name,
            unmarshalTyped(d, 'tls-leaf-verifier', `tls.client_auth.verifier.${name}`),
          ),
        );
        break;
      }
      default:
        throw d.err(`unknown subdirective for client_auth: ${sub}`);
    }
  }
  if (trustedCA.length > 0) ca = moduleOf<AdaptedCaPool>('provider', 'inline', { trusted_ca_certs: trustedCA });
  return struct<AdaptedClientAuthentication>({ ca, trusted_leaf_certs: leaf, verifiers, mode });
}

/** `leaf { file paths...; folder paths... }`: one loader per line. */
function leafVerifier(d: Dispenser): OwnFields<AdaptedLeafVerifier, 'verifier'> {
  d.next();
  const loaders: LeafCertLoader[] = [];
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const kind = d.val();
    const items = d.remainingArgs();
    if (items.length === 0) throw d.argErr();
    if (kind === 'file') loaders.push({ files: items, loader: 'file' });
    else if (kind === 'folder') loaders.push({ folders: items, loader: 'folder' });
    else throw d.err(`unknown leaf certificates loader: ${kind}`);
  }
  return loaders.length > 0 ? { leaf_certs_loaders: loaders } : {};
}

/** `dummy`: Caddy's test-only verifier; takes no tokens. */
function dummyVerifier(d: Dispenser): OwnFields<Extract<AdaptedLeafVerifier, { verifier: 'dummy' }>, 'verifier'> {
  d.next();
  return {};
}

export const LeafVerifier: ModuleOfKind<'tls-leaf-verifier'> = {
  kind: 'tls-leaf-verifier',
  name: 'leaf',
  syntax: 'leaf <loader> <args...> | leaf { file|folder|pem <args...> ... }',
  doc: 'Accepts client certificates found by leaf certificate loaders.',
  subdirectives: [
    { name: 'file', syntax: 'file <pem_paths...>', doc: 'Leaf certificates from PEM files.' },
    { name: 'folder', syntax: 'folder <dirs...>', doc: 'Leaf certificates from folders.' },
    { name: 'pem', syntax: 'pem <pem_text...>', doc: 'Leaf certificates given inline.' },
  ],
  parse: leafVerifier,
};

export const DummyVerifier: ModuleOfKind<'tls-leaf-verifier'> = {
  kind: 'tls-leaf-verifier',
  name: 'dummy',
  syntax: 'dummy',
  doc: "Caddy's test-only verifier, which accepts every certificate.",
  parse: dummyVerifier,
};
