/** @module adapt-storage-postgres.test: the `storage postgres { ... }` global option (`caddy.storage.postgres`). */
import { describe, expect, it } from 'vitest';
import { at, cfg, errOf } from './adapt-helpers.js';

const site = ':80 {\n\trespond x\n}\n';
const storage = (opt: string) => at(cfg(`{\n${opt}\n}\n${site}`), 'storage');
const err = (opt: string) => errOf(`{\n${opt}\n}\n${site}`);

describe('storage postgres', () => {
  it('takes a connection string as its argument or in its block', () => {
    expect(storage('\tstorage postgres "postgresql://proxy@db/fleet?sslmode=require"')).toEqual({
      module: 'postgres',
      connection_string: 'postgresql://proxy@db/fleet?sslmode=require',
    });
    expect(
      storage('\tstorage postgres {\n\t\tconnection_string "host=db dbname=fleet"\n\t\ttable_prefix edge_\n\t}'),
    ).toEqual({ module: 'postgres', connection_string: 'host=db dbname=fleet', table_prefix: 'edge_' });
  });

  it('takes the separate connection fields, durations as nanoseconds and disable_ddl', () => {
    expect(
      storage(
        '\tstorage postgres {\n\t\thost db.internal\n\t\tport 6432\n\t\tuser proxy\n\t\tpassword secret\n\t\tdbname fleet\n\t\tsslmode verify-full\n\t\tquery_timeout 3s\n\t\tlock_lease 1m\n\t\tdisable_ddl\n\t}',
      ),
    ).toEqual({
      module: 'postgres',
      host: 'db.internal',
      port: '6432',
      user: 'proxy',
      password: 'secret',
      dbname: 'fleet',
      sslmode: 'verify-full',
      query_timeout: 3_000_000_000,
      lock_lease: 60_000_000_000,
      disable_ddl: true,
    });
  });

  it('reports what is wrong at its line', () => {
    const line = (opt: string) => err(opt).replace(/^parsing caddyfile tokens for 'storage': /, '');
    expect(line('\tstorage postgres {\n\t\thost db\n\t\tnope 1\n\t}')).toBe(
      "unrecognized parameter 'nope', at Caddyfile:4",
    );
    expect(line('\tstorage postgres {\n\t\thost a\n\t\thost b\n\t}')).toBe('host already set, at Caddyfile:4');
    expect(line('\tstorage postgres {\n\t\thost a\n\t\tlock_lease soon\n\t}')).toMatch(
      /^parsing lock_lease: .*, at Caddyfile:4$/,
    );
    expect(line('\tstorage postgres {\n\t\tsslmode require\n\t}')).toMatch(
      /^postgres storage needs a connection_string, or host and dbname, at Caddyfile:/,
    );
    expect(line('\tstorage postgres {\n\t\thost a\n\t\ttable_prefix My-Fleet\n\t}')).toBe(
      "invalid table_prefix 'My-Fleet' (lower-case letters, digits and _), at Caddyfile:4",
    );
    expect(line('\tstorage postgres {\n\t\tsslmode sure\n\t}')).toMatch(/^invalid sslmode 'sure' .*, at Caddyfile:3$/);
    expect(line('\tstorage postgres a b')).toMatch(/^wrong argument count.*, at Caddyfile:2$/);
  });
});
