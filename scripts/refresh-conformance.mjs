#!/usr/bin/env node
/**
 * `pnpm conformance:refresh [SOURCE]`: replaces the in-repo conformance corpus
 * (packages/parser/test/fixtures/caddyfile_adapt) with SOURCE, by default ../shared/conformance beside the
 * repository. ORIGIN.md, the note on where the copy comes from, is kept. It also re-copies the reference table of
 * accepted keywords (`reference/caddyfile-keywords.md` beside SOURCE) that keyword-reference.test.ts walks.
 */
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(repo, 'packages/parser/test/fixtures/caddyfile_adapt');
const source = resolve(process.argv[2] ?? join(repo, '..', 'shared', 'conformance'));
const KEEP = 'ORIGIN.md';

if (!existsSync(join(source, 'caddy')) || !existsSync(join(source, 'layer4'))) {
  console.error(`conformance:refresh: ${source} is not a conformance corpus (no caddy/ and layer4/ folders)`);
  process.exit(1);
}
for (const entry of readdirSync(target))
  if (entry !== KEEP) rmSync(join(target, entry), { recursive: true, force: true });
for (const entry of readdirSync(source))
  if (entry !== KEEP) cpSync(join(source, entry), join(target, entry), { recursive: true });
console.log(`conformance:refresh: copied ${source} to ${target}; review with git status and commit`);
const keywords = join(source, '..', 'reference', 'caddyfile-keywords.md');
if (existsSync(keywords)) {
  cpSync(keywords, join(repo, 'packages/parser/test/fixtures/caddyfile-keywords.md'));
  console.log(`conformance:refresh: copied ${keywords}`);
}
