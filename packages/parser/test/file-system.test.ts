import { describe, expect, it } from 'vitest';
import { adapt, memoryFileSystem, nodeFileSystem, parse } from '@proxy/parser';

const CERT = '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n';

describe('a FileSystem given in the options', () => {
  const fs = memoryFileSystem(
    {
      '/site/Caddyfile': 'import conf.d/*.conf\nimport common\n',
      '/site/common': ':81 {\n\trespond common\n}\n',
      '/site/conf.d/a.conf': ':82 {\n\trespond a\n}\n',
      '/site/conf.d/b.conf': ':83 {\n\trespond b\n}\n',
      '/site/conf.d/.hidden.conf': ':84 {\n\trespond hidden\n}\n',
      '/site/conf.d/c.txt': ':85 {\n\trespond c\n}\n',
      'certs/ca.pem': CERT,
    },
    '/site',
  );

  it('serves imports and globs without the disk', () => {
    const r = adapt('import conf.d/*.conf\nimport common\n', { filename: '/site/Caddyfile', fs });
    expect(r.errors).toEqual([]);
    const servers = Object.values(
      (r.config!['apps'] as { http: { servers: Record<string, { listen: string[] }> } }).http.servers,
    );
    expect(servers.map((s) => s.listen[0]).sort()).toEqual([':81', ':82', ':83']);
  });

  it('reports a missing import from it', () => {
    const r = parse('import nope\n', { filename: '/site/Caddyfile', fs });
    expect(r.diagnostics.map((d) => d.message)).toEqual(['File to import not found: nope']);
  });

  it('reads files named by client_auth from it, relative to its current folder', () => {
    const text =
      'https://a.example {\n\ttls {\n\t\tclient_auth {\n\t\t\ttrusted_ca_cert_file certs/ca.pem\n\t\t}\n\t}\n\trespond ok\n}\n';
    const ok = adapt(text, { fs });
    expect(ok.errors).toEqual([]);
    expect(ok.json).toContain('QUJD');
    const missing = adapt(text, { fs: memoryFileSystem({}) });
    expect(missing.errors[0]?.message).toBe('open certs/ca.pem: no such file or directory');
  });

  it("treats a path Node's file system refuses (a NUL in it) as missing", () => {
    expect(nodeFileSystem().stat('/tmp/a\u0000b')).toBeUndefined();
    const r = parse('import a\u0000b\n', { filename: '/nonexistent-dir/Caddyfile' });
    expect(r.diagnostics.map((d) => d.message)).toEqual(['File to import not found: a\u0000b']);
  });
});
