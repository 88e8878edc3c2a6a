/**
 * @module http/mime: content types by file extension for file_server, as Go's mime.TypeByExtension finds them:
 * a small built-in table, then the system's shared-mime-info globs2 (or, without it, mime.types files).
 */
import { readFileSync } from 'node:fs';

/** Go's built-in table; these win over the system files. */
const BUILTIN: Record<string, string> = {
  '.avif': 'image/avif',
  '.css': 'text/css; charset=utf-8',
  '.gif': 'image/gif',
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.mjs': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.webp': 'image/webp',
  '.xml': 'text/xml; charset=utf-8',
};

const GLOBS = ['/usr/local/share/mime/globs2', '/usr/share/mime/globs2'];
const TYPE_FILES = [
  '/etc/mime.types',
  '/etc/apache2/mime.types',
  '/etc/apache/mime.types',
  '/etc/httpd/conf/mime.types',
];

let exact: Map<string, string> | undefined;
let lower: Map<string, string> | undefined;

function set(ext: string, type: string): void {
  // Go adds charset=utf-8 to text types that have none.
  const t = type.startsWith('text/') && !/;\s*charset=/i.test(type) ? `${type}; charset=utf-8` : type;
  exact!.set(ext, t);
  lower!.set(ext.toLowerCase(), t);
}

function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
}

/** Lines "weight:type:*.ext[:...]" in weight order; the first type for an extension wins. */
function loadGlobs(lines: string[]): void {
  for (const line of lines) {
    const f = line.split(':');
    if (f.length < 3 || f[0]!.length < 1 || f[2]!.length < 3) continue;
    if (f[0]![0] === '#' || f[2]![0] !== '*' || f[2]![1] !== '.') continue;
    const ext = f[2]!.slice(1);
    if (/[?*[]/.test(ext) || exact!.has(ext)) continue;
    set(ext, f[1]!);
  }
}

/** mime.types lines "type ext ext..."; later entries override earlier ones. */
function loadTypes(lines: string[]): void {
  for (const line of lines) {
    const f = line.trim().split(/\s+/);
    if (f.length <= 1 || f[0]!.startsWith('#')) continue;
    for (const ext of f.slice(1)) {
      if (ext.startsWith('#')) break;
      set(`.${ext}`, f[0]!);
    }
  }
}

function init(): void {
  exact = new Map();
  lower = new Map();
  for (const [ext, t] of Object.entries(BUILTIN)) set(ext, t);
  for (const g of GLOBS) {
    const lines = readLines(g);
    if (lines) {
      loadGlobs(lines);
      return;
    }
  }
  for (const t of TYPE_FILES) {
    const lines = readLines(t);
    if (lines) loadTypes(lines);
  }
}

/** Loads the tables now (at config load) rather than on the first request. */
export function loadMimeTypes(): void {
  if (!exact) init();
}

/** The content type for a file name (by its extension, exact case first), or undefined when unknown. */
export function contentTypeFor(name: string): string | undefined {
  const slash = name.lastIndexOf('/');
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot < slash) return undefined;
  loadMimeTypes();
  const ext = name.slice(dot);
  return exact!.get(ext) ?? lower!.get(ext.toLowerCase());
}
