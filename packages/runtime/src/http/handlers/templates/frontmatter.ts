/** @module http/handlers/templates/frontmatter: Caddy's splitFrontMatter: YAML (---), TOML (+++) or JSON ({) front matter. */
import { GoTime } from './go-time.js';
import { templateLibs } from './libs.js';
import { jsonParse } from './sprig/index.js';

type Parser = (text: string) => Record<string, unknown>;

const TYPES: Array<{ open: string; close: string[]; parse: Parser }> = [
  // yaml.v3 decodes timestamps into time.Time.
  {
    open: '---',
    close: ['---', '...'],
    parse: (t) => asMap(fromToml(templateLibs().parseYaml(t, { customTags: ['timestamp'] }))),
  },
  { open: '+++', close: ['+++'], parse: (t) => asMap(fromToml(templateLibs().parseToml(t))) },
  { open: '{', close: ['}'], parse: (t) => asMap(jsonParse(`{${t}}`)) },
];

function asMap(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error('front matter is not a map');
  return v as Record<string, unknown>;
}

/** Dates become times, as BurntSushi/toml and yaml.v3 decode them. */
function fromToml(v: unknown): unknown {
  if (v instanceof Date) return GoTime.fromDate(v, true);
  if (Array.isArray(v)) return v.map(fromToml);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromToml(x)]));
  return v;
}

/** The parsed document: `.Meta` (the front matter) and `.Body` (the rest). */
export class ParsedMarkdownDoc {
  constructor(
    readonly Meta: Record<string, unknown>,
    readonly Body: string,
  ) {}
}

/** Caddy's extractFrontMatter: the first non-blank line opens the front matter; the input is returned whole without one. */
export function extractFrontMatter(input: string): ParsedMarkdownDoc {
  let firstLineStart = 0;
  let firstLineEnd = 0;
  let lineEmpty = true;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === '\n') {
      firstLineStart = firstLineEnd;
      if (firstLineStart > 0) firstLineStart++;
      firstLineEnd = i;
      if (!lineEmpty) break;
      continue;
    }
    lineEmpty = lineEmpty && /\s/.test(b);
  }
  const firstLine = input.slice(firstLineStart, firstLineEnd).trim();
  const type = TYPES.find((t) => t.open === firstLine);
  if (!type) return new ParsedMarkdownDoc({}, input);
  let endStart = -1;
  let endFence = '';
  for (const fence of type.close) {
    const i = input.slice(firstLineEnd).indexOf(`\n${fence}`);
    if (i >= 0) {
      endStart = i;
      endFence = fence;
      break;
    }
  }
  if (endStart < 0) throw new Error('unterminated front matter');
  endStart += firstLineEnd + 1;
  const meta = type.parse(input.slice(firstLineEnd, endStart));
  return new ParsedMarkdownDoc(meta, input.slice(endStart + endFence.length));
}
