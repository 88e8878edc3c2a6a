/**
 * @module adapt-admin-config.test: `admin { config { persist; load postgres { ... }; load_delay } }`, proxy's
 * Caddyfile for `admin.config` (Caddy's Caddyfile has none): the JSON the config loader reads.
 */
import { describe, expect, it } from 'vitest';
import { AdminOption } from '../src/adapt/options/admin.js';
import { at, cfg, errOf } from './adapt-helpers.js';

const site = ':80 {\n\trespond x\n}\n';
const admin = (opt: string) => at(cfg(`{\n${opt}\n}\n${site}`), 'admin');
const err = (opt: string) => errOf(`{\n${opt}\n}\n${site}`).replace(/^parsing caddyfile tokens for 'admin': /, '');

describe('admin config', () => {
  it('gives admin.config: persist, the postgres loader with its fields, load_delay in nanoseconds', () => {
    expect(
      admin(
        [
          '\tadmin localhost:2999 {',
          '\t\tconfig {',
          '\t\t\tpersist off',
          '\t\t\tload postgres "host=/run/pg dbname=fleet" {',
          '\t\t\t\ttable_prefix edge_',
          '\t\t\t\tinstance_id edge-1',
          '\t\t\t\tquery_timeout 3s',
          '\t\t\t}',
          '\t\t\tload_delay 10s',
          '\t\t}',
          '\t}',
        ].join('\n'),
      ),
    ).toEqual({
      listen: 'localhost:2999',
      config: {
        persist: false,
        load: {
          module: 'postgres',
          connection_string: 'host=/run/pg dbname=fleet',
          instance_id: 'edge-1',
          query_timeout: 3_000_000_000,
          table_prefix: 'edge_',
        },
        load_delay: 10_000_000_000,
      },
    });
  });

  it('writes the loader module first, then its fields in order, and keeps persist on', () => {
    const json = JSON.stringify(
      admin(
        '\tadmin {\n\t\tconfig {\n\t\t\tpersist on\n\t\t\tload postgres {\n\t\t\t\thost db\n\t\t\t\tport 6432\n\t\t\t\tuser proxy\n\t\t\t\tpassword pw\n\t\t\t\tdbname fleet\n\t\t\t\tsslmode require\n\t\t\t\tlock_lease 30s\n\t\t\t\tdisable_ddl\n\t\t\t}\n\t\t}\n\t}',
      ),
    );
    expect(json).toBe(
      '{"listen":"localhost:2019","config":{"persist":true,"load":{"dbname":"fleet","disable_ddl":true,"host":"db","lock_lease":30000000000,"module":"postgres","password":"pw","port":"6432","sslmode":"require","user":"proxy"}}}',
    );
  });

  it('leaves admin without config as it was, and persist_config off still applies', () => {
    expect(admin('\tadmin {\n\t\tenforce_origin\n\t}')).toEqual({ listen: 'localhost:2019', enforce_origin: true });
    expect(
      admin('\tpersist_config off\n\tadmin {\n\t\tconfig {\n\t\t\tload postgres "dbname=fleet"\n\t\t}\n\t}'),
    ).toEqual({
      listen: 'localhost:2019',
      config: { persist: false, load: { module: 'postgres', connection_string: 'dbname=fleet' } },
    });
  });

  it('reports unknown subdirectives and modules, and bad values, at their line', () => {
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tload mysql "x"\n\t\t}\n\t}')).toBe(
      "getting module named 'caddy.config_loaders.mysql': module not registered: caddy.config_loaders.mysql (known: postgres), at Caddyfile:4",
    );
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\treload yes\n\t\t}\n\t}')).toBe(
      "unrecognized config parameter 'reload', at Caddyfile:4",
    );
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tload postgres "x" {\n\t\t\t\tinstance nope\n\t\t\t}\n\t\t}\n\t}')).toBe(
      "unrecognized parameter 'instance', at Caddyfile:5",
    );
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tpersist maybe\n\t\t}\n\t}')).toBe(
      "persist: expected on or off, got 'maybe', at Caddyfile:4",
    );
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tload_delay soon\n\t\t}\n\t}')).toMatch(
      /^parsing load_delay: .*, at Caddyfile:4$/,
    );
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tload\n\t\t}\n\t}')).toMatch(/^wrong argument count.*, at Caddyfile:4$/);
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tload postgres {\n\t\t\t\tport 1\n\t\t\t}\n\t\t}\n\t}')).toMatch(
      /^postgres config loader needs a connection_string, or host and dbname, at Caddyfile:/,
    );
    expect(err('\tadmin {\n\t\tconfig {\n\t\t\tload postgres "a"\n\t\t\tload postgres "b"\n\t\t}\n\t}')).toBe(
      'load already set, at Caddyfile:5',
    );
    // The storage has no instance_id.
    expect(errOf(`{\n\tstorage postgres "x" {\n\t\tinstance_id a\n\t}\n}\n${site}`)).toMatch(
      /unrecognized parameter 'instance_id', at Caddyfile:3$/,
    );
  });

  it('documents config, its subdirectives and the loader fields for completion and hover', () => {
    const config = AdminOption.subdirectives?.find((s) => s.name === 'config');
    expect(config?.block?.map((s) => s.name)).toEqual(['persist', 'load', 'load_delay']);
    const load = config?.block?.find((s) => s.name === 'load');
    expect(load?.block?.map((s) => s.name)).toEqual(expect.arrayContaining(['connection_string', 'instance_id']));
  });
});
