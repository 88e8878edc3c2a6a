/**
 * @module storage/connection-string: libpq connection strings (the URI form `postgresql://user:pw@host:port/db?k=v`
 * and the keyword form `host=h port=5432 dbname='my db'`) to node-postgres client settings, with libpq's meaning of
 * sslmode (node-postgres reads `require` as `verify-full`).
 */
import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import type { Host } from './postgres-failover.js';

/** Parses either form into libpq keywords. */
export function parseConninfo(text: string): Record<string, string> {
  const s = text.trim();
  return /^postgres(?:ql)?:\/\//i.test(s) ? parseUri(s) : parseKeywords(s);
}

function parseUri(s: string): Record<string, string> {
  const m = /^postgres(?:ql)?:\/\/(?:([^@/?#]*)@)?([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/i.exec(s);
  if (!m) throw new Error('malformed connection URI');
  const out: Record<string, string> = {};
  const [, userinfo, hostport, db, query] = m;
  if (userinfo !== undefined) {
    const i = userinfo.indexOf(':');
    out['user'] = decodeURIComponent(i < 0 ? userinfo : userinfo.slice(0, i));
    if (i >= 0) out['password'] = decodeURIComponent(userinfo.slice(i + 1));
  }
  if (hostport) {
    const hosts: string[] = [];
    const ports: string[] = [];
    for (const hp of hostport.split(',')) {
      const hm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hp);
      if (!hm) throw new Error(`malformed host "${hp}" in connection URI`);
      hosts.push(decodeURIComponent(hm[1]!.replace(/^\[|\]$/g, '')));
      ports.push(hm[2] ?? '');
    }
    if (hosts.some((h) => h)) out['host'] = hosts.join(',');
    if (ports.some((p) => p)) out['port'] = ports.join(',');
  }
  if (db) out['dbname'] = decodeURIComponent(db);
  for (const [k, v] of new URLSearchParams(query ?? '')) out[k] = v;
  return out;
}

function parseKeywords(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  for (ws(); i < s.length; ws()) {
    const km = /^[A-Za-z_]+/.exec(s.slice(i));
    if (!km) throw new Error(`malformed connection string at "${s.slice(i, i + 20)}"`);
    const key = km[0];
    i += key.length;
    ws();
    if (s[i] !== '=') throw new Error(`missing "=" after "${key}" in connection string`);
    i++;
    ws();
    let value = '';
    if (s[i] === "'") {
      i++;
      for (;;) {
        if (i >= s.length) throw new Error('unterminated quoted string in connection string');
        const c = s[i++]!;
        if (c === "'") break;
        value += c === '\\' && i < s.length ? s[i++]! : c;
      }
    } else {
      while (i < s.length && !/\s/.test(s[i]!)) {
        const c = s[i++]!;
        value += c === '\\' && i < s.length ? s[i++]! : c;
      }
    }
    out[key] = value;
  }
  return out;
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid port "${text}"`);
  return port;
}

/**
 * libpq's host list: `host` (or `hostaddr`) and `port` as comma-separated lists, one port for all or one each, and
 * whether only a server taking writes will do (`target_session_attrs`).
 */
export function hostList(kw: Record<string, string>): { hosts: Host[]; readWrite: boolean } {
  const names = (kw['hostaddr'] || kw['host'] || '').split(',');
  const ports = (kw['port'] ?? '').split(',');
  if (ports.length > 1 && ports.length !== names.length)
    throw new Error(`${ports.length} ports for ${names.length} hosts (give one port, or one per host)`);
  const hosts = names.map((host, i) => {
    const p = ports.length > 1 ? ports[i]! : ports[0]!;
    return { host, ...(p ? { port: portOf(p) } : {}) };
  });
  const attrs = kw['target_session_attrs'] ?? 'any';
  if (attrs !== 'any' && attrs !== 'read-write')
    throw new Error(`target_session_attrs "${attrs}" is not supported (any, read-write)`);
  return { hosts, readWrite: attrs === 'read-write' };
}

/** libpq keywords to node-postgres settings (for the first host of a list); refuses what it cannot honour. */
export function toClientConfig(kw: Record<string, string>): ClientConfig {
  const first = hostList(kw).hosts[0]!;
  const cfg: ClientConfig = {};
  if (first.host) cfg.host = first.host;
  if (first.port) cfg.port = first.port;
  if (kw['user']) cfg.user = kw['user'];
  if (kw['password'] !== undefined) cfg.password = kw['password'];
  if (kw['dbname']) cfg.database = kw['dbname'];
  if (kw['application_name']) cfg.application_name = kw['application_name'];
  if (kw['options']) cfg.options = kw['options'];
  if (kw['connect_timeout']) cfg.connectionTimeoutMillis = Math.max(2, Number(kw['connect_timeout']) || 0) * 1000;
  const mode = kw['sslmode'] ?? 'disable';
  const ca = kw['sslrootcert'] ? readFileSync(kw['sslrootcert'], 'utf8') : undefined;
  const servername = kw['hostaddr'] && kw['host'] ? kw['host'] : undefined;
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      // node-postgres cannot try TLS and fall back: these connect in the clear, as libpq does with a non-TLS server.
      cfg.ssl = false;
      break;
    case 'require':
      cfg.ssl = { rejectUnauthorized: false, ...(servername ? { servername } : {}) };
      break;
    case 'verify-ca':
      cfg.ssl = { rejectUnauthorized: true, checkServerIdentity: () => undefined, ...(ca ? { ca } : {}) };
      break;
    case 'verify-full':
      cfg.ssl = { rejectUnauthorized: true, ...(ca ? { ca } : {}), ...(servername ? { servername } : {}) };
      break;
    default:
      throw new Error(`invalid sslmode "${mode}" (disable, allow, prefer, require, verify-ca, verify-full)`);
  }
  return cfg;
}

/** A description of where it connects, without the password (for logs and error messages). */
export function describe(cfg: ClientConfig): string {
  return `${cfg.user ?? ''}${cfg.user ? '@' : ''}${cfg.host ?? 'localhost'}:${cfg.port ?? 5432}/${cfg.database ?? cfg.user ?? ''}`;
}
