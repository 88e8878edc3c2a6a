/**
 * @module options/admin-config: `admin { config { persist; load <module> ...; load_delay } }`, proxy's own
 * Caddyfile for Caddy's `admin.config` (`caddy.ConfigSettings`). Caddy's Caddyfile has no `config` block in
 * `admin` (master neither): its JSON does, and a fleet loads its config with it, so proxy spells it out. The only
 * loader is `postgres`, whose block takes the fields of `storage postgres` plus `instance_id`.
 */
import { type AdminConfigSettings, caddyParseDuration, type PostgresConfigLoader } from '@proxy/contract';
import type { Dispenser } from '../../caddyfile/dispenser.js';
import { moduleObject, struct } from '../json.js';
import type { Subdirective } from '../module.js';
import { parsePostgresFields, POSTGRES_FIELDS } from '../tls/postgres-storage.js';

/** The `caddy.config_loaders` modules a Caddyfile can name after `load`. */
const LOADERS: Record<string, (d: Dispenser) => AdminConfigSettings['load']> = {
  // The spread gives the loader's type the index signature of `load`'s.
  postgres: (d) => ({
    ...moduleObject<PostgresConfigLoader>('module', 'postgres', parsePostgresFields(d, 'config loader')),
  }),
};

const POSTGRES_LOADER_FIELDS: readonly Subdirective[] = [
  ...POSTGRES_FIELDS,
  {
    name: 'instance_id',
    syntax: 'instance_id <name>',
    doc: "This instance's name in the fleet's status table (default: the instance ID in the data folder).",
  },
];

/** The subdirectives of the `config` block (for completion and hover). */
export const ADMIN_CONFIG_FIELDS: readonly Subdirective[] = [
  { name: 'persist', syntax: 'persist off|on', doc: 'Whether the active config is saved to disk (default on).' },
  {
    name: 'load',
    syntax: 'load postgres [<connection_string>] { ... }',
    doc: "Loads the config dynamically: postgres follows the fleet's active config (`proxy config push`).",
    block: POSTGRES_LOADER_FIELDS,
  },
  { name: 'load_delay', syntax: 'load_delay <duration>', doc: 'Delay before the loader runs again.' },
];

/** `config { ... }`, from its `config` token. */
export function parseAdminConfig(d: Dispenser): AdminConfigSettings {
  if (d.nextArg()) throw d.argErr();
  const out: AdminConfigSettings = {};
  for (const n = d.nesting(); d.nextBlock(n); ) {
    const key = d.val();
    switch (key) {
      case 'persist': {
        if (out.persist !== undefined) throw d.err('persist already set');
        if (!d.nextArg()) throw d.argErr();
        const v = d.val();
        if (v !== 'on' && v !== 'off') throw d.err(`persist: expected on or off, got '${v}'`);
        if (d.nextArg()) throw d.argErr();
        out.persist = v === 'on';
        break;
      }
      case 'load': {
        if (out.load !== undefined) throw d.err('load already set');
        if (!d.nextArg()) throw d.argErr();
        const name = d.val();
        const loader = LOADERS[name];
        if (!loader)
          throw d.err(
            `getting module named 'caddy.config_loaders.${name}': module not registered: caddy.config_loaders.${name} (known: ${Object.keys(LOADERS).join(', ')})`,
          );
        out.load = loader(d.newFromNextSegment());
        break;
      }
      case 'load_delay': {
        if (out.load_delay !== undefined) throw d.err('load_delay already set');
        if (!d.nextArg()) throw d.argErr();
        const ns = caddyParseDuration(d.val());
        if (typeof ns === 'string') throw d.err(`parsing load_delay: ${ns}`);
        if (ns <= 0n) throw d.err('load_delay must be positive');
        if (d.nextArg()) throw d.argErr();
        out.load_delay = Number(ns);
        break;
      }
      default:
        throw d.err(`unrecognized config parameter '${key}'`);
    }
  }
  // persist is a *bool in Caddy: `false` is kept.
  return struct<AdminConfigSettings>(out, out.persist === undefined ? [] : ['persist']);
}
