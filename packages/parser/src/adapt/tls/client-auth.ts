/**
 * @module tls/client-auth: `client_auth { mode; trust_pool <source> ...; trusted_leaf_cert ...; verifier ... }`
 * (Caddy's `ClientAuthentication.UnmarshalCaddyfile`) and the CA pool sources and verifiers it loads.
 */
import { readFileSync } from 'node:fs';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, struct, type JsonObject } from '../json.js';
import { registerModule, unmarshalModule } from './modules.js';

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

registerModule('tls.ca_pool.source.inline', listSource('trusted_ca_certs', 'trust_der'));
registerModule('tls.ca_pool.source.file', listSource('pem_files', 'pem_file'));
registerModule('tls.ca_pool.source.pki_root', pkiSource);
registerModule('tls.ca_pool.source.pki_intermediate', pkiSource);
registerModule('tls.ca_pool.source.combined', combinedSource);
registerModule('tls.ca_pool.source.system', systemSource);
registerModule('tls.client_auth.verifier.leaf', leafVerifier);
registerModule('tls.client_auth.verifier.dummy', dummyVerifier);
