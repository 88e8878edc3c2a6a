/**
 * `pnpm test:diff`: every scenario served by `caddy run` (2.6.2, the oracle) and by `proxy run`, the same requests
 * sent to both, answers compared (see compare.ts for what is and is not compared). Differences where current
 * Caddy differs from 2.6.2 are pinned (pinned.ts); differences being fixed elsewhere are known (known-defects.ts);
 * anything else fails. Ends with a summary line.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, type Verdict } from './classify.js';
import { makeFixtures } from './fixtures.js';
import { knownDefects } from './known-defects.js';
import { pinned, pinnedRules } from './pinned.js';
import { runScenario } from './run.js';
import { scenarios } from './scenarios/index.js';
import { CADDY, freePort, PROXY_MAIN } from './servers.js';
import { startEcho, type Upstream } from './upstream.js';

const has = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const hasPhp = has('php-cgi');
const only = process.env['DIFF_ONLY'] ? new RegExp(process.env['DIFF_ONLY']) : undefined;
const selected = scenarios.filter((s) => !only || only.test(s.name));

const shared: Record<string, string> = {};
const upstreams: Upstream[] = [];
let php: ChildProcess | undefined;
const verdicts = new Map<string, Verdict>();

beforeAll(async () => {
  if (!existsSync(CADDY)) throw new Error(`caddy not found at ${CADDY} (apt-get install caddy)`);
  if (!existsSync(PROXY_MAIN)) throw new Error('proxy is not built: run `pnpm -s build` first');
  shared['ROOT'] = makeFixtures();
  upstreams.push(await startEcho('up1'), await startEcho('up2'), await startEcho('up3', false));
  for (const [i, u] of upstreams.entries()) shared[`UP${i + 1}`] = u.hostport;
  shared['DEAD'] = `127.0.0.1:${await freePort()}`;
  if (hasPhp) {
    const port = await freePort();
    php = spawn('php-cgi', ['-d', 'expose_php=On', '-b', `127.0.0.1:${port}`], {
      stdio: 'ignore',
      env: { ...process.env, PHP_FCGI_CHILDREN: '4', PHP_FCGI_MAX_REQUESTS: '100000' },
    });
    shared['PHP'] = `127.0.0.1:${port}`;
    process.once('exit', () => php?.kill('SIGKILL'));
  }
});

afterAll(async () => {
  php?.kill('SIGTERM');
  await Promise.all(upstreams.map((u) => u.close()));
  if (shared['ROOT']) rmSync(shared['ROOT'], { recursive: true, force: true });
  let requests = 0,
    passed = 0,
    pinnedN = 0,
    knownN = 0,
    failed = 0;
  const lines: string[] = [];
  for (const [name, v] of verdicts) {
    requests += v.requests;
    pinnedN += v.pinnedUsed;
    if (v.failures.length || v.unexpectedPasses.length) failed++;
    else if (v.known.length) knownN++;
    else passed++;
    for (const k of v.known) lines.push(`  expected failure  ${name}  ${k}`);
  }
  // DIFF_REPORT=file writes every verdict as JSON, for triaging a run.
  const reportFile = process.env['DIFF_REPORT'];
  if (reportFile) writeFileSync(reportFile, JSON.stringify(Object.fromEntries(verdicts), null, 2));
  process.stdout.write(
    `\n${lines.join('\n')}\n\ndiff summary: ${verdicts.size} scenarios, ${requests} requests: ${passed} passed, ${pinnedN} pinned differences applied (${pinned.length} in the table, ${pinnedRules.length} rules), ${knownN} known-defect scenarios (${knownDefects.length} entries), ${failed} failed\n`,
  );
});

describe.concurrent('caddy run vs proxy run', () => {
  for (const sc of selected) {
    const skip = sc.needs === 'php-cgi' && !hasPhp;
    it.skipIf(skip)(sc.name, async () => {
      let result;
      try {
        result = await runScenario(sc, shared);
      } catch (e) {
        result = e instanceof Error ? e : new Error(String(e));
      }
      const v = classify(sc, result, pinned, knownDefects, pinnedRules);
      verdicts.set(sc.name, v);
      const problems = [...v.failures, ...v.unexpectedPasses];
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
});
