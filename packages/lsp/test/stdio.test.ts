/**
 * An LSP conversation with `proxy lsp --stdio` through a real client library: initialize, didOpen, didChange,
 * completion, hover, definition, formatting, codeAction, executeCommand, shutdown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, Hover, Location, TextEdit } from 'vscode-languageserver-protocol';
import { startClient, uriOf, type Client } from './client.js';

let dir: string;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'proxy-lsp-'));
  client = await startClient(dir);
});

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const labels = (items: CompletionItem[] | { items: CompletionItem[] } | null) =>
  (Array.isArray(items) ? items : (items?.items ?? [])).map((i) => i.label);

describe('proxy lsp over stdio', () => {
  it('publishes diagnostics on open and after a change', async () => {
    const uri = await client.open(path.join(dir, 'a.Caddyfile'), ':8080 {\n\trespnd "hi"\n}\n');
    const diags = await client.diagnostics(uri, (d) => d.length > 0);
    expect(diags[0]!.message).toBe('unrecognized directive: respnd');
    expect(diags[0]!.range.start).toEqual({ line: 1, character: 1 });
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 7 } }, text: 'respond' },
      ],
    });
    expect(await client.diagnostics(uri, (d) => d.length === 0)).toEqual([]);
  });

  it('reports a syntax error with its range', async () => {
    const uri = await client.open(path.join(dir, 'syntax.Caddyfile'), ':8080 {\n\trespond "hi\n');
    const diags = await client.diagnostics(uri, (d) => d.length > 0);
    expect(diags[0]!.severity).toBe(1);
    expect(diags[0]!.range.start.line).toBe(1);
  });

  it('completes directives, subdirectives, matchers, snippets and placeholders', async () => {
    const text =
      '(common) {\n\theader X-A 1\n}\n:8080 {\n\t@api path /api/*\n\tre\n\treverse_proxy localhost:9000 {\n\t\tlb_\n\t}\n\timport \n\trespond @ "{ho"\n}\n{\n\tauto\n}\n';
    const uri = await client.open(path.join(dir, 'c.Caddyfile'), text);
    await client.diagnostics(uri);
    const at = async (line: number, character: number) =>
      labels(
        await client.conn.sendRequest('textDocument/completion', {
          textDocument: { uri },
          position: { line, character },
        }),
      );
    expect(await at(5, 3)).toEqual(expect.arrayContaining(['respond', 'reverse_proxy', 'redir']));
    expect(await at(7, 5)).toEqual(expect.arrayContaining(['lb_policy', 'lb_retries']));
    expect(await at(9, 8)).toEqual(['common']);
    expect(await at(10, 10)).toEqual(expect.arrayContaining(['@api']));
    expect(await at(10, 14)).toEqual(
      expect.arrayContaining(['{host}', '{http.request.header.*}', '{l4.tls.server_name}']),
    );
    expect(await at(13, 5)).toEqual(expect.arrayContaining(['auto_https', 'admin']));
  });

  it('hovers directives and site addresses', async () => {
    const uri = await client.open(
      path.join(dir, 'h.Caddyfile'),
      ':8080, localhost:8443 {\n\treverse_proxy localhost:9000\n\trespond "{host} {http.request.header.X-Id}"\n}\n',
    );
    await client.diagnostics(uri);
    const hover = async (line: number, character: number) =>
      (
        (await client.conn.sendRequest('textDocument/hover', {
          textDocument: { uri },
          position: { line, character },
        })) as Hover | null
      )?.contents;
    expect(JSON.stringify(await hover(1, 3))).toContain('reverse_proxy');
    expect(JSON.stringify(await hover(2, 13))).toContain('The host of the Host header');
    expect(JSON.stringify(await hover(2, 24))).toContain('A request header field by name');
    const site = JSON.stringify(await hover(0, 2));
    expect(site).toContain(':8080');
    expect(site).toContain('8443');
  });

  it('goes to the definition of snippets and named matchers', async () => {
    const text =
      '(common) {\n\theader X-A 1\n}\n:8080 {\n\t@api path /api/*\n\timport common\n\trespond @api "api"\n}\n';
    const uri = await client.open(path.join(dir, 'd.Caddyfile'), text);
    await client.diagnostics(uri);
    const def = async (line: number, character: number) =>
      (await client.conn.sendRequest('textDocument/definition', {
        textDocument: { uri },
        position: { line, character },
      })) as Location[];
    expect((await def(5, 10))[0]!.range).toEqual({ start: { line: 0, character: 1 }, end: { line: 0, character: 7 } });
    expect((await def(6, 11))[0]!.range).toEqual({ start: { line: 4, character: 2 }, end: { line: 4, character: 5 } });
    const refs = (await client.conn.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: { line: 4, character: 3 },
      context: { includeDeclaration: true },
    })) as Location[];
    expect(refs).toHaveLength(2);
  });

  it('formats like caddy fmt', async () => {
    const uri = await client.open(path.join(dir, 'f.Caddyfile'), ':8080 {\nrespond   "hi"\n}\n');
    await client.diagnostics(uri);
    const edits = (await client.conn.sendRequest('textDocument/formatting', {
      textDocument: { uri },
      options: { tabSize: 4, insertSpaces: false },
    })) as TextEdit[];
    expect(edits).toHaveLength(1);
    expect(edits[0]!.newText).toBe(':8080 {\n\trespond "hi"\n}\n');
  });

  it('offers did-you-mean and basic_auth fixes', async () => {
    const uri = await client.open(
      path.join(dir, 'q.Caddyfile'),
      ':8080 {\n\trespnd "hi"\n\tbasicauth {\n\t\tbob $2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG\n\t}\n}\n',
    );
    const diags = await client.diagnostics(uri, (d) => d.length > 0);
    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diags[0]!.range,
      context: { diagnostics: diags },
    })) as CodeAction[];
    expect(actions[0]!.title).toBe("Did you mean 'respond'?");
    expect(actions[0]!.edit?.changes?.[uri]?.[0]?.newText).toBe('respond');
    // With `respnd` fixed, the deprecation warning of `basicauth` is left, and its fix.
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line: 1, character: 1 }, end: { line: 1, character: 7 } }, text: 'respond' },
      ],
    });
    const warn = await client.diagnostics(uri, (d) => d.length === 1 && d[0]!.severity === 2);
    const fix = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: warn[0]!.range,
      context: { diagnostics: warn },
    })) as CodeAction[];
    expect(fix.map((a) => a.title)).toEqual(["Replace 'basicauth' with 'basic_auth'"]);
  });

  it('answers the adapted JSON of a file', async () => {
    const uri = await client.open(path.join(dir, 'j.Caddyfile'), ':8080 {\n\trespond "hi"\n}\n');
    await client.diagnostics(uri);
    const r = (await client.conn.sendRequest('workspace/executeCommand', {
      command: 'proxy.adapt',
      arguments: [uri],
    })) as { json: string };
    expect(JSON.parse(r.json)).toMatchObject({ apps: { http: { servers: { srv0: { listen: [':8080'] } } } } });
  });

  it('accepts the flags editors add, and survives a malformed message', async () => {
    const other = await startClient(dir, ['--stdio', `--clientProcessId=${process.pid}`]);
    try {
      other.child.stdin.write('Content-Length: 5\r\n\r\n{bad}');
      const uri = await other.open(path.join(dir, 'flags.Caddyfile'), ':8080 {\n\trespnd x\n}\n');
      expect((await other.diagnostics(uri, (d) => d.length > 0))[0]!.message).toBe('unrecognized directive: respnd');
    } finally {
      await other.close();
    }
  });

  it('re-checks a file when a file it imports changes', async () => {
    const shared = path.join(dir, 'shared.caddy');
    writeFileSync(shared, 'respond "ok"\n');
    const main = await client.open(path.join(dir, 'main.Caddyfile'), ':8080 {\n\timport shared.caddy\n}\n');
    expect(await client.diagnostics(main)).toEqual([]);
    const sharedUri = await client.open(shared, 'respond "ok"\n');
    await client.diagnostics(sharedUri);
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: sharedUri, version: 2 },
      contentChanges: [{ text: 'respnd "ok"\n' }],
    });
    const diags = await client.diagnostics(main, (d) => d.length > 0);
    expect(diags[0]!.message).toContain('unrecognized directive: respnd');
    expect(diags[0]!.range.start.line).toBe(1);
    expect(uriOf(shared)).toBe(sharedUri);
    // The imported file shows the problem at its own place, not what adapting the fragment alone would say.
    const own = await client.diagnostics(sharedUri, (d) => d.length > 0);
    expect(own.map((d) => [d.message, d.range.start])).toEqual([
      ['unrecognized directive: respnd', { line: 0, character: 0 }],
    ]);
  });

  it('re-checks a file when a file it imports changes on disk (workspace/didChangeWatchedFiles)', async () => {
    const part = path.join(dir, 'watched.caddy');
    writeFileSync(part, 'respond "ok"\n');
    const main = await client.open(path.join(dir, 'watching.Caddyfile'), ':8080 {\n\timport watched.caddy\n}\n');
    expect(await client.diagnostics(main)).toEqual([]);
    writeFileSync(part, 'respnd "ok"\n');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(part), type: 2 }],
    });
    const diags = await client.diagnostics(main, (d) => d.length > 0);
    expect(diags[0]!.message).toContain('unrecognized directive: respnd');
    expect(diags[0]!.range.start.line).toBe(1);
  });

  it('checks an imported fragment opened first in the context of the file that imports it', async () => {
    const fragment = path.join(dir, 'frag.caddy');
    writeFileSync(fragment, 'respond "ok"\n');
    const fragUri = await client.open(fragment, 'respond "ok"\n');
    // Alone it is no Caddyfile: `respond` would be a site address.
    expect(await client.diagnostics(fragUri, (d) => d.length > 0)).toHaveLength(1);
    const user = await client.open(path.join(dir, 'uses-frag.Caddyfile'), ':8080 {\n\timport frag.caddy\n}\n');
    expect(await client.diagnostics(fragUri, (d) => d.length === 0)).toEqual([]);
    // Once nothing open imports it, it is checked alone again.
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: user } });
    expect(await client.diagnostics(fragUri, (d) => d.length > 0)).toHaveLength(1);
  });
});
