/** The lint rules: each fires on the mistake it is about and stays quiet on the correct form. */
import { describe, expect, it } from 'vitest';
import { lint, lintRules, type LintOptions } from '@proxy/parser';

const HASH = '$2a$14$Zkx19XLiW6VYouLHR5NmfOFU0z2GTNmpkT/5qqR7hx4IjWJPDhjvG';

/** `line:col code` of each diagnostic with one of the given codes (all when none are given). */
function found(text: string, codes: string[] = [], options: LintOptions = {}): string[] {
  return lint(text, {
    filename: 'Caddyfile',
    env: {},
    readFile: () => {
      throw new Error('no files here');
    },
    ...options,
  })
    .filter((d) => codes.length === 0 || codes.includes(d.code))
    .map((d) => `${d.line}:${d.column} ${d.severity} ${d.code}`);
}

describe('lint rules', () => {
  it('lists every rule once with a doc and a default severity', () => {
    const codes = lintRules.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of lintRules) expect(r.doc.length).toBeGreaterThan(10);
  });

  it('unused-snippet: a snippet nobody imports', () => {
    const text =
      '(used) {\n\theader X-A b\n}\n(empty) {\n}\n(unused) {\n\trespond hi\n}\n:8080 {\n\timport used\n\timport empty\n\trespond x\n}\n';
    expect(found(text, ['unused-snippet'])).toEqual(['6:1 warning unused-snippet']);
  });

  it('unused-snippet: a snippet that a used snippet imports is used', () => {
    const text = '(a) {\n\timport b\n}\n(b) {\n\theader X-B c\n}\n:8080 {\n\timport a\n\trespond x\n}\n';
    expect(found(text, ['unused-snippet'])).toEqual([]);
  });

  it('unused-matcher: a named matcher no directive names', () => {
    const text = ':8080 {\n\t@api path /api/*\n\t@never {\n\t\tpath /never\n\t}\n\trespond @api 200\n\trespond x\n}\n';
    expect(found(text, ['unused-matcher'])).toEqual(['3:2 warning unused-matcher']);
    expect(found(':8080 {\n\t@a path /a\n\thandle @a {\n\t\trespond x\n\t}\n}\n', ['unused-matcher'])).toEqual([]);
  });

  it("duplicate-site-address: one address in two blocks, replacing the adapter's single error", () => {
    const text = 'example.com {\n\trespond a\n}\nwww.example.com, example.com {\n\trespond b\n}\n';
    expect(found(text)).toEqual(['4:18 error duplicate-site-address']);
    expect(
      found('a.example.com {\n\trespond a\n}\nb.example.com {\n\trespond b\n}\n', ['duplicate-site-address']),
    ).toEqual([]);
    // Another interface is another listener: not ambiguous.
    expect(
      found(':8002 {\n\trespond a\n}\n:8002 {\n\tbind 10.0.0.1\n\trespond b\n}\n', ['duplicate-site-address']),
    ).toEqual([]);
    // Off: the adapter's own error comes back.
    expect(found(text, [], { rules: { 'duplicate-site-address': 'off' } })).toEqual(['1:1 error adapt-error']);
  });

  it('unreachable-directive: handlers sorted after a catch-all terminal handler', () => {
    const text =
      ':8080 {\n\treverse_proxy localhost:9000\n\trespond /x 404\n\trespond "hi"\n\tfile_server\n\trespond "again"\n}\n';
    // respond sorts before reverse_proxy and file_server; a second catch-all respond comes after the first.
    expect(found(text, ['unreachable-directive'])).toEqual([
      '2:2 warning unreachable-directive',
      '5:2 warning unreachable-directive',
      '6:2 warning unreachable-directive',
    ]);
  });

  it('unreachable-directive: in a route block, what follows a terminal handler as written', () => {
    const text = ':8080 {\n\troute {\n\t\trespond /a x\n\t\trespond b\n\t\theader X-A c\n\t}\n}\n';
    expect(found(text, ['unreachable-directive'])).toEqual(['5:3 warning unreachable-directive']);
  });

  it('unreachable-directive: quiet with matchers, pass_thru, or handlers that sort first', () => {
    expect(
      found(':8080 {\n\t@a path /a\n\trespond @a x\n\treverse_proxy localhost:9000\n}\n', ['unreachable-directive']),
    ).toEqual([]);
    expect(
      found(':8080 {\n\troute {\n\t\tfile_server {\n\t\t\tpass_thru\n\t\t}\n\t\trespond x\n\t}\n}\n', [
        'unreachable-directive',
      ]),
    ).toEqual([]);
    expect(
      found(':8080 {\n\trespond x\n\theader X-A b\n\thandle /api {\n\t\trespond y\n\t}\n}\n', [
        'unreachable-directive',
      ]),
    ).toEqual([]);
  });

  it('unreachable-directive: follows the global order option', () => {
    const text =
      '{\n\torder reverse_proxy before respond\n}\n:8080 {\n\trespond x\n\treverse_proxy localhost:9000\n}\n';
    expect(found(text, ['unreachable-directive'])).toEqual(['5:2 warning unreachable-directive']);
  });

  it('basic-auth-over-http: basic_auth on an http:// or port 80 site, not on HTTPS or loopback', () => {
    const site = (addr: string) => `${addr} {\n\tbasic_auth {\n\t\tu ${HASH}\n\t}\n\trespond x\n}\n`;
    expect(found(site('http://example.com'), ['basic-auth-over-http'])).toEqual(['2:2 warning basic-auth-over-http']);
    expect(found(site(':80'), ['basic-auth-over-http'])).toEqual(['2:2 warning basic-auth-over-http']);
    expect(found(site('example.com'), ['basic-auth-over-http'])).toEqual([]);
    expect(found(site('http://localhost'), ['basic-auth-over-http'])).toEqual([]);
    // The global http_port moves plain HTTP.
    expect(found(`{\n\thttp_port 8080\n}\n${site(':8080')}`, ['basic-auth-over-http'])).toEqual([
      '5:2 warning basic-auth-over-http',
    ]);
  });

  it("deprecated: basicauth and skip_log, replacing the adapter's warning", () => {
    const text = `:8080 {\n\tbasicauth {\n\t\tu ${HASH}\n\t}\n\tskip_log\n\trespond x\n}\n`;
    expect(found(text)).toEqual(['2:2 warning deprecated', '5:2 warning deprecated']);
    expect(lint(text, { env: {} })[0]!.message).toBe('basicauth is deprecated: use basic_auth');
    expect(found(text.replace('basicauth', 'basic_auth').replace('skip_log', 'log_skip'))).toEqual([]);
  });

  it("deprecated: a path in a site address, replacing the adapter's warning", () => {
    expect(found('example.com/api {\n\trespond x\n}\n')).toEqual(['1:1 warning deprecated']);
  });

  it('deprecated: a subdirective documented as deprecated', () => {
    const text = '{\n\tservers {\n\t\tmetrics\n\t}\n}\n:8080 {\n\trespond x\n}\n';
    expect(found(text, ['deprecated'])).toEqual(['3:3 warning deprecated']);
  });

  it('tls-internal-public: tls internal on a public name, not on local names', () => {
    expect(found('example.com {\n\ttls internal\n\trespond x\n}\n', ['tls-internal-public'])).toEqual([
      '2:2 warning tls-internal-public',
    ]);
    expect(
      found('example.com {\n\ttls {\n\t\tissuer internal\n\t}\n\trespond x\n}\n', ['tls-internal-public']),
    ).toEqual(['2:2 warning tls-internal-public']);
    expect(
      found('app.localhost, intranet.lan, 10.0.0.1 {\n\ttls internal\n\trespond x\n}\n', ['tls-internal-public']),
    ).toEqual([]);
    expect(found('example.com {\n\trespond x\n}\n', ['tls-internal-public'])).toEqual([]);
    // local_certs makes every site's certificate a local one.
    expect(
      found('{\n\tlocal_certs\n}\nexample.com, app.localhost {\n\trespond x\n}\n', ['tls-internal-public']),
    ).toEqual(['4:1 warning tls-internal-public']);
  });

  it('import-cycle: snippets importing each other', () => {
    const text = '(a) {\n\timport b\n}\n(b) {\n\timport a\n}\n:8080 {\n\timport a\n}\n';
    expect(found(text).filter((s) => s.includes('import'))).toEqual(['5:2 error import-cycle']);
    expect(found('(a) {\n\trespond x\n}\n:8080 {\n\timport a\n}\n', ['import-cycle'])).toEqual([]);
  });

  it('keeps parse and adapt diagnostics with their codes, and applies configured severities', () => {
    expect(found(':8080 {\n\tbogus\n}\n')).toEqual(['2:2 error unknown-directive']);
    expect(found(':8080 {\n\trespond x\n')).toEqual(['2:10 error parsing-error']);
    const text = ':8080 {\n\t@never path /x\n\trespond x\n}\n';
    expect(found(text, [], { rules: { 'unused-matcher': 'error' } })).toEqual(['2:2 error unused-matcher']);
    expect(found(text, [], { rules: { 'unused-matcher': 'off' } })).toEqual([]);
  });
});
