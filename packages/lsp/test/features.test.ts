/**
 * The rest of the language features over stdio: document symbols, rename, semantic tokens, document links,
 * runtime validation diagnostics, caddy-l4 and global option completion, the listen addresses of a site.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  CompletionItem,
  DocumentLink,
  DocumentSymbol,
  Hover,
  Location,
  SemanticTokens,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { startClient, uriOf, type Client } from './client.js';

let dir: string;
let client: Client;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'proxy-lsp-features-'));
  client = await startClient(dir);
});

afterAll(async () => {
  await client?.close();
  rmSync(dir, { recursive: true, force: true });
});

const SITE =
  '{\n\tadmin off\n}\n(common) {\n\theader X-A 1\n}\n&(api-route) {\n\trespond "api"\n}\n:8080 {\n\t@api path /api/*\n\timport common\n\tinvoke @api api-route\n\trespond @api "x"\n}\n';

async function openAndWait(name: string, text: string): Promise<string> {
  const uri = await client.open(path.join(dir, name), text);
  await client.diagnostics(uri);
  return uri;
}

describe('proxy lsp features', () => {
  it('lists global options, snippets, named routes and sites as document symbols', async () => {
    const uri = await openAndWait('s.Caddyfile', SITE);
    const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as DocumentSymbol[];
    expect(symbols.map((s) => s.name)).toEqual(['global options', '(common)', '&(api-route)', ':8080']);
    expect(symbols[3]!.children?.map((s) => s.name)).toEqual(['@api', 'import', 'invoke', 'respond']);
  });

  it('renames a named matcher, a snippet and a named route everywhere', async () => {
    const uri = await openAndWait('r.Caddyfile', SITE);
    const rename = async (line: number, character: number, newName: string) => {
      const edit = (await client.conn.sendRequest('textDocument/rename', {
        textDocument: { uri },
        position: { line, character },
        newName,
      })) as WorkspaceEdit;
      return edit.changes?.[uri]?.map(
        (e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.character}`,
      );
    };
    expect(await rename(10, 3, 'v1')).toEqual(['10:2-5', '12:9-12', '13:10-13']);
    expect(await rename(11, 10, 'base')).toEqual(['3:1-7', '11:8-14']);
    expect(await rename(6, 4, 'r2')).toEqual(['6:2-11', '12:13-22']);
  });

  it('goes to a snippet defined in an imported file', async () => {
    const snippets = path.join(dir, 'snippets.caddy');
    writeFileSync(snippets, '# shared\n(tls-common) {\n\theader X-B 2\n}\n');
    const uri = await openAndWait('x.Caddyfile', 'import snippets.caddy\n:8080 {\n\timport tls-common\n}\n');
    const defs = (await client.conn.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: { line: 2, character: 10 },
    })) as Location[];
    expect(defs).toEqual([
      { uri: uriOf(snippets), range: { start: { line: 1, character: 1 }, end: { line: 1, character: 11 } } },
    ]);
  });

  it('answers semantic tokens', async () => {
    const uri = await openAndWait('t.Caddyfile', ':8080 {\n\t# hi\n\trespond "x"\n}\n');
    const tokens = (await client.conn.sendRequest('textDocument/semanticTokens/full', {
      textDocument: { uri },
    })) as SemanticTokens;
    // :8080 namespace; comment; respond keyword; "x" string.
    expect(tokens.data).toEqual([0, 0, 5, 0, 0, 1, 1, 4, 7, 0, 1, 1, 7, 1, 0, 0, 8, 3, 6, 0]);
  });

  it('links imported files', async () => {
    writeFileSync(path.join(dir, 'part.caddy'), 'respond "ok"\n');
    const uri = await openAndWait('l.Caddyfile', ':8080 {\n\timport part.caddy\n}\n');
    const links = (await client.conn.sendRequest('textDocument/documentLink', {
      textDocument: { uri },
    })) as DocumentLink[];
    expect(links).toEqual([
      {
        range: { start: { line: 1, character: 8 }, end: { line: 1, character: 18 } },
        target: uriOf(path.join(dir, 'part.caddy')),
      },
    ]);
  });

  it('shows runtime validation errors on the Caddyfile word they come from', async () => {
    const uri = await client.open(
      path.join(dir, 'v.Caddyfile'),
      ':8080 {\n\t@m path_regexp "(["\n\trespond @m 200\n}\n',
    );
    const diags = await client.diagnostics(uri, (d) => d.length > 0);
    expect(diags[0]!.message).toContain('path_regexp: invalid regular expression');
    expect(diags[0]!.range).toEqual({ start: { line: 1, character: 4 }, end: { line: 1, character: 15 } });
  });

  it('completes caddy-l4 modules inside layer4 and listener wrappers', async () => {
    const text = '{\n\tlayer4 {\n\t\t:5432 {\n\t\t\t@pg po\n\t\t\troute @pg {\n\t\t\t\tpr\n\t\t\t}\n\t\t}\n\t}\n}\n';
    const uri = await openAndWait('l4.Caddyfile', text);
    const at = async (line: number, character: number) =>
      (
        (await client.conn.sendRequest('textDocument/completion', {
          textDocument: { uri },
          position: { line, character },
        })) as CompletionItem[]
      ).map((i) => i.label);
    expect(await at(3, 9)).toContain('postgres');
    expect(await at(5, 6)).toEqual(expect.arrayContaining(['proxy', 'tls']));
    expect(await at(1, 3)).toEqual(expect.arrayContaining(['layer4', 'servers', 'admin']));
  });

  it('offers did-you-mean for an unknown subdirective', async () => {
    const uri = await client.open(
      path.join(dir, 'sub.Caddyfile'),
      ':8080 {\n\treverse_proxy localhost:9000 {\n\t\tlb_polcy first\n\t}\n}\n',
    );
    const diags = await client.diagnostics(uri, (d) => d.length > 0);
    expect(diags[0]!.range.start).toEqual({ line: 2, character: 2 });
    const actions = (await client.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diags[0]!.range,
      context: { diagnostics: diags },
    })) as CodeAction[];
    expect(actions.map((a) => a.title)).toEqual(["Did you mean 'lb_policy'?"]);
  });

  it('hovers a site with the ports it listens on', async () => {
    const uri = await openAndWait('p.Caddyfile', 'example.com, http://other.test:8081 {\n\trespond "x"\n}\n');
    const hover = (await client.conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 2 },
    })) as Hover;
    const text = JSON.stringify(hover.contents);
    expect(text).toContain(
      '`example.com`: host example.com, listens on :443 (srv0); HTTPS, with HTTP->HTTPS redirects on :80',
    );
    expect(text).toContain('`http://other.test:8081`: host other.test, listens on :8081 (srv1)');
  });
});
