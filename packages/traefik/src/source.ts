/**
 * @module source: a Traefik file (YAML or TOML) read into plain values, with the line and column of every key so
 * that errors can point at it. Traefik's file provider picks the format by extension (.yml/.yaml or .toml).
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { TraefikConfigError } from './diagnostics.js';

export type Format = 'yaml' | 'toml';

/** A position in the file (1-based). */
export interface Position {
  line: number;
  column: number;
}

/** A loaded file: its values and where each key path starts. */
export interface SourceFile {
  file: string;
  format: Format;
  value: unknown;
  /** The position of a key path (segments: keys and array indexes), else of its nearest located parent. */
  locate(path: readonly (string | number)[]): Position;
}

/** The format of a file name: TOML for `.toml`, else YAML (Traefik reads `.yml` and `.yaml`). */
export function formatOf(file: string): Format {
  return /\.toml$/i.test(file) ? 'toml' : 'yaml';
}

/** Parses a file; a syntax error is a TraefikConfigError at its line. */
export function loadSource(text: string, file: string, format: Format = formatOf(file)): SourceFile {
  // Traefik renders Go templates in file-provider files before parsing them; that is not supported here.
  const template = /\{\{/.exec(text);
  if (template) {
    const at = positionOf(text, template.index);
    throw new TraefikConfigError({
      file,
      ...at,
      path: '',
      message: 'Go templates in Traefik files are not supported: render the file first',
    });
  }
  return format === 'toml' ? loadToml(text, file) : loadYaml(text, file);
}

function positionOf(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

function keyOf(path: readonly (string | number)[]): string {
  return path.map(String).join('\u0000');
}

/** Walks up a path until a located key is found. */
function locator(positions: Map<string, Position>): (path: readonly (string | number)[]) => Position {
  return (path) => {
    for (let n = path.length; n > 0; n--) {
      const p = positions.get(keyOf(path.slice(0, n)));
      if (p) return p;
    }
    return { line: 1, column: 1 };
  };
}

function loadYaml(text: string, file: string): SourceFile {
  const lines = new LineCounter();
  // Go's YAML decoders (Traefik's) take YAML 1.1 merge keys (`<<: *base`).
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, merge: true });
  const first = doc.errors[0];
  if (first) {
    const at = lines.linePos(first.pos[0]);
    throw new TraefikConfigError({ file, line: at.line, column: at.col, path: '', message: first.message });
  }
  const positions = new Map<string, Position>();
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const walk = (node: YamlNode | null | undefined, path: (string | number)[]): void => {
    if (!node) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const child = [...path, key];
        const range = isScalar(pair.key) ? pair.key.range : undefined;
        if (range) positions.set(keyOf(child), at(range[0]));
        walk(pair.value as YamlNode | null, child);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const child = [...path, i];
        const range = (item as YamlNode | null)?.range;
        if (range) positions.set(keyOf(child), at(range[0]));
        walk(item as YamlNode | null, child);
      });
    }
  };
  walk(doc.contents as YamlNode | null, []);
  return { file, format: 'yaml', value: doc.toJS({ maxAliasCount: 100 }) ?? {}, locate: locator(positions) };
}

function loadToml(text: string, file: string): SourceFile {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (e) {
    const line = e instanceof TomlError ? e.line : 1;
    const column = e instanceof TomlError ? e.column : 1;
    const message = ((e as Error).message.split('\n')[0] ?? 'invalid TOML').replace(/^Invalid TOML document: /, '');
    throw new TraefikConfigError({ file, line, column, path: '', message });
  }
  return { file, format: 'toml', value, locate: locator(tomlPositions(text)) };
}

/**
 * Where TOML keys are: smol-toml gives no positions, so table headers (`[a.b]`, `[[a.b]]`) and `key = ` lines are
 * scanned here. Keys inside inline tables and multi-line values fall back to their parent's line.
 */
function tomlPositions(text: string): Map<string, Position> {
  const positions = new Map<string, Position>();
  const arrays = new Map<string, number>();
  let table: (string | number)[] = [];
  let inMultiline: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (inMultiline) {
      if (raw.includes(inMultiline)) inMultiline = undefined;
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const header = /^(\[\[?)\s*([^\]]+?)\s*\]\]?/.exec(s);
    if (header) {
      const keys = splitKey(header[2]!);
      if (header[1] === '[[') {
        const k = keyOf(keys);
        const n = (arrays.get(k) ?? -1) + 1;
        arrays.set(k, n);
        table = [...resolveArrays(keys, arrays), n];
      } else {
        table = resolveArrays(keys, arrays);
      }
      for (let n = 1; n <= table.length; n++) {
        const k = keyOf(table.slice(0, n));
        if (!positions.has(k)) positions.set(k, { line, column: indent + 1 });
      }
      return;
    }
    const kv = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ])+?)\s*=\s*(.*)$/.exec(s);
    if (!kv) return;
    const path = [...table, ...splitKey(kv[1]!)];
    for (let n = table.length + 1; n <= path.length; n++) {
      const k = keyOf(path.slice(0, n));
      if (!positions.has(k)) positions.set(k, { line, column: indent + 1 });
    }
    const rest = kv[2]!;
    for (const q of ['"""', "'''"]) {
      if (rest.startsWith(q) && rest.indexOf(q, 3) === -1) inMultiline = q;
    }
  });
  return positions;
}

/** A header's keys with each array-of-tables prefix followed by its current index. */
function resolveArrays(keys: string[], arrays: Map<string, number>): (string | number)[] {
  const out: (string | number)[] = [];
  for (let n = 1; n <= keys.length; n++) {
    out.push(keys[n - 1]!);
    const idx = n < keys.length ? arrays.get(keyOf(keys.slice(0, n))) : undefined;
    if (idx !== undefined) out.push(idx);
  }
  return out;
}

/** `a."b.c".d` -> ['a', 'b.c', 'd']. */
function splitKey(s: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < s.length && (m = re.exec(s))) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}
