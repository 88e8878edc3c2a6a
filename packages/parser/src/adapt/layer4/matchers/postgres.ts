/** @module layer4/matchers/postgres: the `postgres` matcher (caddy-l4 `MatchPostgres`): the first PostgreSQL message. */
import type { Layer4PostgresMatcher } from '@proxy/contract';
import { sortedMap, struct } from '../../json.js';
import { matcher } from '../registry.js';
import { consumeName, noArgs, noNestedBlock, OnceOptions, singleArg, someArgs } from '../syntax.js';

/**
 * `postgres` or
 *
 *     postgres {
 *         user <name> [<database>...]    # repeatable; `*` = any other user; no databases = any
 *         client <name>...               # application_name values; repeatable
 *         tls <enabled|disabled|*>       # `*` = either (the default)
 *     }
 *
 * -> `{"user": {...}, "client": [...], "tls": "..."}` (Go struct order).
 */
export const MatchPostgres = matcher(
  'postgres',
  {
    syntax: 'postgres [{ user <name> [<databases...>]; client <application_names...>; tls enabled|disabled|* }]',
    doc: 'Matches PostgreSQL startup messages (and SSL/GSS requests), optionally by user, database, client and TLS.',
    subdirectives: [
      {
        name: 'user',
        syntax: 'user <name> [<databases...>]',
        doc: 'Accepts this user, optionally only for these databases (repeatable).',
      },
      { name: 'client', syntax: 'client <application_names...>', doc: 'Accepts these application_name values.' },
      {
        name: 'tls',
        syntax: 'tls enabled|disabled|*',
        doc: 'Requires, forbids or ignores an SSLRequest before the startup message.',
      },
    ],
  },
  (d) => {
    const wrapper = consumeName(d);
    noArgs(d);
    const malformed = `malformed layer4 connection matcher '${wrapper}'`;
    const once = new OnceOptions(wrapper);
    let user: Record<string, string[] | null> | undefined;
    const client: string[] = [];
    let tls: 'enabled' | 'disabled' | undefined;
    for (const nesting = d.nesting(); d.nextBlock(nesting); ) {
      const option = d.val();
      switch (option) {
        case 'user': {
          const [name, ...databases] = someArgs(d);
          user ??= {};
          const list = user[name!] ?? null;
          // Go's append on a nil slice with nothing to add stays nil (JSON null: any database).
          user[name!] = databases.length > 0 ? [...(list ?? []), ...databases] : list;
          break;
        }
        case 'client':
          client.push(...someArgs(d));
          break;
        case 'tls': {
          once.mark(d, option);
          const v = singleArg(d);
          if (v !== 'enabled' && v !== 'disabled' && v !== '*') {
            throw d.err(`${malformed}: invalid ${option} value '${v}' (expected enabled, disabled or *)`);
          }
          tls = v === '*' ? undefined : v;
          break;
        }
        default:
          throw d.err(`${malformed}: unrecognized option '${option}'`);
      }
      noNestedBlock(d, nesting, wrapper, option);
    }
    return struct<Layer4PostgresMatcher>({ user: user && sortedMap(user), client, tls });
  },
);
