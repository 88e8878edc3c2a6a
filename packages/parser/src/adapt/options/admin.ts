/** @module options/admin: `admin [off|addr] { enforce_origin; origins ...; config { ... } }`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { AdminConfig, AdminConfigSettings } from '@proxy/contract';
import { struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';
import { ADMIN_CONFIG_FIELDS, parseAdminConfig } from './admin-config.js';

/** Parses `admin` into a `caddy.AdminConfig` (struct order). */
export function parseOptAdmin(d: Dispenser): AdminConfig {
  d.next();
  let disabled = false;
  let listen = '';
  let enforceOrigin = false;
  let origins: string[] | undefined;
  let config: AdminConfigSettings | undefined;
  if (d.nextArg()) {
    if (d.val() === 'off') {
      disabled = true;
      if (d.next()) throw d.err('No more option is allowed after turning off admin config');
    } else {
      listen = d.val();
      if (d.nextArg()) throw d.argErr();
    }
  }
  for (const n = d.nesting(); d.nextBlock(n); ) {
    switch (d.val()) {
      case 'enforce_origin':
        enforceOrigin = true;
        break;
      case 'origins':
        origins = d.remainingArgs();
        break;
      case 'config':
        if (config) throw d.err('config already set');
        config = parseAdminConfig(d);
        break;
      default:
        throw d.err(`unrecognized parameter '${d.val()}'`);
    }
  }
  if (listen === '' && !disabled) listen = 'localhost:2019';
  return struct<AdminConfig>({ disabled, listen, enforce_origin: enforceOrigin, origins, config });
}

export const AdminOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'admin',
  syntax:
    'admin [<listen_addr>|off] { enforce_origin; origins <origins...>; config { persist off|on; load postgres [<connection_string>] { ... }; load_delay <duration> } }',
  doc: 'The admin API endpoint (default localhost:2019), or off; `config` loads the config dynamically (a fleet: load postgres).',
  subdirectives: [
    { name: 'enforce_origin', syntax: 'enforce_origin', doc: 'Checks the Origin header of admin requests.' },
    { name: 'origins', syntax: 'origins <origins...>', doc: 'The origins allowed to use the admin API.' },
    {
      name: 'config',
      syntax: `config { ${ADMIN_CONFIG_FIELDS.map((f) => f.syntax).join('; ')} }`,
      doc: "Config persistence and dynamic loading (proxy's Caddyfile for Caddy's admin.config JSON).",
      block: ADMIN_CONFIG_FIELDS,
    },
  ],
  parse: parseOptAdmin,
};
