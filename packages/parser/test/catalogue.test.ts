/**
 * The module catalogue (for completion, hover and `proxy lint`): one entry per listed module, each with a syntax
 * and a one-line doc, and every Caddyfile keyword the adapter supports has one. The keyword lists are those of
 * the reference table of accepted keywords (Caddy master and caddy-l4), copied here so the test stands alone.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adapt, allModules, catalogue, lookup, type ModuleKind } from '@proxy/parser';
import type { Subdirective } from '../src/adapt/module.js';

/** Keywords by kind, as the reference table lists them. */
const KEYWORDS: Partial<Record<ModuleKind, string[]>> = {
  directive: [
    'root',
    'header',
    'request_header',
    'rewrite',
    'try_files',
    'php_fastcgi',
    'forward_auth',
    'handle_path',
    'acme_server',
    'bind',
    'tls',
    'log',
    'handle_errors',
  ],
  'handler-directive': [
    'fs',
    'vars',
    'redir',
    'respond',
    'abort',
    'error',
    'route',
    'handle',
    'invoke',
    'skip_log',
    'log_skip',
    'log_name',
    'basicauth',
    'basic_auth',
    'encode',
    'file_server',
    'intercept',
    'log_append',
    'map',
    'push',
    'request_body',
    'reverse_proxy',
    'copy_response',
    'copy_response_headers',
    'method',
    'uri',
    'templates',
    'timeouts',
    'tracing',
    'metrics',
  ],
  matcher: [
    'path',
    'path_regexp',
    'host',
    'method',
    'query',
    'header',
    'header_regexp',
    'protocol',
    'remote_ip',
    'client_ip',
    'not',
    'expression',
    'file',
    'vars',
    'vars_regexp',
    'tls',
    'url_pattern',
  ],
  'global-option': [
    'debug',
    'http_port',
    'https_port',
    'default_bind',
    'grace_period',
    'shutdown_delay',
    'default_sni',
    'fallback_sni',
    'order',
    'storage',
    'storage_check',
    'storage_clean_interval',
    'renew_interval',
    'ocsp_interval',
    'acme_ca',
    'acme_ca_root',
    'acme_dns',
    'acme_eab',
    'cert_issuer',
    'skip_install_trust',
    'local_certs',
    'email',
    'admin',
    'on_demand_tls',
    'key_type',
    'auto_https',
    'metrics',
    'servers',
    'ocsp_stapling',
    'cert_lifetime',
    'log',
    'preferred_chains',
    'persist_config',
    'dns',
    'tls_resolvers',
    'ech',
    'renewal_window_ratio',
    'pki',
    'events',
    'filesystem',
    'layer4',
  ],
  'listener-wrapper': ['http_redirect', 'tls', 'proxy_protocol', 'layer4'],
  'tls-issuer': ['acme', 'zerossl', 'internal'],
  'tls-ca-pool-source': ['inline', 'file', 'pki_root', 'pki_intermediate', 'storage', 'http', 'system', 'combined'],
  'tls-leaf-verifier': ['leaf'],
  'tls-permission': ['http'],
  'tls-cert-getter': ['tailscale', 'http'],
  storage: ['file_system'],
  'tls-handshake-matcher': ['sni', 'sni_regexp', 'remote_ip', 'local_ip', 'alpn'],
  'layer4-matcher': [
    'clock',
    'dns',
    'http',
    'local_ip',
    'remote_ip',
    'remote_ip_list',
    'not',
    'openvpn',
    'postgres',
    'proxy_protocol',
    'quic',
    'rdp',
    'regexp',
    'socks4',
    'socks5',
    'ssh',
    'tls',
    'vars',
    'vars_regexp',
    'winbox',
    'wireguard',
    'xmpp',
  ],
  'layer4-handler': [
    'close',
    'echo',
    'postgres_tls',
    'proxy',
    'proxy_protocol',
    'socks5',
    'subroute',
    'tee',
    'throttle',
    'tls',
    'vars',
  ],
  'http-lb-policy': [
    'random',
    'least_conn',
    'round_robin',
    'first',
    'ip_hash',
    'client_ip_hash',
    'uri_hash',
    'weighted_round_robin',
    'random_choose',
    'query',
    'header',
    'cookie',
  ],
  'http-transport': ['http', 'fastcgi'],
  'http-upstream-source': ['a', 'srv', 'multi'],
  'http-encoder': ['gzip', 'zstd'],
  // stdout, stderr and discard are keywords of `output` itself, as in Caddy.
  'log-writer': ['file', 'net'],
  'log-encoder': ['console', 'json', 'append', 'journald', 'filter'],
  'log-filter': [
    'delete',
    'hash',
    'replace',
    'ip_mask',
    'query',
    'cookie',
    'set_cookie',
    'regexp',
    'multi_regexp',
    'rename',
  ],
  'layer4-lb-policy': [
    'random',
    'random_choose',
    'least_conn',
    'round_robin',
    'weighted_round_robin',
    'first',
    'ip_hash',
  ],
};

/** Listed keywords the adapter does not support (yet), each with a config showing the adapter refuses it. */
const UNSUPPORTED: { kind: ModuleKind; name: string; config: string; error: string }[] = [];

/** How many keywords of the reference table the catalogue documents (all but UNSUPPORTED). */
const COVERED = 202;

const directiveSpace = (k: ModuleKind) => (k === 'handler-directive' ? 'directive' : k);

/** Whether a value looks like a module definition (what the list files hold). */
function isModule(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return (
    typeof m.kind === 'string' &&
    typeof m.name === 'string' &&
    typeof m.syntax === 'string' &&
    typeof m.parse === 'function'
  );
}

/**
 * The built files of the adapter's sources (the same ones `@proxy/parser` loads); a stale file that an older
 * build left in dist has no source and is skipped.
 */
function adapterFiles(dir = 'adapt'): string[] {
  const src = fileURLToPath(new URL('../src/', import.meta.url));
  return readdirSync(join(src, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return adapterFiles(path);
    if (!e.name.endsWith('.ts')) return [];
    return [fileURLToPath(new URL(`../dist/${path.slice(0, -3)}.js`, import.meta.url))];
  });
}

describe('module catalogue', () => {
  const entries = catalogue();

  it('has one entry per listed module, with no duplicates', () => {
    expect(entries.length).toBe(allModules().length);
    const keys = entries.map((e) => `${directiveSpace(e.kind)}:${e.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives every module a syntax starting with its name, a one-line doc, and documented subdirectives', () => {
    for (const e of entries) {
      expect(e.syntax.startsWith(e.name), `${e.kind} ${e.name}: ${e.syntax}`).toBe(true);
      expect(e.doc.trim(), `${e.kind} ${e.name}`).not.toBe('');
      expect(e.doc, `${e.kind} ${e.name}`).not.toContain('\n');
      const subs = e.subdirectives ?? [];
      expect(new Set(subs.map((s) => s.name)).size, `${e.kind} ${e.name}`).toBe(subs.length);
      // Subdirectives whose block has keywords of its own (`admin { config { ... } }`) are checked the same way.
      for (const s of subs.flatMap(function all(x): Subdirective[] {
        return [x, ...(x.block ?? []).flatMap(all)];
      })) {
        expect(s.syntax.startsWith(s.name), `${e.name} ${s.name}`).toBe(true);
        expect(s.doc.trim(), `${e.name} ${s.name}`).not.toBe('');
      }
    }
  });

  it('lists every module definition that a module file exports (none is forgotten)', async () => {
    const listed = new Set<unknown>(allModules());
    const unlisted: string[] = [];
    for (const file of adapterFiles()) {
      const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const [key, v] of Object.entries(exports)) {
        for (const m of Array.isArray(v) ? v : [v]) {
          if (isModule(m) && !listed.has(m)) unlisted.push(`${file}: ${key}`);
        }
      }
    }
    expect(unlisted).toEqual([]);
  });

  it('gives modules loaded by ID their Caddy module ID', () => {
    const ids = new Map(entries.filter((e) => e.id !== undefined).map((e) => [e.id, e]));
    expect(ids.get('tls.issuance.acme')?.name).toBe('acme');
    expect(ids.get('layer4.handlers.proxy')?.kind).toBe('layer4-handler');
    expect(ids.get('tls.handshake_match.sni')?.kind).toBe('tls-handshake-matcher');
    expect(ids.get('caddy.storage.file_system')?.kind).toBe('storage');
    expect(ids.get('caddy.logging.encoders.filter.ip_mask')?.kind).toBe('log-filter');
    expect(ids.get('http.reverse_proxy.selection_policies.cookie')?.kind).toBe('http-lb-policy');
    expect(entries.find((e) => e.kind === 'directive')?.id).toBeUndefined();
  });

  it('documents every keyword of the reference table that the adapter supports', () => {
    const unsupported = new Set(UNSUPPORTED.map((u) => `${u.kind}:${u.name}`));
    for (const [kind, names] of Object.entries(KEYWORDS) as [ModuleKind, string[]][]) {
      for (const name of names) {
        if (unsupported.has(`${kind}:${name}`)) continue;
        const m = lookup(kind, name);
        expect(m, `${kind} ${name}`).toBeDefined();
        expect(m!.syntax, `${kind} ${name}`).not.toBe('');
        expect(m!.doc, `${kind} ${name}`).not.toBe('');
      }
    }
  });

  it('prints its coverage of the reference table', () => {
    const listed = (Object.entries(KEYWORDS) as [ModuleKind, string[]][]).flatMap(([kind, names]) =>
      names.map((name) => ({ kind, name })),
    );
    const covered = listed.filter(({ kind, name }) => lookup(kind, name) !== undefined).length;
    const percent = ((100 * covered) / listed.length).toFixed(1);
    console.log(`catalogue coverage: ${covered} of ${listed.length} keywords of caddyfile-keywords.md (${percent}%)`);
    expect(listed.length - covered).toBe(UNSUPPORTED.length);
    expect(covered).toBe(COVERED);
  });

  it('leaves out only keywords the adapter refuses', () => {
    for (const u of UNSUPPORTED) {
      expect(lookup(u.kind, u.name)).toBeUndefined();
      const { errors } = adapt(u.config, { filename: 'Caddyfile' });
      expect(errors.map((e) => e.caddyMessage ?? e.message).join('\n')).toContain(u.error);
    }
  });
});
