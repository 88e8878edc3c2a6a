#!/usr/bin/env node
/**
 * Speed of `proxy lsp` on a big file (a bench, not a test): a 2,000-site Caddyfile is opened, edited, and asked
 * for completions and hovers over stdio with vscode-jsonrpc; prints the time to diagnostics after an edit, the
 * completion and hover latencies (median and max) and the server's resident memory. Run after `pnpm -s build`:
 * `node packages/lsp/bench/bench.mjs [sites]`. `LSP_NODE_ARGS` adds node flags to the server (`--cpu-prof`),
 * `LSP_CLI` runs another entry instead of the built CLI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = process.env.LSP_CLI ?? path.resolve(here, '../../cli/dist/bundle/main.js');
const sites = Number(process.argv[2] ?? 2000);
const dir = mkdtempSync(path.join(tmpdir(), 'proxy-lsp-bench-'));
const file = path.join(dir, 'Caddyfile');
const uri = pathToFileURL(file).href;

let text = '{\n\tadmin off\n}\n(common) {\n\theader X-Bench 1\n}\n';
for (let i = 0; i < sites; i++) {
  text += `site${i}.test:${10000 + (i % 50)} {\n\t@api path /api/*\n\timport common\n\treverse_proxy @api localhost:${20000 + i}\n\trespond "site ${i}"\n}\n`;
}
const linesPerSite = 6;
const firstSiteLine = 6;

const child = spawn(
  process.execPath,
  [...(process.env.LSP_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'lsp', '--stdio'],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
let waiting;
conn.onNotification('textDocument/publishDiagnostics', (p) => {
  if (p.uri !== uri || !waiting || p.version !== waiting.version) return;
  if (--waiting.count === 0) waiting.resolve(p.diagnostics);
});
conn.listen();
/** The `count`-th publication for `version`: an edit inside one site is published for that block first, then
 * for the whole file once typing pauses. */
const diagnosticsOf = (version, count = 1) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics #${count} for version ${version}`)), 20000);
    waiting = {
      version,
      count,
      resolve: (d) => {
        clearTimeout(timer);
        resolve(d);
      },
    };
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};
const rss = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? `${(Number(m[1]) / 1024).toFixed(0)} MiB` : '?';
};

try {
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
  await conn.sendNotification('initialized', {});
  let t0 = process.hrtime.bigint();
  let done = diagnosticsOf(1);
  await conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'caddyfile', version: 1, text },
  });
  await done;
  console.log(`${sites} sites, ${text.length} bytes, ${text.split('\n').length} lines`);
  console.log(`open -> diagnostics: ${ms(t0).toFixed(1)} ms`);
  const edits = [];
  for (let v = 2; v < 12; v++) {
    const line = firstSiteLine + linesPerSite * Math.floor((v * sites) / 13) + 4;
    t0 = process.hrtime.bigint();
    done = diagnosticsOf(v);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character: 10 }, end: { line, character: 10 } }, text: 'x' }],
    });
    await done;
    edits.push(ms(t0));
  }
  console.log(`edit -> diagnostics: ${stats(edits)}`);
  // The same edits, now waiting for the whole-file check too: the server starts it once no edit came for a
  // pause (PAUSE_MS in server.ts, 400 ms), so these figures include that pause.
  const whole = [];
  const wholeEdits = 4;
  for (let v = 12; v < 12 + wholeEdits; v++) {
    const line = firstSiteLine + linesPerSite * Math.floor(((v - 10) * sites) / 7) + 4;
    t0 = process.hrtime.bigint();
    done = diagnosticsOf(v, 2);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character: 10 }, end: { line, character: 10 } }, text: 'y' }],
    });
    await done;
    whole.push(ms(t0));
  }
  console.log(`edit -> whole-file diagnostics (after the server's 400 ms typing pause): ${stats(whole)}`);
  // Completion and hover right after an edit (the outline of the new text is built on the first request).
  const fresh = [];
  for (let v = 12 + wholeEdits; v < 16 + wholeEdits; v++) {
    const line = firstSiteLine + linesPerSite * Math.floor(((v - 14) * sites) / 5) + 4;
    done = diagnosticsOf(v);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line, character: 10 }, end: { line, character: 10 } }, text: 'z' }],
    });
    await done;
    t0 = process.hrtime.bigint();
    await conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: line - 1, character: 1 },
    });
    fresh.push(ms(t0));
  }
  console.log(`completion right after an edit: ${stats(fresh)}`);
  // Let the whole-file check after the last edit run, so what follows is measured on a settled server.
  await sleep(3000);
  const completion = [];
  const hover = [];
  for (let i = 0; i < 20; i++) {
    const line = firstSiteLine + linesPerSite * Math.floor((i * sites) / 21) + 3;
    t0 = process.hrtime.bigint();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line, character: 1 } });
    completion.push(ms(t0));
    t0 = process.hrtime.bigint();
    await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } });
    hover.push(ms(t0));
  }
  console.log(`completion: ${stats(completion)}`);
  console.log(`hover: ${stats(hover)}`);
  console.log(`server memory (RSS): ${rss()}`);
  // The whole-file checks run in a worker that exits after 2 s without work, taking its heap with it.
  await sleep(4000);
  console.log(`server memory at rest, the file still open (RSS): ${rss()}`);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
} finally {
  setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  rmSync(dir, { recursive: true, force: true });
}
