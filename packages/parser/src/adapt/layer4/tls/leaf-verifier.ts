/**
 * @module layer4/tls/leaf-verifier: Caddy's `tls.client_auth.verifier.leaf` (trusts exactly the listed client
 * certificates) and its certificate loaders `tls.leaf_cert_loader.{file,folder,pem}`.
 */
import { moduleObject, type JsonObject } from '../../json.js';
import { unmarshalModule, type ModuleDefinition } from '../registry.js';

/**
 * `leaf <loader> <args...>` or `leaf { <loader> <args...> ... }` -> `{"leaf_certs_loaders": [{"loader":
 * "<name>", ...}]}`.
 */
export const LeafCertClientAuth: ModuleDefinition = {
  id: 'tls.client_auth.verifier.leaf',
  parse: (d) => {
    d.nextArg();
    const loaders: JsonObject[] = [];
    const load = (): void => {
      const name = d.val();
      loaders.push(moduleObject('loader', name, unmarshalModule(d, `tls.leaf_cert_loader.${name}`) as JsonObject));
    };
    if (d.countRemainingArgs() > 1) {
      d.nextArg();
      load();
    } else {
      for (const nesting = d.nesting(); d.nextBlock(nesting); ) load();
    }
    return loaders.length > 0 ? { leaf_certs_loaders: loaders } : {};
  },
};

/** A loader listing its values on one line: `<name> <values...>` -> `{"<key>": [...]}` (no omitempty). */
function listLoader(name: string, key: string): ModuleDefinition {
  return {
    id: `tls.leaf_cert_loader.${name}`,
    parse: (d) => {
      d.next();
      return { [key]: d.remainingArgs() };
    },
  };
}

export const FileLoader = listLoader('file', 'files');
export const FolderLoader = listLoader('folder', 'folders');
export const PEMLoader = listLoader('pem', 'certificates');
