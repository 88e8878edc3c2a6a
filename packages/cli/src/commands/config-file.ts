/** @module commands/config-file: reads a config file and turns it into Caddy JSON (json as is; Caddyfile via the adapter). */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { adapt, formatDiagnostic } from '@proxy/parser';
import { adaptTraefikFiles } from './traefik-files.js';

/** Config adapters the CLI knows. */
export type AdapterName = 'json' | 'caddyfile' | 'traefik';

/** A config file failed to load; the message is meant for the user as is. */
export class ConfigFileError extends Error {}

/** Picks the config file: the given one, else ./Caddyfile when it exists. */
export function resolveConfigPath(given: string | undefined): string {
  if (given) return given;
  if (existsSync('Caddyfile')) return 'Caddyfile';
  throw new ConfigFileError('no config file: use --config FILE (or put a Caddyfile in the current directory)');
}

/** The adapter for a file: the explicit one, else json for *.json, else caddyfile. */
export function adapterFor(file: string, explicit: string | undefined): AdapterName {
  const a = (explicit ?? (path.extname(file).toLowerCase() === '.json' ? 'json' : 'caddyfile')).toLowerCase();
  if (a !== 'json' && a !== 'caddyfile' && a !== 'traefik')
    throw new ConfigFileError(`unknown adapter "${a}" (use caddyfile, json or traefik)`);
  return a;
}

/** Reads and adapts a config file to Caddy JSON (`staticFile`: Traefik's static configuration). */
export async function loadConfigFile(file: string, adapter: AdapterName, staticFile?: string): Promise<unknown> {
  if (staticFile !== undefined && adapter !== 'traefik') throw new ConfigFileError('--static needs --adapter traefik');
  if (adapter === 'traefik') {
    const result = adaptTraefikFiles(file, staticFile);
    for (const w of result.warnings) process.stderr.write(`${w}\n`);
    if (!result.config) throw new ConfigFileError(result.errors.join('\n') || `${file}: adapting failed`);
    return result.config;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigFileError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (adapter === 'json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new ConfigFileError(`${file}: invalid JSON: ${(e as Error).message}`);
    }
  }
  return adaptCaddyfile(text, file);
}

/** The Caddyfile path: adapted in-process; every error becomes one `FILE:LINE:COLUMN: message` line. */
export async function adaptCaddyfile(text: string, file: string): Promise<unknown> {
  const result = adapt(text, { filename: file });
  for (const w of result.warnings) process.stderr.write(`${formatDiagnostic(w)}\n`);
  if (result.errors.length > 0 || !result.config) {
    throw new ConfigFileError(result.errors.map((e) => formatDiagnostic(e)).join('\n') || `${file}: adapting failed`);
  }
  return result.config;
}

/** Adapters the admin API may use for POST /load bodies (Content-Type text/<name>). */
export const adminAdapters: Record<string, (text: string) => Promise<unknown>> = {
  caddyfile: (text) => adaptCaddyfile(text, 'Caddyfile'),
};

/** Reads KEY=VALUE lines (with # comments and optional quotes) into the environment, like Caddy's --envfile. */
export async function loadEnvFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigFileError(`cannot read ${file}: ${(e as Error).message}`);
  }
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/^\s*export\s+/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigFileError(`${file}:${i + 1}: expected KEY=VALUE`);
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    env[key] = value;
  }
}
