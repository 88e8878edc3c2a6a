/**
 * Walks the reference table of keywords Caddy master and caddy-l4 accept (fixtures/caddyfile-keywords.md, refreshed
 * by `pnpm conformance:refresh`) and puts each keyword into a minimal Caddyfile where the adapter reads it: every
 * directive, subdirective, request matcher, global option, server option, pki option, layer4 matcher and handler
 * (with their block keys) and placeholder shorthand.
 *
 * A keyword counts as known when the adapter gives no `unknown-*` error about it and treats it differently from a
 * made-up word in the same place, written bare or with one argument (a keyword may still miss arguments: that is a
 * `bad-argument`, not an unknown keyword). Shorthands must also expand to the placeholder the reference gives.
 */
import { describe, expect, it } from 'vitest';
import { adapt, lookup, type ModuleKind } from '@proxy/parser';
import { codeSpans, type RefKeyword, readDirectives, readReference, readTable } from './support/keyword-reference.js';

const BOGUS = 'zz_no_such_keyword';

/** Same-line arguments a keyword needs before its block can be read, by its chain (`parent/keyword`) or name. */
const ARGS: Record<string, string> = {
  reverse_proxy: 'localhost:1',
  php_fastcgi: 'localhost:1',
  forward_auth: 'localhost:1',
  redir: '/to',
  'output/file': '/tmp/x.log',
  'output/net': 'localhost:1',
  'lb_policy/query': 'k',
  'lb_policy/header': 'X-K',
  'lb_policy/cookie': 'c',
  zerossl: 'KEY',
  proxy: 'localhost:1',
  upstream: 'localhost:1',
  handle_path: '/p',
  map: '{path} {vars.x}',
  'format/filter': '',
};

/**
 * Nests `words` (the last is the keyword): each opens a block holding the next, except a word marked as a value,
 * which goes on the line of the word before it (`dynamic a { ... }`, `redir /to permanent`).
 */
function nest(words: string[], values: boolean[]): string {
  const heads: string[] = [];
  words.forEach((name, i) => {
    const arg = ARGS[`${words[i - 1]}/${name}`] ?? ARGS[name];
    const head = arg ? `${name} ${arg}` : name;
    if (values[i] && heads.length > 0) heads[heads.length - 1] += ` ${head}`;
    else heads.push(head);
  });
  let text = heads.pop()!;
  for (let i = heads.length - 1; i >= 0; i--) text = `${heads[i]} {\n${text}\n}`;
  return text;
}

const site = (body: string, address = ':80') => `${address} {\n${body}\n}\n`;
const global = (body: string) => `{\n${body}\n}\n:80 {\n}\n`;
const layer4 = (body: string) => `{\n\tlayer4 {\n\t\t:9000 {\n${body}\n\t\t}\n\t}\n}\n`;

const DIRECTIVES = new Set(readDirectives());

/**
 * Contexts of the reference (by the start of their heading or opening paragraph): how a keyword's chain is
 * wrapped, as words put before it (each opening a block, or a value on the line before) and the Caddyfile around.
 */
const CONTEXTS: { at: RegExp; prefix: [string, boolean][]; wrap: (body: string) => string }[] = [
  { at: /^### 1\.2/, prefix: [], wrap: (b) => site(b) },
  {
    at: /^### (Routing|Variables|Logging helpers|header|encode|file_server|templates|basic_auth|intercept|acme_server|bind)/,
    prefix: [],
    wrap: (b) => site(b),
  },
  { at: /^`reverse_proxy /, prefix: [['reverse_proxy', false]], wrap: (b) => site(b) },
  {
    at: /^`transport http /,
    prefix: [
      ['reverse_proxy', false],
      ['transport', false],
      ['http', true],
    ],
    wrap: (b) => site(b),
  },
  {
    at: /^`transport fastcgi /,
    prefix: [
      ['reverse_proxy', false],
      ['transport', false],
      ['fastcgi', true],
    ],
    wrap: (b) => site(b),
  },
  { at: /^`php_fastcgi /, prefix: [['php_fastcgi', false]], wrap: (b) => site(b) },
  { at: /^`log \[/, prefix: [['log', false]], wrap: (b) => site(b) },
  { at: /^First line: `tls`/, prefix: [['tls', false]], wrap: (b) => site(b, 'localhost') },
  { at: /^A bare `tls`/, prefix: [['tls', false]], wrap: (b) => site(b, 'localhost') },
  {
    at: /^Issuer modules/,
    prefix: [
      ['tls', false],
      ['issuer', false],
    ],
    wrap: (b) => site(b, 'localhost'),
  },
  {
    at: /^`client_auth \{/,
    prefix: [
      ['tls', false],
      ['client_auth', false],
    ],
    wrap: (b) => site(b, 'localhost'),
  },
  {
    at: /^Trust pool modules/,
    prefix: [
      ['tls', false],
      ['client_auth', false],
      ['trust_pool', false],
    ],
    wrap: (b) => site(b, 'localhost'),
  },
  {
    at: /^TLS connection policy block/,
    prefix: [
      ['route', false],
      ['tls', false],
      ['connection_policy', false],
    ],
    wrap: (b) => layer4(b),
  },
  {
    at: /^TLS handshake matchers/,
    prefix: [
      ['@m', false],
      ['tls', true],
    ],
    wrap: (b) => layer4(`${b}\nroute @m {\nclose\n}`),
  },
  {
    at: /^### 3\.2 Response matchers/,
    prefix: [
      ['reverse_proxy', false],
      ['@r', false],
    ],
    wrap: (b) => site(b),
  },
  { at: /^### 4\.1 /, prefix: [['servers', false]], wrap: (b) => global(b) },
  {
    at: /^### 4\.3 /,
    prefix: [
      ['pki', false],
      ['ca', false],
    ],
    wrap: (b) => global(b),
  },
  { at: /^### 5\.1 /, prefix: [], wrap: (b) => layer4(b) },
  { at: /^### 5\.2 /, prefix: [['@m', false]], wrap: (b) => layer4(`${b}\nroute @m {\nclose\n}`) },
  { at: /^### 5\.3 /, prefix: [['route', false]], wrap: (b) => layer4(b) },
];

/** Contexts that list values of their last word: `tls internal`, `issuer acme`, `trust_pool file`. */
const VALUE_FIRST = [/^First line: `tls`/, /^Issuer modules/, /^Trust pool modules/];

/** Parts of the reference that list no keyword to try: prose about sorting, CEL names, and rejections. */
const SKIP = [/^## 0\. /, /^Sorting rules/, /^Names callable inside CEL/, /^### 4\.2 /];

/** The Caddyfile that uses `kw` where the reference lists `k` (undefined: no context template). */
function place(k: RefKeyword, kw: string): string | undefined {
  const ctx = CONTEXTS.find((c) => c.at.test(k.context));
  if (!ctx) return undefined;
  let words = [...ctx.prefix.map(([w]) => w), ...k.parents, kw];
  let values = [...ctx.prefix.map(([, v]) => v), ...k.values];
  // Modules listed at the top of these contexts are values of its last word (`issuer acme`, `trust_pool file`).
  if (VALUE_FIRST.some((re) => re.test(k.context))) values[ctx.prefix.length] = true;
  // In a directive section, a top-level word that is not a directive is a block key of the section's directive.
  if (/^### header/.test(k.context) && !DIRECTIVES.has(k.parents[0] ?? k.name)) {
    words = ['header', ...words];
    values = [false, ...values];
  }
  // Log filters are values of a field inside `fields`: `format filter { fields { x <filter> { ... } } }`.
  const f = words.indexOf('filter');
  if (words[f - 1] === 'format' && f + 1 < words.length && !['wrap', 'fields'].includes(words[f + 1]!)) {
    words = [...words.slice(0, f + 1), 'fields', 'x', ...words.slice(f + 1)];
    values = [...values.slice(0, f + 1), false, false, true, ...values.slice(f + 2)];
  }
  return ctx.wrap(nest(words, values));
}

/** Errors of a Caddyfile, with `kw` written as <KW> so two keywords' errors can be compared. */
function errorsOf(config: string, kw: string): { codes: string[]; signature: string } {
  const { errors } = adapt(config, { filename: 'Caddyfile' });
  const codes = errors.map((e) => `${e.code}: ${e.message}`);
  return { codes, signature: codes.map((s) => s.split(kw).join('<KW>')).join('\n') };
}

/**
 * Why `kw` looks unknown where `config` puts it, or undefined when it does not. Tried bare and with one argument
 * (`1`): some readers ask for an argument before they look at the key, and a flag refuses one.
 */
function checkKnown(config: (kw: string) => string, kw: string): string | undefined {
  const problems: string[] = [];
  for (const form of [(w: string) => w, (w: string) => `${w} 1`]) {
    const real = errorsOf(config(form(kw)), kw);
    const unknown = real.codes.find((c) => c.startsWith('unknown-') && new RegExp(`\\b${kw}\\b`).test(c));
    if (unknown) return unknown;
    const bogus = errorsOf(config(form(BOGUS)), BOGUS);
    // A block that ignores unknown keys (as Caddy's `templates` and `try_files` do) cannot tell them apart.
    if (bogus.codes.length === 0) return undefined;
    if (real.signature !== bogus.signature) return undefined;
    problems.push(real.codes.join('; '));
  }
  return `read like a made-up word: ${problems.join(' / ')}`;
}

/**
 * Keywords of the reference the adapter does not know yet, by id (`<section>: <chain>`). Each must still be unknown
 * (the last test fails when one is fixed, so the list only shrinks).
 */
const GAPS = new Set<string>([]);

/** Every keyword of the reference with the Caddyfile that uses it and why it looks unknown (if it does). */
function checkAll(): { id: string; config: string; problem?: string }[] {
  const out: { id: string; config: string; problem?: string }[] = [];
  const seen = new Set<string>();
  for (const k of readReference()) {
    const key = `${k.context}|${k.parents.join('/')}|${k.name}`;
    if (seen.has(key) || SKIP.some((re) => re.test(k.context))) continue;
    seen.add(key);
    const id = `directives: ${[...k.parents, k.name].join(' ')}`;
    const config = place(k, k.name);
    if (config === undefined) out.push({ id, config: '', problem: `line ${k.line}: no template for ${k.context}` });
    else out.push({ id, config, problem: checkKnown((kw) => place(k, kw)!, k.name) });
  }
  for (const row of readTable('3. Request matchers')) {
    const config = (kw: string) => site(`@m ${kw}\nrespond @m 200`);
    const name = codeSpans(row[0]!)[0]!;
    out.push({ id: `matchers: ${name}`, config: config(name), problem: checkKnown(config, name) });
  }
  for (const name of readTable('4. Global options').flatMap((row) => codeSpans(row[0]!))) {
    out.push({ id: `global options: ${name}`, config: global(name), problem: checkKnown(global, name) });
  }
  return out;
}

describe('keyword reference (fixtures/caddyfile-keywords.md)', () => {
  const checks = checkAll();

  it('reads every section of the reference', () => {
    expect(readReference().length).toBeGreaterThan(500);
    expect(DIRECTIVES.size).toBe(43);
    const ids = checks.map((c) => c.id);
    for (const id of ['matchers: url_pattern', 'global options: filesystem', 'directives: winbox username_regexp']) {
      expect(ids).toContain(id);
    }
    console.log(`keyword reference: ${checks.length - GAPS.size} of ${checks.length} keywords known`);
  });

  it('knows every directive, subdirective, matcher, global, server, pki and layer4 keyword', () => {
    const problems = checks.filter((c) => c.problem !== undefined && !GAPS.has(c.id));
    expect(problems.map((c) => `${c.id}: ${c.problem}\n${c.config}`)).toEqual([]);
  });

  it('lists as gaps only keywords that are still unknown', () => {
    const unknown = new Set(checks.filter((c) => c.problem !== undefined).map((c) => c.id));
    const fixed = [...GAPS].filter((id) => !unknown.has(id));
    expect(fixed).toEqual([]);
  });

  it('documents every directive, matcher, global option and layer4 module of the reference in the catalogue', () => {
    const want: [ModuleKind[], string[]][] = [
      [['directive', 'handler-directive'], [...DIRECTIVES]],
      [['matcher'], readTable('3. Request matchers').map((row) => codeSpans(row[0]!)[0]!)],
      [['global-option'], readTable('4. Global options').flatMap((row) => codeSpans(row[0]!))],
    ];
    const layer4 = readReference().filter((k) => k.parents.length === 0 && k.via === 'bullet');
    want.push([['layer4-matcher'], layer4.filter((k) => k.context.startsWith('### 5.2')).map((k) => k.name)]);
    want.push([['layer4-handler'], layer4.filter((k) => k.context.startsWith('### 5.3')).map((k) => k.name)]);
    const missing = want.flatMap(([kinds, names]) =>
      names.filter((n) => !kinds.some((kind) => lookup(kind, n)?.doc)).map((n) => `${kinds.join('/')}: ${n}`),
    );
    const gaps = [...GAPS].filter((g) => !g.includes(' ', g.indexOf(': ') + 2)).map((g) => g.split(': ')[1]);
    expect(missing.filter((m) => !gaps.includes(m.split(': ')[1]))).toEqual([]);
  });

  it('expands every placeholder shorthand of section 6 to the placeholder it lists', () => {
    const rows = readTable('6. Placeholder shorthands');
    expect(rows.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const row of rows) {
      const [short, full] = [codeSpans(row[0]!)[0]!, codeSpans(row[1]!)[0]!].map((t) => t.replace('.X}', '.Foo}'));
      const { json, errors } = adapt(site(`respond "${short!}"`), { filename: 'Caddyfile' });
      const body = (errors.length === 0 && json?.match(/"body":"([^"]*)"/)?.[1]) || '';
      if (body !== full) wrong.push(`${short}: ${body || errors.map((e) => e.message).join('; ')} (want ${full})`);
    }
    expect(wrong).toEqual([]);
  });
});
