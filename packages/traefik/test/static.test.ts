/** @module static.test: the static configuration's resolvers and entry points, beyond the conformance cases: warnings, and the certResolver boundary. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { routerCertificates } from '../src/acme.js';
import { adaptTraefik, formatTraefikDiagnostic } from '../src/index.js';
import { Field } from '../src/reader.js';
import { loadSource } from '../src/source.js';
import { readStaticConfig } from '../src/static.js';

const dir = mkdtempSync(path.join(tmpdir(), 'traefik-static-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function field(text: string, file = 'f.yml'): Field {
  const src = loadSource(text, file);
  return new Field(src, src.value, []);
}

function adapt(stat: string, dynamic: string) {
  const r = adaptTraefik({ static: { text: stat, file: 's.yml' }, dynamic: { text: dynamic, file: 'd.yml' } });
  return {
    config: r.config,
    errors: r.errors.map((d) => formatTraefikDiagnostic(d)),
    warnings: r.warnings.map((d) => formatTraefikDiagnostic(d, 'warning')),
  };
}

const RESOLVER = 'certificatesResolvers:\n  le:\n    acme:\n      tlsChallenge: {}\n';
const router = (tls: string, rule = 'HostSNI(`a.example.com`)') =>
  `tcp:\n  routers:\n    r:\n      rule: "${rule}"\n      service: s\n      tls:\n${tls}\n  services:\n    s:\n      loadBalancer:\n        servers: [{address: "127.0.0.1:1"}]\n`;

describe('certificate resolvers', () => {
  it('takes the names from the rule, without the catch-all, when there are no tls.domains', () => {
    const r = adapt(
      RESOLVER,
      router('        certResolver: le', 'HostSNI(`a.example.com`) || HostSNI(`B.example.com`)'),
    );
    expect(r.errors).toEqual([]);
    const tls = r.config!.apps!.tls!;
    expect(tls.certificates!.automate).toContain('b.example.com');
    expect(tls.automation!.policies![0]).toEqual({
      subjects: ['a.example.com', 'b.example.com'],
      issuers: [{ module: 'acme', challenges: { http: { disabled: true } } }],
      key_type: 'rsa4096',
    });
  });

  it('warns when a router has a resolver but no name to ask it for', () => {
    const r = adapt(RESOLVER, router('        certResolver: le', 'HostSNIRegexp(`^.+$`)'));
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      'd.yml:7:9: warning: tcp.routers.r.tls.certResolver: no domain to obtain a certificate for (no tls.domains, no host in the rule)',
    ]);
    expect(r.config!.apps!.tls!.automation!.policies!.some((p) => p.issuers?.[0]?.module === 'acme')).toBe(false);
  });

  it('warns for a passthrough router with a resolver (the certificate is never served)', () => {
    const r = adapt(RESOLVER, router('        certResolver: le\n        passthrough: true'));
    expect(r.warnings.join('\n')).toContain('a passthrough router does not terminate TLS');
  });

  it('warns that an existing acme.json is not imported, and roots the storage at its folder', () => {
    const file = path.join(dir, 'acme.json');
    writeFileSync(file, '{"le":{"Certificates":[]}}');
    const r = adapt(`${RESOLVER}      storage: ${file}\n`, router('        certResolver: le'));
    expect(r.config!.storage).toEqual({ module: 'file_system', root: dir });
    expect(r.warnings).toEqual([
      `s.yml:5:7: warning: certificatesResolvers.le.acme.storage: the certificates in ${file} are not imported: they are obtained again and kept in ${dir} (Caddy's layout)`,
    ]);
    // Caddy's top-level order: storage before apps
    expect(Object.keys(r.config!)).toEqual(['storage', 'apps']);
  });

  it('maps certificatesDuration to the renewal window Traefik uses', () => {
    const ratio = (hours: number) => {
      const stat = `${RESOLVER}      certificatesDuration: ${hours}\n`;
      return adapt(stat, router('        certResolver: le')).config!.apps!.tls!.automation!.policies![0]!
        .renewal_window_ratio;
    };
    expect(ratio(2160)).toBeUndefined(); // 30 days of 90: Caddy's default third
    expect(ratio(8760)).toBeCloseTo((4 * 30 * 24) / 8760);
    expect(ratio(24)).toBeCloseTo(6 / 24);
    expect(ratio(12)).toBeCloseTo(1 / 3 / 12); // 20 minutes
    expect(ratio(1)).toBeUndefined(); // 20 minutes of an hour: a third again
  });

  it('routerCertificates: the boundary HTTP routers use too', () => {
    const resolvers = readStaticConfig(field(RESOLVER)).resolvers;
    const tls = field('certResolver: le@file\ndomains:\n  - main: Main.example.com\n    sans: [x.example.com]\n');
    const k = tls.object(['certResolver', 'domains']);
    expect(routerCertificates(k['certResolver'], k['domains'], ['ignored.example.com'], resolvers)).toMatchObject({
      resolver: 'le',
      names: ['main.example.com', 'x.example.com'],
    });
    expect(routerCertificates(undefined, undefined, ['a.example.com'], resolvers)).toBeUndefined();
    const bad = field('certResolver: nope\n').object(['certResolver'])['certResolver'];
    expect(() => routerCertificates(bad, undefined, [], resolvers)).toThrow(
      'f.yml:1:1: certResolver: the certificate resolver "nope" does not exist (static configuration: le)',
    );
  });
});

describe('entry points', () => {
  it('warns that respondingTimeouts do not apply to an entry point with only TCP routers', () => {
    const stat =
      'entryPoints:\n  tcp:\n    address: ":9000"\n    transport:\n      respondingTimeouts:\n        readTimeout: 5s\n';
    const r = adapt(stat, router('        {}'));
    expect(r.warnings).toEqual([
      's.yml:2:3: warning: entryPoints.tcp: transport.respondingTimeouts apply to HTTP servers; this entry point has only TCP routers',
    ]);
  });

  it('refuses a TCP router when every entry point is a UDP one', () => {
    const r = adapt('entryPoints:\n  dns:\n    address: ":53/udp"\n', router('        {}'));
    expect(r.errors).toEqual([
      'd.yml:3:5: tcp.routers.r: no TCP entry point for this router (every entry point is a UDP one)',
    ]);
  });

  it('reads durations as Go strings or seconds, and refuses others', () => {
    const stat = (v: string) =>
      `entryPoints:\n  web:\n    address: ":80"\n    http:\n      redirections:\n        entryPoint:\n          to: ":443"\n    transport:\n      respondingTimeouts:\n        idleTimeout: ${v}\n`;
    const idle = (v: string) =>
      (adapt(stat(v), 'tcp: {}\n').config!.apps!.http as { servers: Record<string, { idle_timeout?: string }> })
        .servers['web']!.idle_timeout;
    expect(idle('1m30s')).toBe('1m30s');
    expect(idle('42')).toBe('42s');
    expect(adapt(stat('soon'), 'tcp: {}\n').errors).toEqual([
      's.yml:10:9: entryPoints.web.transport.respondingTimeouts.idleTimeout: expected a duration like "60s" or "1m30s", got "soon"',
    ]);
  });
});
