/**
 * A real editor as the client: headless Neovim attaches `proxy lsp --stdio` with its built-in LSP client
 * (neovim.lua), and the diagnostics and completions it reads back are checked. Skips when `nvim` is absent
 * (.ci/run installs it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from './client.js';

const hasNvim = spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'neovim.lua');
const dir = mkdtempSync(path.join(tmpdir(), 'proxy-lsp-nvim-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs Neovim headless on the script, bounded in time; resolves with its exit code. */
function runNvim(env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('nvim', ['--headless', '--clean', '-u', script], {
      env: { ...process.env, ...env, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe.skipIf(!hasNvim)('neovim attaches proxy lsp', () => {
  it('reads back diagnostics and completions', async () => {
    const file = path.join(dir, 'Caddyfile');
    writeFileSync(file, ':8080 {\n\trespnd "hi"\n\tre\n}\n');
    const out = path.join(dir, 'out.json');
    await runNvim({
      LSP_FILE: file,
      LSP_OUT: out,
      LSP_NODE: process.execPath,
      LSP_CLI: CLI,
      LSP_LINE: '2',
      LSP_CHAR: '3',
    });
    const result = JSON.parse(readFileSync(out, 'utf8')) as {
      diagnostics: { lnum: number; col: number; message: string }[];
      completion: string[];
    };
    // adapt reports every unknown directive: the misspelt one, and the word being completed on the next line.
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ lnum: 1, col: 1, message: 'unrecognized directive: respnd' }),
      expect.objectContaining({ lnum: 2, col: 1, message: 'unrecognized directive: re' }),
    ]);
    expect(result.completion).toEqual(expect.arrayContaining(['respond', 'reverse_proxy', 'redir']));
  });
});
