/**
 * @module commands/traefik-files: reads Traefik files for `--adapter traefik`: `--config` is a dynamic file or a
 * folder of them (Traefik's file provider `directory`: every .yml, .yaml and .toml file, merged), `--static` the
 * optional static file (entry points).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { adaptTraefik, formatTraefikDiagnostic, type TraefikAdaptResult, type TraefikFile } from '@proxy/traefik';

export interface TraefikAdapted {
  config?: TraefikAdaptResult['config'];
  /** `FILE:LINE:COLUMN: key.path: message` lines. */
  errors: string[];
  warnings: string[];
}

function read(file: string): TraefikFile {
  return { text: readFileSync(file, 'utf8'), file };
}

function readDynamic(target: string): TraefikFile[] {
  if (!statSync(target).isDirectory()) return [read(target)];
  const files = readdirSync(target)
    .filter((f) => /\.(ya?ml|toml)$/i.test(f))
    .sort()
    .map((f) => read(path.join(target, f)));
  if (files.length === 0) throw new Error(`no .yml, .yaml or .toml file in ${target}`);
  return files;
}

/** Adapts Traefik files; unreadable files are errors too. */
export function adaptTraefikFiles(dynamic: string, staticFile: string | undefined): TraefikAdapted {
  let files: TraefikFile[];
  let stat: TraefikFile | undefined;
  try {
    files = readDynamic(dynamic);
    stat = staticFile === undefined ? undefined : read(staticFile);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const which = err.path ?? dynamic;
    return {
      errors: [`${which}: reading config file: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`],
      warnings: [],
    };
  }
  const result = adaptTraefik({ dynamic: files, ...(stat ? { static: stat } : {}) });
  return {
    ...(result.config ? { config: result.config } : {}),
    errors: result.errors.map((d) => formatTraefikDiagnostic(d)),
    warnings: result.warnings.map((w) => formatTraefikDiagnostic(w, 'warning')),
  };
}
