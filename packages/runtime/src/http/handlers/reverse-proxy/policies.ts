/** @module http/handlers/reverse-proxy/policies: selection policy modules (`http.reverse_proxy.selection_policies.*`), schemas only. */
import type { ModuleInfo } from '../../../modules.js';
import { s, type Schema } from '../../../schema.js';

const NS = 'http.reverse_proxy.selection_policies';
const fallback = s.mod(NS, 'policy');

const schemas: Record<string, Schema> = {
  random: s.obj({}), least_conn: s.obj({}), round_robin: s.obj({}), first: s.obj({}), ip_hash: s.obj({}),
  client_ip_hash: s.obj({}), uri_hash: s.obj({}),
  random_choose: s.obj({ choose: s.int }),
  weighted_round_robin: s.obj({ weights: s.arr(s.int) }),
  query: s.obj({ key: s.str, fallback }),
  header: s.obj({ field: s.str, fallback }),
  cookie: s.obj({ name: s.str, secret: s.str, max_age: s.dur, fallback }),
};

/** Schema-only modules: the policies are compiled by compileSelection. */
export const selectionPolicyModules: ModuleInfo[] = Object.entries(schemas).map(([name, schema]) => ({ id: `${NS}.${name}`, schema }));
