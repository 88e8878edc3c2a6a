/** @module layer4/placeholders: Caddy-style `{...}` placeholders in layer4 config strings, compiled at load. */
import type { Connection } from './connection.js';

/** A compiled string: constant, or filled in per connection. */
export interface Template {
  /** The text as configured. */
  readonly source: string;
  readonly constant: string | undefined;
  render(cx: Connection): string;
}

const PLACEHOLDER = /\{([a-zA-Z0-9_.-]+)\}/g;

/** The value of a placeholder for a connection ('' when unknown, like caddy.Replacer.ReplaceAll). */
export function placeholderValue(cx: Connection, key: string): string {
  switch (key) {
    case 'l4.conn.remote_addr':
      return joinHostPort(cx.info.remoteAddress, cx.info.remotePort);
    case 'l4.conn.local_addr':
      return joinHostPort(cx.info.localAddress, cx.info.localPort);
    case 'l4.conn.remote_ip':
      return cx.info.remoteAddress;
    case 'l4.conn.local_ip':
      return cx.info.localAddress;
  }
  if (key.startsWith('env.')) return process.env[key.slice(4)] ?? '';
  const v = cx.vars.get(key);
  return v === undefined || v === null ? '' : String(v);
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Compiles a template; `{env.*}` is resolved now (config load), everything else per connection. */
export function compileTemplate(text: string): Template {
  const resolved = text.replace(PLACEHOLDER, (whole, key: string) =>
    key.startsWith('env.') ? (process.env[key.slice(4)] ?? '') : whole,
  );
  if (!/\{[a-zA-Z0-9_.-]+\}/.test(resolved)) {
    return { source: text, constant: resolved, render: () => resolved };
  }
  const parts: Array<string | { key: string }> = [];
  let last = 0;
  for (const m of resolved.matchAll(PLACEHOLDER)) {
    parts.push(resolved.slice(last, m.index), { key: m[1]! });
    last = m.index + m[0].length;
  }
  parts.push(resolved.slice(last));
  return {
    source: text,
    constant: undefined,
    render: (cx) => parts.map((p) => (typeof p === 'string' ? p : placeholderValue(cx, p.key))).join(''),
  };
}
