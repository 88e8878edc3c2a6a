/** @module bench-configs.test: the bench harness' generated configs (no servers started): every system gets an equivalent config, the proxy's adapt and validate. */
import { describe, expect, it } from 'vitest';
import { adapt } from '@proxy/parser';
import { validateConfig } from '@proxy/runtime';
// @ts-expect-error plain ESM JavaScript without type declarations (bench/ is not a TypeScript project)
import { commandFor, configFor, manySitesCaddyfile, SYSTEMS } from '../bench/lib/configs.js';

type Kind = 'https-respond' | 'tls-terminate' | 'sni-passthrough' | 'pg-starttls';
const tls = { cert: '/tmp/c.pem', key: '/tmp/k.pem', pem: '/tmp/ck.pem' };
const desc = (kind: Kind) => ({ kind, port: 8443, upstream: 9000, sni: 'bench.local', tls, workers: 2, dir: '/tmp/x' });
const systems = SYSTEMS as Record<Kind, string[]>;
const gen = configFor as (system: string, d: ReturnType<typeof desc>) => { file: string; text: string };

describe('bench configs', () => {
  it('gives every system of every scenario a config on the same port, upstream and certificate', () => {
    for (const kind of Object.keys(systems) as Kind[]) {
      for (const system of systems[kind]) {
        const { text } = gen(system, desc(kind));
        expect(text).toContain('8443');
        if (kind !== 'https-respond') expect(text).toContain('9000');
        if (kind !== 'sni-passthrough') expect(text).toMatch(/\/tmp\/(c|ck)\.pem/);
        if (kind === 'sni-passthrough') expect(text).toContain('bench.local');
      }
    }
    expect(() => gen('caddy', desc('tls-terminate'))).toThrow(/cannot serve/);
  });

  it('gives the proxy configs its own validator accepts (JSON as is, the Caddyfile through the adapter)', async () => {
    for (const kind of Object.keys(systems) as Kind[]) {
      const { file, text } = gen('proxy', desc(kind));
      let json: unknown;
      if (file.endsWith('.json')) json = JSON.parse(text);
      else {
        const r = adapt(text, { filename: file });
        expect(r.errors).toEqual([]);
        json = r.config;
      }
      // the certificate files do not exist here: only that error is allowed
      const errors = (await validateConfig(json)).filter((e) => !/no such file|ENOENT|certificate/i.test(e.message));
      expect(errors).toEqual([]);
    }
  });

  it('names a command per system, with workers for the proxy', () => {
    const cmd = commandFor as (s: string, f: string, o: object) => { cmd: string; args: string[] };
    const o = { node: 'node', cli: 'main.js', dir: '/tmp/x', workers: 2 };
    expect(cmd('proxy', 'c.json', o).args).toEqual(['main.js', 'run', '--config', 'c.json', '--workers', '2']);
    expect(cmd('nginx', 'n.conf', o).cmd).toBe('nginx');
    expect(cmd('haproxy', 'h.cfg', o).args).toContain('h.cfg');
  });

  it('generates n-site Caddyfiles that adapt to n sites', () => {
    const r = adapt((manySitesCaddyfile as (n: number) => string)(50), { filename: 'Caddyfile' });
    expect(r.errors).toEqual([]);
    expect(new Set(r.json!.match(/"site\d+\.example\.com"/g)).size).toBe(50);
  });
});
