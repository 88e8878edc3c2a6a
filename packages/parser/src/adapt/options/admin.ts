/** @module options/admin: `admin [off|addr] { enforce_origin; origins ... }`. */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { AdminConfig } from '@proxy/contract';
import { struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';

/** Parses `admin` into a `caddy.AdminConfig` (struct order). */
export function parseOptAdmin(d: Dispenser): AdminConfig {
  d.next();
  let disabled = false;
  let listen = '';
  let enforceOrigin = false;
  let origins: string[] | undefined;
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
      default:
        throw d.err(`unrecognized parameter '${d.val()}'`);
    }
  }
  if (listen === '' && !disabled) listen = 'localhost:2019';
  return struct<AdminConfig>({ disabled, listen, enforce_origin: enforceOrigin, origins });
}

export const AdminOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'admin',
  syntax: 'admin [<listen_addr>|off] { enforce_origin; origins <origins...> }',
  doc: 'The admin API endpoint (default localhost:2019), or off.',
  subdirectives: [
    { name: 'enforce_origin', syntax: 'enforce_origin', doc: 'Checks the Origin header of admin requests.' },
    { name: 'origins', syntax: 'origins <origins...>', doc: 'The origins allowed to use the admin API.' },
  ],
  parse: parseOptAdmin,
};
