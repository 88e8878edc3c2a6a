/**
 * @module storage/pg-lib: node-postgres, loaded on first use: only configs with postgres storage or the postgres
 * config loader pay for its start-up time and memory.
 */
import type pg from 'pg';

let loading: Promise<typeof pg> | undefined;

/** The `pg` module. */
export function pgLib(): Promise<typeof pg> {
  return (loading ??= import('pg').then((m) => m.default));
}
