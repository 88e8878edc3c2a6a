/**
 * @module tls/client-auth: `client_auth { mode; trust_pool <source> ...; trusted_leaf_cert ...; verifier ... }`
 * (Caddy's `ClientAuthentication.UnmarshalCaddyfile`) and the CA pool sources and verifiers it loads.
 */
import { readFileSync } from 'node:fs';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, struct, type JsonObject } from '../json.js';
import type { ModuleOfKind } from '../module.js';
import { unmarshalModule } from './modules.js';

/** PEM file(s) → base64 DER strings (Caddy's `convertPEMFilesToDER`). */
function pemFileToDER(d: Dispenser, filename: string): string[] {
  let text: string;
  try {
    text = readFileSync(filename, 'utf8');
  } catch (e) {
    throw d.err(`open ${filename}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  const out: string[] = [];
  for (const m of text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) out.push(m[1]!.replace(/\s+/g, ''));
  if (out.length === 0) throw d.err(`no CERTIFICATE pem block found in ${filename}`);
  return out;
}

/** Parses `client_auth` (the dispenser is over its segment). */
export function parseClientAuth(d: Dispenser): JsonObject {
  d.next();
  let mode = '';
  let ca: JsonObject | undefined;
  const trustedCA: string[] = [];
  const leaf: string[] = [];
  const verifiers: JsonObject[] = [];
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
        if (trustedCA.length > 0) throw d.err("cannot specify both 'trust_pool' and 'trusted_ca_cert' or 'trusted_ca_cert_file'");
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        ca = moduleObject('provider', name, unmarshalModule(d, `tls.ca_pool.source.${name}`));
        break;
      }
      case 'verifier': {
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        verifiers.push(moduleObject('verifier', name, unmarshalModule(d, `tls.client_auth.verifier.${name}`)));
        break;
      }
      default:
        throw d.err(`unknown subdirective for client_auth: ${sub}`);
    }
  }
  if (trustedCA.length > 0) ca = moduleObject('provider', 'inline', { trusted_ca_certs: trustedCA });
  return struct({ ca, trusted_leaf_certs: leaf, verifiers, mode });
}

function listSource(field: string, sub: string) {
  return (d: Dispenser): JsonObject => {
    d.next();
    const items = [...d.remainingArgs()];
    for (const n = d.nesting(); d.nextBlock(n); ) {
      if (d.val() !== sub) throw d.err(`unrecognized directive: ${d.val()}`);
      items.push(...d.remainingArgs());
    }
    if (items.length === 0) throw d.err('no certificates specified');
    return { [field]: items };
  };
}

function pkiSource(d: Dispenser): JsonObject {
  d.next();
  const authority = [...d.remainingArgs()];
  for (const n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() !== 'authority') throw d.err(`unrecognized directive: ${d.val()}`);
    authority.push(...d.remainingArgs());
  }
  return authority.length > 0 ? { authority } : {};
}

function combinedSource(d: Dispenser): JsonObject {
  d.next();
  const sources: JsonObject[] = [];
  for (const n = d.nesting(); d.nextBlock(n); ) {
    if (d.val() !== 'source') throw d.err(`unrecognized directive: ${d.val()}`);
    if (!d.nextArg()) throw d.argErr();
    const name = d.val();
    sources.push(moduleObject('provider', name, unmarshalModule(d, `tls.ca_pool.source.${name}`)));
  }
  return { sources };
}

function systemSource(d: Dispenser): JsonObject {
  d.next();
  if (d.nextArg()) throw d.argErr();
  return {};
}

/** `leaf { file paths...; folder paths... }`: one loader per line. */
function leafVerifier(d: Dispenser): JsonObject {
  d.next();
  const loaders: JsonObject[] = [];
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
function dummyVerifier(d: Dispenser): JsonObject {
  d.next();
  return {};
}

export const InlinePool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'inline',
  syntax: 'inline { trust_der <base64_der...> }',
  doc: 'Trusts CA certificates given inline as base64 DER.',
  subdirectives: [
    { name: 'trust_der', syntax: 'trust_der <base64_der...>', doc: 'CA certificates in base64 DER.' },
  ],
  parse: listSource('trusted_ca_certs', 'trust_der'),
};

export const FilePool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'file',
  syntax: 'file [<pem_files...>] { pem_file <pem_files...> }',
  doc: 'Trusts CA certificates from PEM files.',
  subdirectives: [
    { name: 'pem_file', syntax: 'pem_file <pem_files...>', doc: 'PEM files of CA certificates.' },
  ],
  parse: listSource('pem_files', 'pem_file'),
};

export const PKIRootPool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'pki_root',
  syntax: 'pki_root [<ca_ids...>] { authority <ca_ids...> }',
  doc: 'Trusts the root certificates of pki app CAs.',
  subdirectives: [
    { name: 'authority', syntax: 'authority <ca_ids...>', doc: 'The pki CAs whose roots are trusted.' },
  ],
  parse: pkiSource,
};

export const PKIIntermediatePool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'pki_intermediate',
  syntax: 'pki_intermediate [<ca_ids...>] { authority <ca_ids...> }',
  doc: 'Trusts the intermediate certificates of pki app CAs.',
  subdirectives: [
    { name: 'authority', syntax: 'authority <ca_ids...>', doc: 'The pki CAs whose intermediates are trusted.' },
  ],
  parse: pkiSource,
};

export const CombinedPool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'combined',
  syntax: 'combined { source <pool> [...] ... }',
  doc: 'Trusts the union of several trust pools.',
  subdirectives: [
    { name: 'source', syntax: 'source <pool> [...]', doc: 'A trust pool module (repeatable).' },
  ],
  parse: combinedSource,
};

export const SystemPool: ModuleOfKind<'tls-ca-pool-source'> = {
  kind: 'tls-ca-pool-source',
  name: 'system',
  syntax: 'system',
  doc: 'Trusts the system\'s root certificates.',
  parse: systemSource,
};

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
  doc: 'Caddy\'s test-only verifier, which accepts every certificate.',
  parse: dummyVerifier,
};
