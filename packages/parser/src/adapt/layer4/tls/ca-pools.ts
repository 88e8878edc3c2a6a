/**
 * @module layer4/tls/ca-pools: Caddy's trust pool sources (`tls.ca_pool.source.*`: inline, file, pki_root,
 * pki_intermediate, storage, http, combined), used by `tls_trust_pool` and `client_auth { trust_pool }`.
 */
import { moduleObject, struct, type JsonObject } from '../../json.js';
import { unmarshalModule, type ModuleDefinition } from '../registry.js';

/** `inline { trust_der <base64...> }` -> `{"trusted_ca_certs": [...]}`. */
export const InlineCAPool: ModuleDefinition = {
  id: 'tls.ca_pool.source.inline',
  parse: (d) => {
    d.next();
    const certs: string[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== 'trust_der') throw d.err(`unrecognized directive: ${d.val()}`);
      certs.push(...d.remainingArgs());
    }
    if (certs.length === 0) throw d.err('no certificates specified');
    return struct({ trusted_ca_certs: certs });
  },
};

/** `file [<pem_files...>] { pem_file <files...> }` -> `{"pem_files": [...]}`. */
export const FileCAPool: ModuleDefinition = {
  id: 'tls.ca_pool.source.file',
  parse: (d) => {
    d.next();
    const files = d.remainingArgs();
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== 'pem_file') throw d.err(`unrecognized directive: ${d.val()}`);
      files.push(...d.remainingArgs());
    }
    if (files.length === 0) throw d.err('no certificates specified');
    return struct({ pem_files: files });
  },
};

/** `pki_root|pki_intermediate [<ca_ids...>] { authority <ca_ids...> }` -> `{"authority": [...]}`. */
function pkiPool(kind: string): ModuleDefinition {
  return {
    id: `tls.ca_pool.source.${kind}`,
    parse: (d) => {
      d.next();
      const authority = d.remainingArgs();
      for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
        if (d.val() !== 'authority') throw d.err(`unrecognized directive: ${d.val()}`);
        authority.push(...d.remainingArgs());
      }
      return struct({ authority });
    },
  };
}

export const PKIRootCAPool = pkiPool('pki_root');
export const PKIIntermediateCAPool = pkiPool('pki_intermediate');

/** `storage [<pem_keys...>] { storage <module>; keys <pem_keys...> }` -> `{"pem_keys": [...]}`. */
export const StoragePool: ModuleDefinition = {
  id: 'tls.ca_pool.source.storage',
  parse: (d) => {
    d.next();
    const keys = d.remainingArgs();
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== 'keys') throw d.err(`unrecognized directive: ${d.val()}`);
      keys.push(...d.remainingArgs());
    }
    if (keys.length === 0) throw d.err('no keys specified');
    return struct({ pem_keys: keys });
  },
};

/** `http [<endpoints...>] { endpoints <urls...> }` -> `{"endpoints": [...]}`. */
export const HTTPCertPool: ModuleDefinition = {
  id: 'tls.ca_pool.source.http',
  parse: (d) => {
    d.next();
    const endpoints = d.remainingArgs();
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== 'endpoints') throw d.err(`unrecognized directive: ${d.val()}`);
      endpoints.push(...d.remainingArgs());
    }
    if (endpoints.length === 0) throw d.err('no endpoints specified');
    return struct({ endpoints });
  },
};

/** `combined { source <module> [...] ... }` -> `{"sources": [{"provider": "<module>", ...}]}`. */
export const CombinedCAPool: ModuleDefinition = {
  id: 'tls.ca_pool.source.combined',
  parse: (d) => {
    d.next();
    const sources: JsonObject[] = [];
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      if (d.val() !== 'source') throw d.err(`unrecognized directive: ${d.val()}`);
      if (!d.nextArg()) throw d.argErr();
      const name = d.val();
      sources.push(moduleObject('provider', name, unmarshalModule(d, `tls.ca_pool.source.${name}`) as JsonObject));
    }
    return struct({ sources });
  },
};
